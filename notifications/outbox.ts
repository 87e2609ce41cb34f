// Expands notification requests into outbox rows. Called inside the same database transaction
// that records the state change, so a state change and its notifications commit together.
// Row ids are derived from the event key, so a retried activity writes nothing twice.
// Pure: everything it needs about recipients (addresses known, webhook registered, preferences)
// comes in through `context` (see loadPlanningContext in notifications/planning-context.ts).
import type { Prisma } from '../generated/prisma/client';
import {
  BATCHED_CHANNELS,
  BATCHED_TEMPLATE_IDS,
  DEFAULT_CHANNELS,
  DEFAULT_LOCALE,
  DEFAULT_QUIET_HOURS,
  MAX_POOL_BATCH_WINDOW_MINUTES,
  QUIET_HOURS_CHANNELS,
} from './config';
import { recipientKey, type PlanningContext, type RecipientProfile } from './preferences';
import { isQuiet, quietEnd, windowEnd, type QuietHours } from './schedule';
import type { Channel, NotificationRequest } from './types';

export type OutboxRow = Prisma.NotificationCreateManyInput;

export function outboxRowId(eventKey: string, n: NotificationRequest, channel: string): string {
  return `${eventKey}|${n.recipient.type}:${n.recipient.id}|${n.templateId}|${channel}`;
}

/**
 * Channels one request goes out on: the recipient type's defaults, minus channels the recipient
 * switched off, minus channels whose address is known to be missing; webhook only when the
 * recipient registered an endpoint; inbox always.
 */
export function channelsFor(n: NotificationRequest, profile: RecipientProfile | undefined): Channel[] {
  return DEFAULT_CHANNELS[n.recipient.type].filter((ch) => {
    if (ch === 'inbox') return true;
    if (profile?.preferences?.channels?.[ch] === false) return false;
    if (ch === 'webhook') return profile?.webhook === true;
    if (ch === 'email') return profile?.email !== null && profile?.email !== '';
    if (ch === 'sms') return profile?.mobile !== null && profile?.mobile !== '';
    return true;
  });
}

/** When a row may be sent, and whether it is held back (quiet hours or a batching window). */
export function scheduleFor(
  n: NotificationRequest,
  channel: Channel,
  profile: RecipientProfile | undefined,
  now: Date,
  platformQuietHours: QuietHours | null = DEFAULT_QUIET_HOURS,
): { notBefore: Date; held: boolean } {
  let notBefore = now;
  let held = false;
  const window = Math.min(profile?.preferences?.poolBatchWindowMinutes ?? 0, MAX_POOL_BATCH_WINDOW_MINUTES);
  if (window > 0 && n.recipient.type === 'bank' && BATCHED_CHANNELS.includes(channel) && (BATCHED_TEMPLATE_IDS as readonly string[]).includes(n.templateId)) {
    notBefore = windowEnd(now, window);
    held = true;
  }
  if (!n.urgent && QUIET_HOURS_CHANNELS.includes(channel)) {
    const prefQuiet = profile?.preferences?.quietHours;
    const quiet: QuietHours | null = prefQuiet === undefined ? platformQuietHours : prefQuiet;
    if (quiet && isQuiet(notBefore, quiet)) {
      notBefore = quietEnd(notBefore, quiet);
      held = true;
    }
  }
  return { notBefore, held };
}

/** One row per request and channel; see channelsFor and scheduleFor. Duplicate requests collapse. */
export function planOutboxRows(
  eventKey: string,
  financingRequestId: string | null,
  requests: NotificationRequest[],
  now: Date,
  context: PlanningContext = {},
): OutboxRow[] {
  const rows = new Map<string, OutboxRow>();
  for (const n of requests) {
    const profile = context.recipients?.[recipientKey(n.recipient.type, n.recipient.id)];
    const locale = n.locale ?? profile?.preferences?.locale ?? DEFAULT_LOCALE;
    for (const channel of channelsFor(n, profile)) {
      const id = outboxRowId(eventKey, n, channel);
      if (rows.has(id)) continue;
      const { notBefore, held } = scheduleFor(n, channel, profile, now, context.quietHours === undefined ? DEFAULT_QUIET_HOURS : context.quietHours);
      rows.set(id, {
        id,
        financingRequestId,
        recipientType: n.recipient.type,
        recipientId: n.recipient.id,
        channel,
        templateId: n.templateId,
        params: n.params,
        locale,
        urgent: n.urgent ?? false,
        status: held ? 'held' : 'pending',
        notBefore,
      });
    }
  }
  return [...rows.values()];
}
