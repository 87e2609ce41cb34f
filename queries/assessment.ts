// Per-bank service figures for a period (SQL aggregates on indexed columns), the ranking built from
// them, and the live stuck-claim count: what supervisors read, from the API and the weekly report.
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { shanghaiDate } from '../domain/calendar';
import { idleCutoff, rankBanks, SUPERVISION_CONFIG, type BankFigures, type DurationFigures, type RankingRow } from '../domain/supervision';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';

export interface Period {
  periodStart: string;
  periodEnd: string;
}

const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(typeof x === 'object' ? String(x) : x));
const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : num(x));
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const round = (x: number | null, digits = 2): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** Live claim statuses as SQL literals (the column is an enum; literals need no cast, bound text would). */
const LIVE_SQL = Prisma.raw(LIVE_CLAIM_STATUSES.map((s) => `'${s}'`).join(','));
const ENDED_SQL = Prisma.raw(['disbursed', 'declined', 'rejected', 'expired', 'not_chosen', 'released'].map((s) => `'${s}'::"ClaimStatus"`).join(','));

export interface DurationRow {
  bank: string;
  accept_median: number | null;
  accept_p90: number | null;
  accept_n: bigint;
  decide_median: number | null;
  decide_p90: number | null;
  decide_n: bigint;
  disburse_median: number | null;
  disburse_p90: number | null;
  disburse_n: bigint;
}

/**
 * The two expensive parts of a bank's figures — step durations (percentiles over claims' timelines)
 * and pool eligibility / grabs — from a source: computed exactly from the base tables (the weekly
 * report), or from the pre-aggregated assessment view (the API, api/routes/assessmentView.ts).
 */
export interface AssessmentSource {
  durations(from: Date, to: Date): Promise<DurationRow[]>;
  pools(from: Date, to: Date): Promise<PoolRow[]>;
}

export interface PoolRow {
  bank: string;
  eligible: bigint;
  grabs: bigint;
}

/** Figures computed from the base tables, exact at the moment of the query. */
export function exactAssessment(prisma: PrismaClient): AssessmentSource {
  return {
    durations: (from, to) =>
      prisma.$queryRaw<DurationRow[]>`
      WITH touched AS (
        SELECT DISTINCT "claimId" FROM "StageEvent"
        WHERE "event" IN ('claim:accepted', 'claim:approved', 'claim:declined', 'claim:disbursed') AND "at" >= ${from} AND "at" < ${to} AND "claimId" IS NOT NULL
      ), ev AS (
        SELECT e."claimId",
          MIN(e."at") FILTER (WHERE e."event" = 'claim:offered') AS offered,
          MIN(e."at") FILTER (WHERE e."event" = 'claim:accepted') AS accepted,
          MIN(e."at") FILTER (WHERE e."event" IN ('claim:approved', 'claim:declined')) AS decided,
          MIN(e."at") FILTER (WHERE e."event" = 'claim:disbursed') AS disbursed,
          MAX(e."at") FILTER (WHERE e."event" = 'claim:approved') AS last_approved
        FROM "StageEvent" e JOIN touched t ON t."claimId" = e."claimId"
        WHERE e."event" IN ('claim:offered', 'claim:accepted', 'claim:approved', 'claim:declined', 'claim:disbursed')
        GROUP BY e."claimId"
      ), d AS (
        SELECT split_part("claimId", ':', 2) AS bank,
          CASE WHEN accepted >= ${from} AND accepted < ${to} AND offered IS NOT NULL THEN EXTRACT(EPOCH FROM accepted - offered)::float8 / 3600 END AS accept_h,
          CASE WHEN decided >= ${from} AND decided < ${to} AND accepted IS NOT NULL THEN EXTRACT(EPOCH FROM decided - accepted)::float8 / 3600 END AS decide_h,
          CASE WHEN disbursed >= ${from} AND disbursed < ${to} AND last_approved IS NOT NULL THEN EXTRACT(EPOCH FROM disbursed - last_approved)::float8 / 3600 END AS disburse_h
        FROM ev
      )
      SELECT bank,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY accept_h) AS accept_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY accept_h) AS accept_p90, COUNT(accept_h) AS accept_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY decide_h) AS decide_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY decide_h) AS decide_p90, COUNT(decide_h) AS decide_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY disburse_h) AS disburse_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY disburse_h) AS disburse_p90, COUNT(disburse_h) AS disburse_n
      FROM d GROUP BY bank`,
    pools: (from, to) =>
      prisma.$queryRaw<PoolRow[]>`
      WITH pools AS (
        SELECT DISTINCT "financingRequestId" AS id FROM "StageEvent" WHERE "event" = 'pool:opened' AND "at" >= ${from} AND "at" < ${to}
      )
      SELECT b.bank, COUNT(*) AS eligible, COUNT(c."id") AS grabs
      FROM pools p JOIN "FinancingRequest" fr ON fr."id" = p.id
      CROSS JOIN LATERAL unnest(fr."eligibleBankIds") AS b(bank)
      LEFT JOIN "Claim" c ON c."financingRequestId" = fr."id" AND c."bankId" = b.bank AND c."origin" = 'grab'
      GROUP BY b.bank`,
  };
}

/**
 * Service figures of every bank for [from, to). A step counts in the period in which it was completed
 * (accepted, decided, disbursed); ended claims are those that reached a terminal status in the period
 * (the enterprise's withdrawals aside); pool eligibility counts requests whose pool opened in the period.
 * Durations are elapsed hours between timeline entries (StageEvent), median and p90 by percentile_cont.
 */
export async function assessBanks(prisma: PrismaClient, from: Date, to: Date, source: AssessmentSource = exactAssessment(prisma)): Promise<BankFigures[]> {
  const [banks, durations, ended, pools, ratings, loans] = await Promise.all([
    prisma.bank.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } }),
    source.durations(from, to),
    prisma.$queryRaw<{ bank: string; ended: bigint; expired: bigint; released: bigint; approvals: bigint; declines: bigint }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS ended,
        COUNT(*) FILTER (WHERE "status" = 'expired') AS expired,
        COUNT(*) FILTER (WHERE "status" = 'released') AS released,
        COUNT(*) FILTER (WHERE "approvedAmountFen" IS NOT NULL) AS approvals,
        COUNT(*) FILTER (WHERE "status" = 'declined' AND "approvedAmountFen" IS NULL) AS declines
      FROM "Claim"
      WHERE "status" IN (${ENDED_SQL}) AND "updatedAt" >= ${from} AND "updatedAt" < ${to}
      GROUP BY "bankId"`,
    source.pools(from, to),
    prisma.$queryRaw<{ bank: string; n: bigint; meets_need: number; cost: number; speed: number; communication: number }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS n, AVG("meetsNeed")::float8 AS meets_need, AVG("cost")::float8 AS cost, AVG("speed")::float8 AS speed,
        AVG("communication")::float8 AS communication
      FROM "Rating" WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY "bankId"`,
    // Disbursement dates are Shanghai calendar dates: the period's local dates bound them.
    prisma.$queryRaw<{ bank: string; n: bigint; amount: unknown; first_loans: bigint; credit_loans: bigint }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS n, COALESCE(SUM("amountFen"), 0) AS amount,
        COUNT(*) FILTER (WHERE "firstLoan") AS first_loans, COUNT(*) FILTER (WHERE "creditLoan") AS credit_loans
      FROM "Loan" WHERE "disbursedOn" >= ${shanghaiDate(from)}::date AND "disbursedOn" < ${shanghaiDate(to)}::date
      GROUP BY "bankId"`,
  ]);
  const by = <T extends { bank: string }>(rows: T[]) => new Map(rows.map((r) => [r.bank, r]));
  const [d, e, p, r, l] = [by(durations), by(ended), by(pools), by(ratings), by(loans)];
  const dur = (median: number | null | undefined, p90: number | null | undefined, n: bigint | undefined): DurationFigures => ({
    median: round(numOrNull(median)),
    p90: round(numOrNull(p90)),
    n: num(n),
  });
  const ids = new Set([...banks.map((b) => b.id), ...d.keys(), ...e.keys(), ...l.keys()]);
  const names = new Map(banks.map((b) => [b.id, b.name]));
  return [...ids].sort().map((bankId) => {
    const dd = d.get(bankId);
    const ee = e.get(bankId);
    const pp = p.get(bankId);
    const rr = r.get(bankId);
    const ll = l.get(bankId);
    const claimsEnded = num(ee?.ended);
    const expired = num(ee?.expired);
    const approvals = num(ee?.approvals);
    const declines = num(ee?.declines);
    const poolEligible = num(pp?.eligible);
    const grabs = num(pp?.grabs);
    return {
      bankId,
      bankName: names.get(bankId) ?? bankId,
      acceptHours: dur(dd?.accept_median, dd?.accept_p90, dd?.accept_n),
      decideHours: dur(dd?.decide_median, dd?.decide_p90, dd?.decide_n),
      disburseHours: dur(dd?.disburse_median, dd?.disburse_p90, dd?.disburse_n),
      claimsEnded,
      expired,
      released: num(ee?.released),
      missedShare: round(ratio(expired, claimsEnded), 4),
      poolEligible,
      grabs,
      grabWinRate: round(ratio(grabs, poolEligible), 4),
      approvals,
      declines,
      approvalRate: round(ratio(approvals, approvals + declines), 4),
      rating: {
        n: num(rr?.n),
        meetsNeed: round(numOrNull(rr?.meets_need)),
        cost: round(numOrNull(rr?.cost)),
        speed: round(numOrNull(rr?.speed)),
        communication: round(numOrNull(rr?.communication)),
      },
      loans: { count: num(ll?.n), amountFen: num(ll?.amount), firstLoans: num(ll?.first_loans), creditLoans: num(ll?.credit_loans) },
    };
  });
}

/** The ranking of a period, as the API answers it and the report stores it. */
export interface RankingReport {
  periodStart: string;
  periodEnd: string;
  configVersion: string;
  weights: Record<string, number>;
  /** Banks with a rank (activity in the period). */
  rankedBanks: number;
  rows: RankingRow[];
}

export async function buildRanking(prisma: PrismaClient, period: Period, source?: AssessmentSource): Promise<RankingReport> {
  const rows = rankBanks(await assessBanks(prisma, new Date(period.periodStart), new Date(period.periodEnd), source));
  return {
    ...period,
    configVersion: SUPERVISION_CONFIG.version,
    weights: { ...SUPERVISION_CONFIG.ranking.weights },
    rankedBanks: rows.filter((r) => r.rank !== null).length,
    rows,
  };
}

/** Live claims past their deadline or idle beyond the threshold now (the report's one-line stuck figure). */
export async function countStuckClaims(prisma: PrismaClient, now: Date): Promise<number> {
  const cutoff = idleCutoff(now, SUPERVISION_CONFIG.stuck.idleBusinessDays, SUPERVISION_CONFIG.calendar);
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*) AS n FROM "Claim" WHERE "status" IN (${LIVE_SQL}) AND ("deadlineAt" < ${now} OR "updatedAt" < ${cutoff})`;
  return num(row?.n);
}
