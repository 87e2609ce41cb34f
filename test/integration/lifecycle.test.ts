// The lifecycle on the time-skipping test server: every path of issue #3, days passing in seconds.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../domain/calendar';
import { CURRENT_LIFECYCLE_POLICY as P } from '../../domain/policy';
import { missingParams } from '../../notifications/render';
import * as m from '../../workflows/messages';
import { POOL_BANK_COUNT, startLifecycleHarness, until, type LifecycleHarness } from '../support/lifecycle';

let h: LifecycleHarness;
beforeAll(async () => {
  h = await startLifecycleHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const offer = (bankId: string, extra: Partial<m.OfferInput> = {}): m.OfferInput => ({
  bankId,
  approvedAmountFen: 150_000_000,
  annualRateBp: 435,
  termMonths: 12,
  repaymentMethod: 'equal_installment',
  ...extra,
});
const loan = (bankId: string): m.DisbursementInput => ({
  bankId,
  amountFen: 150_000_000,
  annualRateBp: 435,
  termMonths: 12,
  repaymentMethod: 'equal_installment',
  disbursedOn: '2026-11-30',
});

async function rejection(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? 'untyped';
    throw err;
  }
}
const state = (id: string) => h.client.workflow.getHandle(`financingRequest-${id}`).query(m.getStateQuery);
const claimStatus = (id: string, bank: string) => h.claim(id, bank).query(m.getClaimQuery);
const waitClaim = (id: string, bank: string, status: string) =>
  until(
    () => claimStatus(id, bank),
    (c) => c.status === status,
  );
const waitStage = (id: string, stage: string) =>
  until(
    () => state(id),
    (s) => s.stage === stage,
  );
/**
 * The final state, polled by query. Not handle.result(): while a result is awaited the
 * time-skipping server fires every pending timer of every workflow, which would age the others.
 */
const closedState = (handle: { query: (q: typeof m.getStateQuery) => Promise<import('../../workflows/state').FinancingRequestState> }) =>
  until(
    () => handle.query(m.getStateQuery),
    (s) => s.stage === 'closed',
  );

describe('financing request lifecycle', () => {
  it('directed accept → review → approve → choose → disburse → rate → closed completed, all recorded', async () => {
    const { id, handle } = await h.publish();
    await waitClaim(id, 'hecheng-rcb', 'offered');
    const c = h.claim(id, 'hecheng-rcb');
    await c.executeUpdate(m.acceptUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await c.executeUpdate(m.startReviewUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await c.executeUpdate(m.approveUpdate, { args: [offer('hecheng-rcb')] });
    await waitStage(id, 'approved');
    await handle.executeUpdate(m.chooseOfferUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await until(
      () => c.query(m.getClaimQuery),
      (x) => x.status === 'approved' && x.deadlineAt !== undefined,
    );
    await until(
      () => rejection(c.executeUpdate(m.disburseUpdate, { args: [loan('hecheng-rcb')], updateId: 'disburse-1' })),
      (r) => r === undefined,
    );
    await waitStage(id, 'disbursed');
    await handle.executeUpdate(m.rateUpdate, { args: [{ meetsNeed: 5, cost: 4, speed: 5, communication: 4, comment: '很快' }] });
    const final = await closedState(handle);
    expect(final.stage).toBe('closed');
    expect(final.closeReason).toBe('completed');
    expect(final.timeline.map((t: { event: string }) => t.event)).toEqual(['published', 'accepted', 'under_review', 'approved', 'disbursed', 'closed']);

    // The workflow's state leads; the database row follows once the closing activity ran.
    const row = await until(
      () => h.db.prisma.financingRequest.findUniqueOrThrow({ where: { id }, include: { loan: true, rating: true, events: true } }),
      (r) => r.stage === 'closed',
    );
    expect(row.stage).toBe('closed');
    expect(row.closeReason).toBe('completed');
    expect(row.loan).toMatchObject({ bankId: 'hecheng-rcb', amountFen: 150_000_000n, firstLoan: true, creditLoan: true });
    expect(row.rating).toMatchObject({ meetsNeed: 5, cost: 4, speed: 5, communication: 4 });
    const claimEvents = row.events.filter((e) => e.event.startsWith('claim:')).map((e) => e.event);
    expect(claimEvents).toEqual(expect.arrayContaining(['claim:offered', 'claim:accepted', 'claim:under_review', 'claim:approved', 'claim:disbursed']));
    // Notifications: one outbox row per recipient, template and channel; the enterprise was told of acceptance once.
    const n = await h.db.prisma.notification.findMany({ where: { financingRequestId: id } });
    const keys = n.map((x) => `${x.recipientType}:${x.recipientId}:${x.templateId}:${x.channel}:${x.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(n.filter((x) => x.templateId === 'requestAccepted' && x.channel === 'inbox')).toHaveLength(1);
    expect(n.some((x) => x.templateId === 'pleaseRate')).toBe(true);
    // Every message has what its template needs (names, amount, deadline…), nothing renders as "—".
    const incomplete = n
      .map((x) => [x.templateId, missingParams(x.templateId, x.params as Record<string, unknown>)] as const)
      .filter(([, miss]) => miss.length > 0);
    expect(incomplete).toEqual([]);
  });

  it('all directed banks reject → the request moves to the pool; without fallback it closes unmatched', async () => {
    const a = await h.publish({ directedBankIds: ['hecheng-rcb', 'jiaxing-bank'], fallbackToPool: true });
    const b = await h.publish({ directedBankIds: ['suzhou-bank'], fallbackToPool: false });
    await waitClaim(a.id, 'jiaxing-bank', 'offered');
    await waitClaim(b.id, 'suzhou-bank', 'offered');
    expect(await rejection(h.claim(a.id, 'hecheng-rcb').executeUpdate(m.rejectUpdate, { args: [{ bankId: 'hecheng-rcb' }] }))).toBe('InvalidTransition');
    await h.claim(a.id, 'hecheng-rcb').executeUpdate(m.rejectUpdate, { args: [{ bankId: 'hecheng-rcb', reason: '行业限额已满' }] });
    await h.claim(a.id, 'jiaxing-bank').executeUpdate(m.rejectUpdate, { args: [{ bankId: 'jiaxing-bank', reason: 'outside our region' }] });
    const pooled = await until(
      () => state(a.id),
      (s) => s.routing === 'pool',
    );
    expect(pooled.routing).toBe('pool');
    expect(pooled.stage).toBe('published');
    // Banks that rejected cannot come back through the pool; others can grab.
    expect(await rejection(a.handle.executeUpdate(m.grabUpdate, { args: [{ bankId: 'hecheng-rcb' }] }))).toBe('AlreadyHoldsClaim');
    await a.handle.executeUpdate(m.grabUpdate, { args: [{ bankId: 'icbc-jiaxing' }] });
    await waitClaim(a.id, 'icbc-jiaxing', 'accepted');

    await h.claim(b.id, 'suzhou-bank').executeUpdate(m.rejectUpdate, { args: [{ bankId: 'suzhou-bank', reason: 'not our market' }] });
    const closed = await closedState(b.handle);
    expect(closed.closeReason).toBe('unmatched');
    await a.handle.executeUpdate(m.withdrawUpdate, { args: [{ reason: 'found other funding' }] });
  });

  it('two approvals: the enterprise chooses one, the other is told it was not chosen', async () => {
    const { id, handle } = await h.publish({ directedBankIds: ['hecheng-rcb', 'jiaxing-bank'] });
    for (const b of ['hecheng-rcb', 'jiaxing-bank']) {
      await waitClaim(id, b, 'offered');
      await h.claim(id, b).executeUpdate(m.acceptUpdate, { args: [{ bankId: b }] });
      await h.claim(id, b).executeUpdate(m.approveUpdate, { args: [offer(b, { annualRateBp: b === 'jiaxing-bank' ? 395 : 435 })] });
    }
    await until(
      () => state(id),
      (s) => s.claims.filter((c) => c.status === 'approved').length === 2,
    );
    expect(await rejection(handle.executeUpdate(m.chooseOfferUpdate, { args: [{ bankId: 'suzhou-bank' }] }))).toBe('NoSuchOffer');
    await handle.executeUpdate(m.chooseOfferUpdate, { args: [{ bankId: 'jiaxing-bank' }] });
    await waitClaim(id, 'hecheng-rcb', 'not_chosen');
    const told = await h.db.prisma.notification.findMany({ where: { financingRequestId: id, templateId: 'offerNotChosen', recipientId: 'hecheng-rcb' } });
    expect(told.length).toBeGreaterThan(0);
    expect(await rejection(handle.executeUpdate(m.chooseOfferUpdate, { args: [{ bankId: 'hecheng-rcb' }] }))).toBe('AlreadyAnswered');
    await handle.executeUpdate(m.withdrawUpdate, { args: [{}] });
    expect((await closedState(handle)).closeReason).toBe('withdrawn');
  });

  it('guarantee approved (fee capped at 1 %, risk shares 65:20:15) and guarantee declined → bank continues without it', async () => {
    const { id, handle } = await h.publish({ guaranteeMethod: 'guarantee', directedBankIds: ['hecheng-rcb', 'jiaxing-bank'] });
    for (const b of ['hecheng-rcb', 'jiaxing-bank']) {
      await waitClaim(id, b, 'offered');
      await h.claim(id, b).executeUpdate(m.acceptUpdate, { args: [{ bankId: b }] });
    }
    await h.claim(id, 'hecheng-rcb').executeUpdate(m.approveUpdate, { args: [offer('hecheng-rcb', { guaranteeInstitutionId: 'jx-guarantor' })] });
    await until(
      () => state(id),
      (s) => s.claims.some((c) => c.status === 'approved'),
    );
    await handle.executeUpdate(m.chooseOfferUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await waitClaim(id, 'hecheng-rcb', 'guarantee_pending');
    const g = h.client.workflow.getHandle(`guarantee-${id}:hecheng-rcb`);
    await until(
      () => g.query(m.getGuaranteeQuery),
      (x) => x.status === 'requested',
    );
    expect(await rejection(g.executeUpdate(m.guaranteeApproveUpdate, { args: [{ guaranteeInstitutionId: 'jx-guarantor', feeFen: 1_500_001 }] }))).toBe(
      'InvalidOffer',
    );
    expect(await rejection(g.executeUpdate(m.guaranteeApproveUpdate, { args: [{ guaranteeInstitutionId: 'other', feeFen: 1 }] }))).toBe('NotDirectedToBank');
    await g.executeUpdate(m.guaranteeApproveUpdate, { args: [{ guaranteeInstitutionId: 'jx-guarantor', feeFen: 1_500_000 }] });
    await waitClaim(id, 'hecheng-rcb', 'approved');
    const row = await until(
      () => h.db.prisma.guarantee.findUniqueOrThrow({ where: { claimId: `${id}:hecheng-rcb` } }),
      (x) => x.status === 'approved',
    );
    expect(row).toMatchObject({ feeFen: 1_500_000n, fundShareBp: 6500, bankShareBp: 2000, guarantorShareBp: 1500 });
    await until(
      () => rejection(h.claim(id, 'hecheng-rcb').executeUpdate(m.disburseUpdate, { args: [loan('hecheng-rcb')] })),
      (r) => r === undefined,
    );
    expect((await h.db.prisma.loan.findFirstOrThrow({ where: { financingRequestId: id } })).creditLoan).toBe(false);
    await handle.executeUpdate(m.rateUpdate, { args: [{ meetsNeed: 4, cost: 4, speed: 4, communication: 4 }] });
    expect((await closedState(handle)).closeReason).toBe('completed');
    // jiaxing-bank never decided: its claim ends with the request.
    await waitClaim(id, 'jiaxing-bank', 'withdrawn');

    // Decline path.
    const d = await h.publish({ guaranteeMethod: 'guarantee', offerSelection: 'first_approval' });
    await waitClaim(d.id, 'hecheng-rcb', 'offered');
    await h.claim(d.id, 'hecheng-rcb').executeUpdate(m.acceptUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await h.claim(d.id, 'hecheng-rcb').executeUpdate(m.approveUpdate, { args: [offer('hecheng-rcb', { guaranteeInstitutionId: 'jx-guarantor' })] });
    const gd = h.client.workflow.getHandle(`guarantee-${d.id}:hecheng-rcb`);
    await until(
      () => gd.query(m.getGuaranteeQuery),
      (x) => x.status === 'requested',
    );
    await gd.executeUpdate(m.guaranteeDeclineUpdate, { args: [{ guaranteeInstitutionId: 'jx-guarantor', reason: 'collateral insufficient' }] });
    await until(
      () => rejection(h.claim(d.id, 'hecheng-rcb').executeUpdate(m.continueWithoutGuaranteeUpdate, { args: [{ bankId: 'hecheng-rcb' }] })),
      (r) => r === undefined,
    );
    await waitClaim(d.id, 'hecheng-rcb', 'approved');
    await d.handle.executeUpdate(m.withdrawUpdate, { args: [{}] });
    expect((await closedState(d.handle)).closeReason).toBe('withdrawn');
  });

  it('withdrawal is possible at every stage before disbursement, and refused after', async () => {
    const stagesReached: string[] = [];
    for (const upTo of ['published', 'accepted', 'under_review', 'approved'] as const) {
      const { id, handle } = await h.publish();
      const c = h.claim(id, 'hecheng-rcb');
      await waitClaim(id, 'hecheng-rcb', 'offered');
      if (upTo !== 'published') await c.executeUpdate(m.acceptUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
      if (upTo === 'under_review' || upTo === 'approved') await c.executeUpdate(m.startReviewUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
      if (upTo === 'approved') await c.executeUpdate(m.approveUpdate, { args: [offer('hecheng-rcb')] });
      await waitStage(id, upTo);
      stagesReached.push((await state(id)).stage);
      await handle.executeUpdate(m.withdrawUpdate, { args: [{ reason: 'no longer needed' }] });
      const final = await closedState(handle);
      expect(final.closeReason).toBe('withdrawn');
      await waitClaim(id, 'hecheng-rcb', 'withdrawn');
      // A closed request takes no more updates (the server refuses updates to a completed workflow).
      await expect(handle.executeUpdate(m.withdrawUpdate, { args: [{}] })).rejects.toThrow();
    }
    expect(stagesReached).toEqual(['published', 'accepted', 'under_review', 'approved']);
  });
});

// Its own test server: it moves the clock to a Friday, and after many workflows on one
// time-skipping server a long env.sleep was seen to wait in real time instead of skipping.
describe('business-day deadlines', () => {
  let own: LifecycleHarness;
  beforeAll(async () => {
    own = await startLifecycleHarness();
  }, 180_000);
  afterAll(async () => {
    await own?.close();
  });
  it('acceptance deadline with reminders at half time and 2 business hours before, across a weekend', async () => {
    // Move the server clock to the coming Friday 16:00 Shanghai (08:00 UTC).
    const now = new Date(await own.env.currentTimeMs());
    const friday = new Date(now);
    friday.setUTCDate(now.getUTCDate() + ((5 - now.getUTCDay() + 7) % 7 || 7));
    friday.setUTCHours(8, 0, 0, 0);
    await own.env.sleep(friday.getTime() - now.getTime());
    const { id, handle } = await own.publish({ directedBankIds: ['suzhou-bank'] });
    const c = await until(
      () => own.claim(id, 'suzhou-bank').query(m.getClaimQuery),
      (x) => x.status === 'offered',
    );
    const published = new Date((await own.client.workflow.getHandle(`financingRequest-${id}`).query(m.getStateQuery)).timeline[0]!.at);
    const expected = addBusinessDays(published, 1, P.calendar);
    // The claim starts a moment after the request; its deadline is one business day after that.
    expect(Math.abs(new Date(c.deadlineAt!).getTime() - expected.getTime())).toBeLessThan(5_000);
    expect(new Date(c.deadlineAt!).getUTCDay()).toBe(1); // Monday
    await own.env.sleep(4 * DAY);
    const final = await closedState(handle);
    expect(final.closeReason).toBe('unmatched');
    const reminders = await own.db.prisma.stageEvent.findMany({
      where: { financingRequestId: id, eventKey: { contains: ':reminder:' } },
      orderBy: { at: 'asc' },
    });
    expect(reminders).toHaveLength(2);
    // Half of 8 business hours after Friday 16:00 is Monday 12:00 (1 h on Friday, 3 h on Monday); 2 business hours before Monday 16:00 is 14:00.
    const shanghaiHour = (d: Date) => (d.getUTCHours() + 8) % 24;
    expect(reminders.map((r) => [r.at.getUTCDay(), shanghaiHour(r.at)])).toEqual([
      [1, 12],
      [1, 14],
    ]);
    const expiredEvent = await own.db.prisma.stageEvent.findFirstOrThrow({ where: { financingRequestId: id, event: 'claim:expired' } });
    expect(Math.abs(expiredEvent.at.getTime() - new Date(c.deadlineAt!).getTime())).toBeLessThan(5_000);
  });
});

/**
 * Tests that move the clock far (env.sleep over days) get their own time-skipping server: after many
 * workflows on one server, a long env.sleep was seen to wait in real time instead of skipping.
 */
function isolatedServer() {
  let shared: LifecycleHarness;
  beforeAll(async () => {
    shared = h;
    h = await startLifecycleHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    h = shared;
  });
}

describe('idempotent disbursement and rating auto-close', () => {
  isolatedServer();
  it('idempotent disbursement: a second disburse is refused and records no second loan', async () => {
    const { id, handle } = await h.publish({ offerSelection: 'first_approval' });
    const c = h.claim(id, 'hecheng-rcb');
    await waitClaim(id, 'hecheng-rcb', 'offered');
    await c.executeUpdate(m.acceptUpdate, { args: [{ bankId: 'hecheng-rcb' }] });
    await c.executeUpdate(m.approveUpdate, { args: [offer('hecheng-rcb')] });
    await until(
      () => rejection(c.executeUpdate(m.disburseUpdate, { args: [loan('hecheng-rcb')], updateId: 'd-a' })),
      (r) => r === undefined,
    );
    // The same update id again is deduplicated by Temporal; a new one is refused by the validator.
    expect(await rejection(c.executeUpdate(m.disburseUpdate, { args: [loan('hecheng-rcb')], updateId: 'd-a' }))).toBeUndefined();
    expect(await rejection(c.executeUpdate(m.disburseUpdate, { args: [loan('hecheng-rcb')], updateId: 'd-b' }))).toBe('RequestClosed');
    expect(await h.db.prisma.loan.count({ where: { financingRequestId: id } })).toBe(1);
    // After disbursement the enterprise can no longer withdraw.
    await waitStage(id, 'disbursed');
    expect(await rejection(handle.executeUpdate(m.withdrawUpdate, { args: [{}] }))).toBe('InvalidTransition');
    // First loan = no earlier loan of this enterprise on the platform.
    const mine = await h.db.prisma.loan.findFirstOrThrow({ where: { financingRequestId: id } });
    const earlier = await h.db.prisma.loan.count({ where: { enterpriseId: mine.enterpriseId, createdAt: { lt: mine.createdAt } } });
    expect(mine.firstLoan).toBe(earlier === 0);
    // Nobody rates: the request auto-closes after the rating window (7 calendar days).
    await h.env.sleep(P.deadlines.ratingCalendarDays * DAY + HOUR);
    const final = await closedState(handle);
    expect(final.closeReason).toBe('completed');
    expect(final.rated).toBe(false);
  });
});

describe('grab race, expiry and slot reopening', () => {
  isolatedServer();
  it('grab race: 30 concurrent grabs from distinct banks → exactly 3 winners, every loser told why; duplicate grab refused', async () => {
    const { id, handle } = await h.publish({ routing: 'pool', directedBankIds: [] });
    await until(
      () => state(id),
      (s) => s.poolClosesAt !== undefined,
    );
    const banks = Array.from({ length: POOL_BANK_COUNT }, (_, i) => `pool-bank-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(banks.map((bankId) => rejection(handle.executeUpdate(m.grabUpdate, { args: [{ bankId }] }))));

    const winners = banks.filter((_, i) => results[i] === undefined);
    expect(winners).toHaveLength(P.grabLimit);
    expect(results.filter((r) => r !== undefined).every((r) => r === 'SlotsFull')).toBe(true);
    expect(await rejection(handle.executeUpdate(m.grabUpdate, { args: [{ bankId: winners[0]! }] }))).toBe('AlreadyHoldsClaim');
    expect(await rejection(handle.executeUpdate(m.grabUpdate, { args: [{ bankId: 'no-such-bank' }] }))).toBe('NotEligible');
    for (const w of winners) await waitClaim(id, w, 'accepted');
    // The claim's query state leads its database row by one activity.
    expect(
      await until(
        () => h.db.prisma.claim.count({ where: { financingRequestId: id, origin: 'grab' } }),
        (n) => n === 3,
      ),
    ).toBe(3);

    // Expiry and slot reopening: one winner approves, two let the decision deadline pass.
    await h.claim(id, winners[0]!).executeUpdate(m.approveUpdate, { args: [offer(winners[0]!)] });
    // 8 calendar days from a weekday: past the 5-business-day decision deadline, inside the 10-day pool window.
    await h.env.sleep(8 * DAY);
    await waitClaim(id, winners[1]!, 'expired');
    await waitClaim(id, winners[2]!, 'expired');
    const loser = banks.find((b) => !winners.includes(b))!;
    await until(
      () => rejection(handle.executeUpdate(m.grabUpdate, { args: [{ bankId: loser }] })),
      (r) => r === undefined,
    );
    await waitClaim(id, loser, 'accepted');
    const expired = await h.db.prisma.notification.findMany({ where: { financingRequestId: id, templateId: 'claimExpired', recipientId: winners[1]! } });
    expect(expired.length).toBeGreaterThan(0);
    await handle.executeUpdate(m.withdrawUpdate, { args: [{}] });
    const final = await closedState(handle);
    expect(final.closeReason).toBe('withdrawn');
    await waitClaim(id, loser, 'withdrawn');
  });
});
