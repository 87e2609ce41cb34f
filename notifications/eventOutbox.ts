// The one writer of "something happened, tell these people": a state change's timeline entry and
// its outbox rows, in the caller's transaction, so both commit together or not at all.
// Idempotent by event key: the first attempt inserts the entry and plans the rows; a retry finds
// the entry (or, for events without a timeline entry, the rows) and answers the rows the first
// attempt wrote, without planning again (preferences may have changed in between).
import type { Prisma } from '../generated/prisma/client';
import { planOutboxRows } from './outbox';
import { planningContext, type PlanningDeps } from './planning-context';
import { withTemplateParams } from './templateParams';
import type { NotificationRequest } from './types';

export interface TimelineEntry {
  financingRequestId: string;
  claimId?: string | null;
  event: string;
  actor: string;
  at: string;
  detail?: Record<string, unknown>;
}

export interface EventRecord {
  eventKey: string;
  /** The request the messages are about (template parameters, row ownership); null for reports and lists. */
  financingRequestId: string | null;
  /** The timeline entry; absent for messages that are no step of a request (reports, push lists, warnings). */
  timeline?: TimelineEntry;
  notify: NotificationRequest[];
  now: Date;
}

export type Tx = Prisma.TransactionClient;

/** `inserted` is false on a retry: the caller then skips the rest of its state change too. */
export async function recordEvent(tx: Tx, e: EventRecord, deps: PlanningDeps | undefined): Promise<{ inserted: boolean; notificationIds: string[] }> {
  const first = e.timeline ? await insertTimelineEntry(tx, e.eventKey, e.timeline) : (await writtenRows(tx, e.eventKey)).length === 0;
  if (!first) return { inserted: false, notificationIds: await writtenRows(tx, e.eventKey) };
  const notify = await withTemplateParams(tx, e.financingRequestId, e.notify);
  const context = notify.length > 0 ? await planningContext(tx, notify, deps) : undefined;
  const rows = planOutboxRows(e.eventKey, e.financingRequestId, notify, e.now, context);
  if (rows.length > 0) await tx.notification.createMany({ data: rows, skipDuplicates: true });
  return { inserted: true, notificationIds: rows.map((r) => r.id) };
}

async function insertTimelineEntry(tx: Tx, eventKey: string, t: TimelineEntry): Promise<boolean> {
  const { count } = await tx.stageEvent.createMany({
    data: [{ eventKey, ...t, claimId: t.claimId ?? null, at: new Date(t.at), detail: t.detail as object | undefined }],
    skipDuplicates: true,
  });
  return count > 0;
}

/** Row ids start with the event key (notifications/outbox.ts outboxRowId). */
async function writtenRows(tx: Tx, eventKey: string): Promise<string[]> {
  const rows = await tx.notification.findMany({ where: { id: { startsWith: `${eventKey}|` } }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}
