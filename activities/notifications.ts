// The outbox delivery activity: sends one outbox row (or the batch it heads) exactly once.
//
// Exactly-once, step by step (see docs/notifications.md):
// 1. A row already sent/delivered/failed is returned as is: a retried activity never sends twice.
// 2. A row not yet due (quiet hours, batching window) fails retryably with nextRetryDelay = the wait.
// 3. Claim: one conditional UPDATE writes a claim marker (token + time) into the row(s), only if
//    nobody holds one. Only the claimant calls the provider.
// 4. A marker found on entry means an earlier attempt died mid-send (worker killed between the
//    provider call and the status write). Once its lease has passed, the attempt takes the claim
//    over and first asks the provider whether the message exists (SMS: list messages to the number
//    and match the row's reference code; Alibaba Cloud: OutId), recording it instead of sending.
//    E-mail cannot be asked, so it is re-sent with the same deterministic Message-ID; webhooks are
//    re-sent with the same X-Loanbridge-Delivery id: receivers de-duplicate on it.
// 5. The status write is conditional on the marker, so a late writer can never overwrite.
// Errors: permanent → row failed + non-retryable failure; transient (provider surely did not take
// it) → claim released, retry with backoff; ambiguous → claim kept, retry after the lease reconciles.
import { ApplicationFailure } from '@temporalio/common';
import type { Notification } from '../generated/prisma/client';
import { BATCHED_CHANNELS, BATCHED_TEMPLATE_IDS, DEFAULT_LOCALE, DIGEST_MAX_ITEMS, SEND_LEASE_MS, TWILIO_STATUS_PATH } from '../notifications/config';
import { newClaim, parseClaim, type Claim } from '../notifications/claim';
import { prismaDirectory } from '../notifications/directory';
import { sendEmail } from '../notifications/email';
import { DeliveryError, toDeliveryError } from '../notifications/errors';
import { messageIdFor, referenceCode } from '../notifications/reference';
import { render, type RenderedMessage } from '../notifications/render';
import { taskLink } from '../notifications/taskLinks';
import { TEMPLATES, isTemplateId } from '../notifications/templates';
import { toE164 } from '../notifications/sms/provider';
import { DEVINBOX_PREFIX } from '../notifications/sms/devinbox';
import { isLocale, type Channel, type Locale, type ParamValue, type RecipientType } from '../notifications/types';
import { deliverWebhook } from '../notifications/webhooks/deliver';
import type { NotificationDeps } from '../notifications/deps';

export interface DeliveryOutcome {
  id: string;
  status: 'sent' | 'delivered' | 'failed';
  providerMessageId: string | null;
  /** The row was already final when this attempt started. */
  alreadyDone?: boolean;
  /** An SMS created by a crashed attempt was found at the provider and recorded instead of re-sent. */
  reconciled?: boolean;
  /** Rows delivered together with this one (batched digest); 1 otherwise. */
  batchSize?: number;
}

const FINAL = new Set(['sent', 'delivered', 'failed']);
const OPEN: ('pending' | 'held')[] = ['pending', 'held'];

function isBatchable(row: Notification): boolean {
  return (BATCHED_TEMPLATE_IDS as readonly string[]).includes(row.templateId) && BATCHED_CHANNELS.includes(row.channel as Channel) && row.status === 'held';
}

function retryLater(type: string, message: string, delayMs: number): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: false, nextRetryDelay: Math.max(1, Math.ceil(delayMs)) });
}

/** A digest of several pool prompts (batched rows) as one message. */
/** A row's parameters, plus the short link to its task when the template asks the recipient to act. */
function paramsOf(row: Notification, linkBase: string | undefined): Record<string, ParamValue> {
  const params = row.params as Record<string, ParamValue>;
  if (!linkBase || !isTemplateId(row.templateId) || !TEMPLATES[row.templateId].taskLink) return params;
  return { ...params, link: taskLink(linkBase, row.financingRequestId) };
}

function renderBatch(rows: Notification[], channel: Channel, locale: Locale, linkBase: string | undefined): RenderedMessage {
  if (rows.length === 1) {
    const r = rows[0] as Notification;
    return render(r.templateId, channel, paramsOf(r, linkBase), locale);
  }
  const lines = rows.slice(0, DIGEST_MAX_ITEMS).map((r) => `- ${render(r.templateId, 'inbox', r.params as Record<string, ParamValue>, locale).text}`);
  if (rows.length > DIGEST_MAX_ITEMS)
    lines.push(locale === 'en' ? `… and ${rows.length - DIGEST_MAX_ITEMS} more` : `……另有${rows.length - DIGEST_MAX_ITEMS}笔`);
  const digest = { count: rows.length, items: lines.join('\n'), ...(linkBase ? { link: taskLink(linkBase, null) } : {}) };
  return render('poolDigest', channel, digest, locale);
}

export function createNotificationActivities(deps: NotificationDeps) {
  const { prisma } = deps;
  const clock = deps.now ?? (() => new Date());
  const lease = deps.sendLeaseMs ?? SEND_LEASE_MS;
  const directory = deps.directory ?? prismaDirectory(prisma, deps.supervisorEmails ?? []);

  async function finish(
    claim: Claim,
    data: { status: 'sent' | 'delivered' | 'failed'; providerMessageId: string | null; lastError?: string | null; sentAt?: Date | null },
  ) {
    await prisma.notification.updateMany({ where: { providerMessageId: claim.marker }, data: { ...data, lastError: data.lastError ?? null } });
  }

  /** Takes the claim on the row (and its batch); returns undefined when the row turned final meanwhile. */
  async function takeClaim(row: Notification, now: Date): Promise<{ claim: Claim; reconcile: boolean } | undefined> {
    const existing = parseClaim(row.providerMessageId);
    if (existing) {
      const age = now.getTime() - existing.claimedAt.getTime();
      if (age < lease) throw retryLater('NotificationInFlight', `notification ${row.id} is being sent by another attempt`, lease - age + 50);
      const claim = newClaim(now, existing);
      const n = await prisma.notification.updateMany({
        where: { providerMessageId: existing.marker, status: { in: OPEN } },
        data: { providerMessageId: claim.marker, attempts: { increment: 1 } },
      });
      if (n.count === 0) throw retryLater('NotificationInFlight', `claim on ${row.id} changed hands`, 200);
      return { claim, reconcile: true };
    }
    const ids = isBatchable(row)
      ? (
          await prisma.notification.findMany({
            where: {
              recipientType: row.recipientType,
              recipientId: row.recipientId,
              channel: row.channel,
              templateId: row.templateId,
              notBefore: row.notBefore,
              status: 'held',
              providerMessageId: null,
            },
            select: { id: true },
          })
        ).map((r) => r.id)
      : [row.id];
    if (!ids.includes(row.id)) ids.push(row.id);
    const claim = newClaim(now);
    const n = await prisma.notification.updateMany({
      where: { id: { in: ids }, status: { in: OPEN }, providerMessageId: null },
      data: { providerMessageId: claim.marker, attempts: { increment: 1 } },
    });
    if (n.count === 0) {
      const again = await prisma.notification.findUnique({ where: { id: row.id } });
      if (again && FINAL.has(again.status)) return undefined;
      throw retryLater('NotificationInFlight', `notification ${row.id} was claimed concurrently`, 200);
    }
    return { claim, reconcile: false };
  }

  async function deliverNotification(id: string): Promise<DeliveryOutcome> {
    const now = clock();
    const row = await prisma.notification.findUnique({ where: { id } });
    if (!row) throw ApplicationFailure.create({ type: 'NotificationNotFound', message: `notification ${id} not found`, nonRetryable: true });
    if (FINAL.has(row.status)) return { id, status: row.status as DeliveryOutcome['status'], providerMessageId: row.providerMessageId, alreadyDone: true };
    if (row.notBefore.getTime() > now.getTime()) {
      throw retryLater('NotificationNotDue', `notification ${id} is held until ${row.notBefore.toISOString()}`, row.notBefore.getTime() - now.getTime());
    }
    const taken = await takeClaim(row, now);
    if (!taken) {
      const done = (await prisma.notification.findUnique({ where: { id } })) as Notification;
      return { id, status: done.status as DeliveryOutcome['status'], providerMessageId: done.providerMessageId, alreadyDone: true };
    }
    const { claim, reconcile } = taken;
    // A single fresh claim is the row itself; a batch or a takeover is read back by its marker.
    const batch =
      reconcile || isBatchable(row)
        ? await prisma.notification.findMany({ where: { providerMessageId: claim.marker }, orderBy: { id: 'asc' } })
        : [{ ...row, providerMessageId: claim.marker }];
    const lead = batch[0] ?? row;
    const channel = lead.channel as Channel;
    const locale: Locale = isLocale(lead.locale) ? lead.locale : DEFAULT_LOCALE;
    const reference = referenceCode(lead.id);
    let phase: 'prepare' | 'lookup' | 'send' = 'prepare';
    try {
      let result: { providerMessageId: string; status: 'sent' | 'delivered' };
      let reconciled = false;
      if (channel === 'inbox') {
        // The row is the inbox message: nothing to transmit.
        result = { providerMessageId: `inbox:${reference}`, status: 'delivered' };
      } else if (channel === 'webhook') {
        if (!deps.webhooks) throw new DeliveryError('permanent', 'webhooks not configured', 'no_webhooks');
        const rendered = render(lead.templateId, 'webhook', paramsOf(lead, deps.taskLinkBaseUrl), locale);
        phase = 'send';
        const r = await deliverWebhook(deps.webhooks, {
          id: lead.id,
          event: lead.templateId,
          createdAt: lead.createdAt.toISOString(),
          financingRequestId: lead.financingRequestId,
          recipient: { type: lead.recipientType as RecipientType, id: lead.recipientId },
          locale,
          title: rendered.title,
          text: rendered.text,
          data: paramsOf(lead, deps.taskLinkBaseUrl),
        });
        result = { providerMessageId: r.providerMessageId, status: 'delivered' };
      } else {
        const contact = await directory.lookup(lead.recipientType as RecipientType, lead.recipientId, { financingRequestId: lead.financingRequestId });
        const address = channel === 'email' ? contact?.email : contact?.mobile;
        if (!address)
          throw new DeliveryError(
            'permanent',
            `recipient ${lead.recipientType}:${lead.recipientId} has no ${channel === 'email' ? 'e-mail address' : 'mobile number'}`,
            'no_address',
          );
        const rendered = renderBatch(batch.length ? batch : [lead], channel, locale, deps.taskLinkBaseUrl);
        if (channel === 'email') {
          phase = 'send';
          const r = await sendEmail(deps.mailer, {
            to: address.split(','),
            rendered,
            messageId: messageIdFor(lead.id),
            rowIds: batch.map((b) => b.id),
            from: deps.emailFrom,
          });
          result =
            deps.mailerKind === 'devinbox'
              ? { providerMessageId: `${DEVINBOX_PREFIX}email:${r.providerMessageId}`, status: 'delivered' }
              : { providerMessageId: r.providerMessageId, status: 'sent' };
        } else {
          const to = toE164(address);
          let found;
          if (reconcile && deps.sms.findByReference) {
            phase = 'lookup';
            found = await deps.sms.findByReference({ to, reference, since: claim.since });
          }
          if (found) {
            result = { providerMessageId: found.providerMessageId, status: found.status ?? 'sent' };
            reconciled = true;
          } else {
            phase = 'send';
            const r = await deps.sms.send({
              to,
              templateId: batch.length > 1 ? 'poolDigest' : lead.templateId,
              params:
                batch.length > 1
                  ? { count: batch.length, ...(deps.taskLinkBaseUrl ? { link: taskLink(deps.taskLinkBaseUrl, null) } : {}) }
                  : paramsOf(lead, deps.taskLinkBaseUrl),
              locale,
              reference,
              text: rendered.text,
              statusCallbackUrl: deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}?n=${encodeURIComponent(lead.id)}` : undefined,
            });
            result = { providerMessageId: r.providerMessageId, status: r.status ?? 'sent' };
          }
        }
      }
      await finish(claim, { status: result.status, providerMessageId: result.providerMessageId, sentAt: clock() });
      deps.log?.info({ id, channel, batch: batch.length, providerMessageId: result.providerMessageId, reconciled }, 'notification sent');
      return { id, status: result.status, providerMessageId: result.providerMessageId, reconciled, batchSize: batch.length };
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      const d = toDeliveryError(err);
      const lastError = `${d.kind}${d.code ? ` ${d.code}` : ''}: ${d.message}`.slice(0, 1000);
      if (phase === 'lookup') {
        // Could not learn whether an earlier attempt's SMS exists: keep the claim, never send blind.
        await prisma.notification.updateMany({ where: { providerMessageId: claim.marker }, data: { lastError } });
        throw retryLater('NotificationOutcomeUnknown', `cannot reconcile ${id} with the provider: ${d.message}`, lease);
      }
      if (d.kind === 'permanent') {
        await finish(claim, { status: 'failed', providerMessageId: null, lastError });
        // The recipient simply does not use this channel: recorded, not an error for the workflow.
        if (d.code === 'no_address' || d.code === 'no_endpoint') return { id, status: 'failed', providerMessageId: null, batchSize: batch.length };
        deps.log?.warn({ id, channel, err: lastError }, 'notification failed permanently');
        throw ApplicationFailure.create({
          type: 'NotificationRejected',
          message: `notification ${id}: ${d.message}`,
          nonRetryable: true,
          details: [d.code ?? null],
        });
      }
      if (d.kind === 'transient' || phase === 'prepare') {
        // The provider surely has no message from this attempt (and reconciliation, if any, found
        // none): release the claim so the retry sends straight away.
        await prisma.notification.updateMany({ where: { providerMessageId: claim.marker }, data: { providerMessageId: null, lastError } });
        throw ApplicationFailure.create({
          type: 'NotificationTransient',
          message: `notification ${id}: ${d.message}`,
          nonRetryable: false,
          nextRetryDelay: d.retryAfterMs,
        });
      }
      await prisma.notification.updateMany({ where: { providerMessageId: claim.marker }, data: { lastError } });
      throw retryLater('NotificationOutcomeUnknown', `notification ${id}: outcome unknown (${d.message}); reconciling after the lease`, lease);
    }
  }

  return { deliverNotification };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
