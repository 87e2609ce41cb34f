// Supervisors' service-time assessment and ranking from a pre-aggregated materialized view. Why: on
// the Jiaxing-scale seed (300k claims, 1.2M timeline events) a 90-day assessment from the base tables
// takes 0.6–0.8 s on this 2-core machine (a pass over every claim's timeline, and pool eligibility
// expanded to one row per eligible bank); issue 7 asks for p95 < 200 ms on every supervisor endpoint.
// The weekly report computes the same figures exactly from the base tables
// (activities/supervisionReport.ts exactAssessment); both are tested against the same hand-computed
// figures. Freshness as for the statistics view: answers may be up to a minute behind (background
// refresh), at most 15 minutes (prisma/materializedView.ts).
//
// Rows: kind 'claim', one per claim, with the time of each step (offered, accepted, decided,
// disbursed, last approval) — durations for any period are computed from these exactly; kind 'pool',
// one per (Shanghai day the pool opened, bank) with the pool requests the bank was eligible for and
// those it grabbed — whole days of a period are summed from these, partial days at its edges are
// counted from the base tables; and one '_meta' row.
import type { PrismaClient } from '../generated/prisma/client';
import { exactAssessment, type AssessmentSource, type DurationRow, type PoolRow } from './assessment';
import { shanghaiDate } from '../domain/calendar';
import { MaterializedView, STATS_SCHEMA } from '../prisma/materializedView';

/** Bump the version when the definition changes: the old view is dropped, the new one built. */
export const ASSESSMENT_VIEW = `${STATS_SCHEMA}.assessment_v1`;
const ASSESSMENT_LOCK = 72707372;
const DAY_MS = 24 * 3_600_000;

const CLAIM_EVENTS = `('claim:offered', 'claim:accepted', 'claim:approved', 'claim:declined', 'claim:disbursed')`;

function assessmentViewSql(): string {
  return `
CREATE MATERIALIZED VIEW IF NOT EXISTS ${ASSESSMENT_VIEW} AS
WITH steps AS (
  SELECT e."claimId" AS claim_id,
    MIN(e."at") FILTER (WHERE e."event" = 'claim:offered') AS offered,
    MIN(e."at") FILTER (WHERE e."event" = 'claim:accepted') AS accepted,
    MIN(e."at") FILTER (WHERE e."event" IN ('claim:approved', 'claim:declined')) AS decided,
    MIN(e."at") FILTER (WHERE e."event" = 'claim:disbursed') AS disbursed,
    MAX(e."at") FILTER (WHERE e."event" = 'claim:approved') AS last_approved
  FROM "StageEvent" e
  WHERE e."claimId" IS NOT NULL AND e."event" IN ${CLAIM_EVENTS}
  GROUP BY 1
),
pool_requests AS (
  SELECT "financingRequestId" AS id, MIN("at") AS opened FROM "StageEvent" WHERE "event" = 'pool:opened' GROUP BY 1
),
pool_cells AS (
  SELECT (p.opened + interval '8 hours')::date AS day, b.bank, count(*) AS eligible, count(c."id") AS grabs
  FROM pool_requests p JOIN "FinancingRequest" fr ON fr."id" = p.id
  CROSS JOIN LATERAL unnest(fr."eligibleBankIds") AS b(bank)
  LEFT JOIN "Claim" c ON c."financingRequestId" = fr."id" AND c."bankId" = b.bank AND c."origin" = 'grab'
  GROUP BY 1, 2
)
SELECT 'claim'::text AS kind, claim_id AS key, split_part(claim_id, ':', 2) AS bank, NULL::date AS day,
  offered, accepted, decided, disbursed, last_approved, 0::bigint AS eligible, 0::bigint AS grabs, now() AS as_of
FROM steps
UNION ALL
SELECT 'pool', day::text || ':' || bank, bank, day, NULL, NULL, NULL, NULL, NULL, eligible, grabs, now() FROM pool_cells
-- Always one row, so asOf is known even on an empty platform.
UNION ALL
SELECT '_meta', '', '', NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, now()`;
}

/** The period bound as the timestamp column stores it (UTC, without time zone). */
const AT = (i: number) => `($${i}::timestamptz AT TIME ZONE 'UTC')`;

export class AssessmentView extends MaterializedView implements AssessmentSource {
  private readonly exact: AssessmentSource;

  constructor(prisma: PrismaClient) {
    super(prisma, {
      name: ASSESSMENT_VIEW,
      createSql: assessmentViewSql(),
      indexSql: [
        `CREATE UNIQUE INDEX IF NOT EXISTS assessment_v1_key ON ${ASSESSMENT_VIEW} (kind, key)`,
        `CREATE INDEX IF NOT EXISTS assessment_v1_accepted ON ${ASSESSMENT_VIEW} (accepted) WHERE kind = 'claim'`,
        `CREATE INDEX IF NOT EXISTS assessment_v1_decided ON ${ASSESSMENT_VIEW} (decided) WHERE kind = 'claim'`,
        `CREATE INDEX IF NOT EXISTS assessment_v1_disbursed ON ${ASSESSMENT_VIEW} (disbursed) WHERE kind = 'claim'`,
        `CREATE INDEX IF NOT EXISTS assessment_v1_day ON ${ASSESSMENT_VIEW} (day) WHERE kind = 'pool'`,
      ],
      asOfSql: `SELECT as_of FROM ${ASSESSMENT_VIEW} WHERE kind = '_meta'`,
      lockKey: ASSESSMENT_LOCK,
    });
    this.exact = exactAssessment(prisma);
  }

  /** Step durations of the claims with a step completed in [from, to): the same figures as exactAssessment. */
  durations(from: Date, to: Date): Promise<DurationRow[]> {
    const inPeriod = (col: string) => `(${col} >= ${AT(1)} AND ${col} < ${AT(2)})`;
    return this.prisma.$queryRawUnsafe<DurationRow[]>(
      `SELECT bank,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY accept_h) AS accept_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY accept_h) AS accept_p90, COUNT(accept_h) AS accept_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY decide_h) AS decide_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY decide_h) AS decide_p90, COUNT(decide_h) AS decide_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY disburse_h) AS disburse_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY disburse_h) AS disburse_p90, COUNT(disburse_h) AS disburse_n
      FROM (
        SELECT bank,
          CASE WHEN ${inPeriod('accepted')} AND offered IS NOT NULL THEN EXTRACT(EPOCH FROM accepted - offered)::float8 / 3600 END AS accept_h,
          CASE WHEN ${inPeriod('decided')} AND accepted IS NOT NULL THEN EXTRACT(EPOCH FROM decided - accepted)::float8 / 3600 END AS decide_h,
          CASE WHEN ${inPeriod('disbursed')} AND last_approved IS NOT NULL THEN EXTRACT(EPOCH FROM disbursed - last_approved)::float8 / 3600 END AS disburse_h
        FROM ${ASSESSMENT_VIEW}
        WHERE kind = 'claim' AND (${inPeriod('accepted')} OR ${inPeriod('decided')} OR ${inPeriod('disbursed')})
      ) d
      GROUP BY bank`,
      from.toISOString(),
      to.toISOString(),
    );
  }

  /** Pool eligibility and grabs: whole Shanghai days from the day cells, partial days at the edges exactly. */
  async pools(from: Date, to: Date): Promise<PoolRow[]> {
    // Shanghai midnights: the first at or after `from`, the last at or before `to`.
    const midnight = (d: Date) => new Date(`${shanghaiDate(d)}T00:00:00+08:00`);
    const firstDay = midnight(from) < from ? new Date(midnight(from).getTime() + DAY_MS) : from;
    const endDay = midnight(to);
    if (!(firstDay < endDay)) return this.exact.pools(from, to);
    const parts = await Promise.all([
      this.prisma.$queryRawUnsafe<PoolRow[]>(
        `SELECT bank, sum(eligible)::bigint AS eligible, sum(grabs)::bigint AS grabs FROM ${ASSESSMENT_VIEW}
         WHERE kind = 'pool' AND day >= $1::date AND day < $2::date GROUP BY bank`,
        shanghaiDate(firstDay),
        shanghaiDate(endDay),
      ),
      from < firstDay ? this.exact.pools(from, firstDay) : Promise.resolve([]),
      endDay < to ? this.exact.pools(endDay, to) : Promise.resolve([]),
    ]);
    const sums = new Map<string, PoolRow>();
    for (const row of parts.flat()) {
      const cur = sums.get(row.bank) ?? { bank: row.bank, eligible: 0n, grabs: 0n };
      cur.eligible += BigInt(row.eligible);
      cur.grabs += BigInt(row.grabs);
      sums.set(row.bank, cur);
    }
    return [...sums.values()];
  }
}
