// The end of every fault test: nothing lost, nothing done twice.
import { expect } from 'vitest';
import { STAGES } from '../../domain/vocabulary';
import { openWorkflows, type Journey, type ReliabilityStack } from './harness';

/**
 * Nothing lost, nothing twice, for completed journeys: one request row per journey (and no other),
 * closed `completed`; one claim, disbursed; one loan; the six public stages on the timeline once
 * each, in order, and every claim step once; every outbox row delivered, none pending, held or
 * failed, no recipient told the same thing twice; every workflow of the requests closed.
 */
export async function assertNothingLostOrDuplicated(s: ReliabilityStack, js: Journey[]): Promise<void> {
  const { prisma } = s.db;
  const ids = js.map((j) => j.id!);
  expect(new Set(ids).size, 'distinct request ids').toBe(js.length);
  const requests = await prisma.financingRequest.findMany({ where: { id: { in: ids } } });
  expect(requests).toHaveLength(js.length);
  expect(await prisma.financingRequest.count({ where: { idempotencyKey: { in: js.map((j) => `${j.key}-pub`) } } })).toBe(js.length);
  for (const r of requests) expect({ id: r.id, stage: r.stage, closeReason: r.closeReason }).toEqual({ id: r.id, stage: 'closed', closeReason: 'completed' });

  const claims = await prisma.claim.findMany({ where: { financingRequestId: { in: ids } } });
  expect(claims).toHaveLength(js.length);
  expect(claims.every((c) => c.status === 'disbursed')).toBe(true);
  expect(await prisma.loan.count({ where: { financingRequestId: { in: ids } } })).toBe(js.length);
  expect(await prisma.rating.count({ where: { financingRequestId: { in: ids } } })).toBe(js.length);

  const events = await prisma.stageEvent.findMany({ where: { financingRequestId: { in: ids } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const byRequest = new Map<string, string[]>();
  const keys = new Map<string, string[]>();
  for (const e of events) {
    byRequest.set(e.financingRequestId, [...(byRequest.get(e.financingRequestId) ?? []), e.event]);
    keys.set(e.financingRequestId, [
      ...(keys.get(e.financingRequestId) ?? []),
      `${e.eventKey.split(':').slice(-2).join(':')}@${e.actor.split(':')[0]}@${e.at.toISOString().slice(11, 23)}`,
    ]);
  }
  for (const id of ids) {
    const evs = byRequest.get(id) ?? [];
    // Public stages: each at most once and in order (one may be skipped when the bank's steps
    // outrun the request's bookkeeping: the stage is the furthest one), from published to closed.
    const stages = evs.filter((e) => (STAGES as readonly string[]).includes(e));
    const order = stages.map((e) => (STAGES as readonly string[]).indexOf(e));
    expect(
      order.every((v, i) => i === 0 || v > order[i - 1]!),
      `public stages of ${id} in order, none twice: ${stages.join(',')}`,
    ).toBe(true);
    expect([stages[0], ...stages.slice(-2)], `public stages of ${id}: ${stages.join(',')}`).toEqual(['published', 'disbursed', 'closed']);
    // Every step of the bank's claim, once.
    for (const step of ['claim:offered', 'claim:accepted', 'claim:under_review', 'claim:disbursed'])
      expect(evs.filter((e) => e === step).length, `${step} of ${id}: ${evs.join(',')} (${keys.get(id)!.join(' ')})`).toBe(1);
    // Every timeline entry once: a retried activity or a replayed workflow task writes nothing twice.
    const byActor = events.filter((e) => e.financingRequestId === id).map((e) => `${e.event}@${e.actor}`);
    expect(new Set(byActor).size, `timeline of ${id} has no repeated entry: ${evs.join(',')} (${keys.get(id)!.join(' ')})`).toBe(byActor.length);
  }

  const rows = await prisma.notification.findMany({ where: { financingRequestId: { in: ids } } });
  expect(rows.length).toBeGreaterThan(0);
  const undelivered = rows.filter((r) => !['sent', 'delivered'].includes(r.status));
  expect(undelivered.map((r) => `${r.id} ${r.status} ${r.lastError ?? ''}`)).toEqual([]);
  const told = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.financingRequestId}|${r.recipientType}:${r.recipientId}|${r.channel}|${r.templateId}`;
    told.set(k, (told.get(k) ?? 0) + 1);
  }
  expect([...told].filter(([, n]) => n > 1)).toEqual([]);
  // Nobody left out: every journey prompted the bank about the offer, the choice and the
  // disbursement, and the enterprise about the approval, the loan and the rating. (The enterprise's
  // 'accepted' prompt goes with the public 'accepted' stage, which a fast bank may skip.)
  const REQUIRED: Array<[string, string]> = [
    ['bank', 'newDirectedRequest'],
    ['bank', 'offerChosen'],
    ['bank', 'disbursementRecorded'],
    ['enterprise', 'requestApproved'],
    ['enterprise', 'requestDisbursed'],
    ['enterprise', 'pleaseRate'],
  ];
  const have = new Set(rows.map((r) => `${r.financingRequestId}|${r.recipientType}|${r.templateId}`));
  const missing = ids.flatMap((id) => REQUIRED.filter(([who, t]) => !have.has(`${id}|${who}|${t}`)).map(([who, t]) => `${id} ${who} ${t}`));
  expect(missing).toEqual([]);

  // Temporal: every request and claim workflow closed.
  expect(await openWorkflows(s, js)).toEqual([]);
}
