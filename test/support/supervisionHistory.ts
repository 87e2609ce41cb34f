// A small, hand-checkable service history written straight into the database (no workflows) for the
// supervision tests: closed requests with their claims, timeline events, loans and ratings for the
// week 2026-03-02 … 2026-03-08 (Asia/Shanghai), and the figures they must produce, computed by hand.
import type { PrismaClient } from '../../generated/prisma/client';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import type { ClaimStatus, Stage } from '../../domain/vocabulary';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';

/** Monday 2026-03-02 00:00 to Monday 2026-03-09 00:00, Shanghai. */
export const HISTORY_PERIOD = { periodStart: '2026-03-01T16:00:00.000Z', periodEnd: '2026-03-08T16:00:00.000Z' };

const A = 'hecheng-rcb';
const B = 'jiaxing-bank';
const C = 'suzhou-bank';

interface HistClaim {
  bank: string;
  origin: 'directed' | 'grab';
  status: ClaimStatus;
  /** [event, ISO instant] in order; the claim is created at the first and last changed at the last. */
  events: [string, string][];
  approvedAmountFen?: number;
  reason?: string;
}
interface HistRequest {
  n: number;
  routing: 'directed' | 'pool';
  amountFen: number;
  stage?: Stage;
  claims: HistClaim[];
  pool?: { openedAt: string; eligible: string[] };
  loan?: { bank: string; amountFen: number; disbursedOn: string; firstLoan: boolean; creditLoan: boolean };
  rating?: { bank: string; at: string; scores: [number, number, number, number] };
}

export const historyRequestId = (n: number) => `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`;

const HISTORY: HistRequest[] = [
  // Bank A: quick. Accept 2 h, decide 10 h, disburse 20 h after the enterprise's choice.
  {
    n: 1,
    routing: 'directed',
    amountFen: 100_000_000,
    claims: [
      {
        bank: A,
        origin: 'directed',
        status: 'disbursed',
        approvedAmountFen: 100_000_000,
        events: [
          ['claim:offered', '2026-03-02T01:00:00Z'],
          ['claim:accepted', '2026-03-02T03:00:00Z'],
          ['claim:approved', '2026-03-02T13:00:00Z'],
          ['claim:approved', '2026-03-02T17:00:00Z'],
          ['claim:disbursed', '2026-03-03T13:00:00Z'],
        ],
      },
    ],
    loan: { bank: A, amountFen: 100_000_000, disbursedOn: '2026-03-03', firstLoan: true, creditLoan: true },
    rating: { bank: A, at: '2026-03-04T00:00:00Z', scores: [5, 5, 4, 4] },
  },
  // Bank A: accept 4 h, decide 30 h, not chosen.
  {
    n: 2,
    routing: 'directed',
    amountFen: 80_000_000,
    claims: [
      {
        bank: A,
        origin: 'directed',
        status: 'not_chosen',
        approvedAmountFen: 80_000_000,
        events: [
          ['claim:offered', '2026-03-03T01:00:00Z'],
          ['claim:accepted', '2026-03-03T05:00:00Z'],
          ['claim:approved', '2026-03-04T11:00:00Z'],
          ['claim:not_chosen', '2026-03-05T01:00:00Z'],
        ],
      },
    ],
  },
  // An open-pool request A, B and C were eligible for; A grabbed it and declined after 20 h.
  {
    n: 3,
    routing: 'pool',
    amountFen: 50_000_000,
    pool: { openedAt: '2026-03-02T02:00:00Z', eligible: [A, B, C] },
    claims: [
      {
        bank: A,
        origin: 'grab',
        status: 'declined',
        reason: 'insufficient collateral',
        events: [
          ['claim:accepted', '2026-03-02T05:00:00Z'],
          ['claim:declined', '2026-03-03T01:00:00Z'],
        ],
      },
    ],
  },
  // Bank B: slow. Accept 20 h, decide 100 h, disburse 30 h.
  {
    n: 4,
    routing: 'directed',
    amountFen: 200_000_000,
    claims: [
      {
        bank: B,
        origin: 'directed',
        status: 'disbursed',
        approvedAmountFen: 200_000_000,
        events: [
          ['claim:offered', '2026-03-02T02:00:00Z'],
          ['claim:accepted', '2026-03-02T22:00:00Z'],
          ['claim:approved', '2026-03-07T02:00:00Z'],
          ['claim:approved', '2026-03-07T04:00:00Z'],
          ['claim:disbursed', '2026-03-08T10:00:00Z'],
        ],
      },
    ],
    loan: { bank: B, amountFen: 200_000_000, disbursedOn: '2026-03-08', firstLoan: false, creditLoan: false },
    rating: { bank: B, at: '2026-03-08T12:00:00Z', scores: [3, 3, 2, 2] },
  },
  // Bank B lets an offer expire unanswered...
  {
    n: 5,
    routing: 'directed',
    amountFen: 60_000_000,
    claims: [
      {
        bank: B,
        origin: 'directed',
        status: 'expired',
        reason: 'deadline:acceptance',
        events: [
          ['claim:offered', '2026-03-02T03:00:00Z'],
          ['claim:expired', '2026-03-03T03:00:00Z'],
        ],
      },
    ],
  },
  // ...and accepts one in 8 h but lets the decision deadline pass.
  {
    n: 6,
    routing: 'directed',
    amountFen: 70_000_000,
    claims: [
      {
        bank: B,
        origin: 'directed',
        status: 'expired',
        reason: 'deadline:decision',
        events: [
          ['claim:offered', '2026-03-03T01:00:00Z'],
          ['claim:accepted', '2026-03-03T09:00:00Z'],
          ['claim:expired', '2026-03-08T09:00:00Z'],
        ],
      },
    ],
  },
  // Before the period: must not count.
  {
    n: 7,
    routing: 'directed',
    amountFen: 90_000_000,
    claims: [
      {
        bank: A,
        origin: 'directed',
        status: 'expired',
        reason: 'deadline:acceptance',
        events: [
          ['claim:offered', '2026-02-18T01:00:00Z'],
          ['claim:expired', '2026-02-19T01:00:00Z'],
        ],
      },
    ],
  },
];

/**
 * The figures HISTORY must produce for HISTORY_PERIOD, by hand:
 * A accept [2, 4] h → median 3, p90 2 + 0.9·2 = 3.8; decide [10, 20, 30] → 20, p90 20 + 0.8·10 = 28; disburse [20];
 *   3 ended (disbursed, not chosen, declined), none expired; approvals 2 of 3 decided; 1 grab of 1 eligible pool request.
 * B accept [20, 8] → 14, p90 8 + 0.9·12 = 18.8; decide [100]; disburse [30]; 3 ended, 2 expired → 0.6667; approval 1/1; 0 of 1 grabs.
 * C: eligible for the pool request, no grab: grab win 0, ranked. D (icbc-jiaxing): no activity, unranked.
 */
export const EXPECTED = {
  [A]: {
    acceptHours: { median: 3, p90: 3.8, n: 2 },
    decideHours: { median: 20, p90: 28, n: 3 },
    disburseHours: { median: 20, p90: 20, n: 1 },
    claimsEnded: 3,
    expired: 0,
    missedShare: 0,
    poolEligible: 1,
    grabs: 1,
    grabWinRate: 1,
    approvalRate: 0.6667,
    rating: { n: 1, meetsNeed: 5, cost: 5, speed: 4, communication: 4 },
    loans: { count: 1, amountFen: 100_000_000, firstLoans: 1, creditLoans: 1 },
  },
  [B]: {
    acceptHours: { median: 14, p90: 18.8, n: 2 },
    decideHours: { median: 100, p90: 100, n: 1 },
    disburseHours: { median: 30, p90: 30, n: 1 },
    claimsEnded: 3,
    expired: 2,
    missedShare: 0.6667,
    poolEligible: 1,
    grabs: 0,
    grabWinRate: 0,
    approvalRate: 1,
    rating: { n: 1, meetsNeed: 3, cost: 3, speed: 2, communication: 2 },
    loans: { count: 1, amountFen: 200_000_000, firstLoans: 0, creditLoans: 0 },
  },
};

/**
 * The documented score (domain/supervision.ts) worked by hand:
 * A: .15·(1−3/24) + .15·(1−20/168) + .1·(1−20/168) + .2·1 + .05·1 + .1·.6667 + .15·(4.5−1)/4 + .1·(½·1/1 + ½·1e8/2e8)
 * B: .15·(1−14/24) + .15·(1−100/168) + .1·(1−30/168) + .2·(1−.6667) + .05·0 + .1·1 + .15·(2.5−1)/4 + .1·1
 * C: only grabWin (0) and volume (0) → 0.
 */
export const EXPECTED_SCORES = {
  [A]:
    Math.round(100 * (0.15 * (1 - 3 / 24) + 0.15 * (1 - 20 / 168) + 0.1 * (1 - 20 / 168) + 0.2 + 0.05 + 0.1 * 0.6667 + 0.15 * 0.875 + 0.1 * 0.75) * 100) / 100,
  [B]: Math.round(100 * (0.15 * (1 - 14 / 24) + 0.15 * (1 - 100 / 168) + 0.1 * (1 - 30 / 168) + 0.2 * (1 - 0.6667) + 0 + 0.1 + 0.15 * 0.375 + 0.1) * 100) / 100,
  [C]: 0,
};

export async function seedSupervisionHistory(prisma: PrismaClient): Promise<void> {
  for (const r of HISTORY) {
    const id = historyRequestId(r.n);
    const first = r.pool?.openedAt ?? r.claims[0]!.events[0]![1];
    const last = r.claims
      .flatMap((c) => c.events.map((e) => e[1]))
      .sort()
      .at(-1)!;
    await prisma.financingRequest.create({
      data: {
        id,
        enterpriseId: DEMO_ENTERPRISE_ID,
        idempotencyKey: `history-${r.n}`,
        amountFen: BigInt(r.amountFen),
        termMonths: 12,
        purpose: 'working capital',
        guaranteeMethod: 'credit',
        routing: r.routing,
        directedBankIds: r.routing === 'directed' ? r.claims.map((c) => c.bank) : [],
        fallbackToPool: false,
        dataConsent: false,
        policyVersion: CURRENT_LIFECYCLE_POLICY.version,
        stage: r.stage ?? 'closed',
        closeReason: r.stage && r.stage !== 'closed' ? null : r.loan ? 'completed' : 'expired',
        poolClosesAt: r.pool ? new Date(new Date(r.pool.openedAt).getTime() + 14 * 86_400_000) : null,
        eligibleBankIds: r.pool?.eligible ?? [],
        workflowId: `history-${id}`,
        createdAt: new Date(first),
      },
    });
    const events = [
      { eventKey: `${id}:published`, financingRequestId: id, claimId: null as string | null, event: 'published', actor: 'system', at: new Date(first) },
      ...(r.pool
        ? [{ eventKey: `${id}:pool`, financingRequestId: id, claimId: null, event: 'pool:opened', actor: 'system', at: new Date(r.pool.openedAt) }]
        : []),
    ];
    for (const c of r.claims) {
      const claimId = `${id}:${c.bank}`;
      await prisma.claim.create({
        data: {
          id: claimId,
          financingRequestId: id,
          bankId: c.bank,
          origin: c.origin,
          status: c.status,
          reason: c.reason ?? null,
          approvedAmountFen: c.approvedAmountFen === undefined ? null : BigInt(c.approvedAmountFen),
          annualRateBp: c.approvedAmountFen === undefined ? null : 435,
          offerTermMonths: c.approvedAmountFen === undefined ? null : 12,
          createdAt: new Date(c.events[0]![1]),
        },
      });
      // updatedAt is maintained by the client on writes: set it to the last change, as the lifecycle would have.
      await prisma.$executeRaw`UPDATE "Claim" SET "updatedAt" = ${new Date(c.events.at(-1)![1])} WHERE "id" = ${claimId}`;
      c.events.forEach(([event, at], i) =>
        events.push({
          eventKey: `${claimId}:${i}:${event}`,
          financingRequestId: id,
          claimId,
          event,
          actor: i === 0 ? 'system' : `bank:${c.bank}`,
          at: new Date(at),
        }),
      );
    }
    await prisma.stageEvent.createMany({ data: events });
    await prisma.$executeRaw`UPDATE "FinancingRequest" SET "updatedAt" = ${new Date(last)} WHERE "id" = ${id}`;
    if (r.loan) {
      await prisma.loan.create({
        data: {
          id: `loan-${id}:${r.loan.bank}`,
          claimId: `${id}:${r.loan.bank}`,
          financingRequestId: id,
          bankId: r.loan.bank,
          enterpriseId: DEMO_ENTERPRISE_ID,
          amountFen: BigInt(r.loan.amountFen),
          annualRateBp: 435,
          termMonths: 12,
          repaymentMethod: 'equal_installment',
          disbursedOn: new Date(`${r.loan.disbursedOn}T00:00:00Z`),
          firstLoan: r.loan.firstLoan,
          creditLoan: r.loan.creditLoan,
        },
      });
    }
    if (r.rating) {
      const [meetsNeed, cost, speed, communication] = r.rating.scores;
      await prisma.rating.create({
        data: { id: `rating-${id}`, financingRequestId: id, bankId: r.rating.bank, meetsNeed, cost, speed, communication, createdAt: new Date(r.rating.at) },
      });
    }
  }
}

/**
 * A live request whose claim is stuck, with no workflow behind it (as if a worker had fallen behind):
 * the claim is `status`, its deadline `overdueHours` ago (negative: still ahead), last changed `idleDays` ago.
 */
export async function seedStuckClaim(
  prisma: PrismaClient,
  o: { n: number; bank: string; status: ClaimStatus; stage: Stage; amountFen: number; deadlineAt: Date; lastChangeAt: Date; createdAt: Date },
): Promise<string> {
  const id = historyRequestId(o.n);
  await prisma.financingRequest.create({
    data: {
      id,
      enterpriseId: DEMO_ENTERPRISE_ID,
      idempotencyKey: `stuck-${o.n}`,
      amountFen: BigInt(o.amountFen),
      termMonths: 12,
      purpose: 'equipment',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: [o.bank],
      fallbackToPool: false,
      dataConsent: false,
      policyVersion: CURRENT_LIFECYCLE_POLICY.version,
      stage: o.stage,
      workflowId: `stuck-${id}`,
      createdAt: o.createdAt,
    },
  });
  const claimId = `${id}:${o.bank}`;
  await prisma.claim.create({
    data: { id: claimId, financingRequestId: id, bankId: o.bank, origin: 'directed', status: o.status, deadlineAt: o.deadlineAt, createdAt: o.createdAt },
  });
  await prisma.$executeRaw`UPDATE "Claim" SET "updatedAt" = ${o.lastChangeAt} WHERE "id" = ${claimId}`;
  await prisma.$executeRaw`UPDATE "FinancingRequest" SET "updatedAt" = ${o.lastChangeAt} WHERE "id" = ${id}`;
  return id;
}
