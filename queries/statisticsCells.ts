// Platform statistics are read from a pre-aggregated materialized view, created and refreshed here at
// runtime. Why: on the Jiaxing-scale seed (100k requests, 300k claims, 1.2M timeline events) the
// same figures computed from the base tables take over a second on this 2-core machine; summing the
// view's day cells takes a few milliseconds. Why at runtime and not in a migration: the figures are a
// cache owned by this module (its definition changes with it, the name carries a version), and it
// lives in its own schema so Prisma's `public` catalogue (and the drift test) never sees it.
//
// Cells: one row per (Shanghai day the request was published, dimension, key) with the request
// figures; dimension 'all' has key '', 'bank' rows count the claims each bank received. Requests are
// cohorted by the day they were published: a request published in March and lent in April counts
// as lent in March. Freshness: answers carry `asOf`; a view older than REFRESH_AFTER_MS is refreshed
// in the background (CONCURRENTLY: readers are never blocked), one older than MAX_STALE_MS (or a
// call with fresh=true) waits for a refresh first.
import type { PrismaClient } from '../generated/prisma/client';
import { AMOUNT_TIERS_WAN, RATE_TIERS_BP, TERM_TIERS } from '../domain/tiers';
import { MaterializedView, STATS_SCHEMA } from '../prisma/materializedView';

/** Bump the version when the definition changes: the old view is dropped, the new one built. */
export const CELLS_VIEW = `${STATS_SCHEMA}.cells_v1`;
const OLD_VIEWS: string[] = [];
/** Advisory lock key: one refresh at a time across API replicas. */
const REFRESH_LOCK = 72707371;
const FEN_PER_WAN = 1_000_000;

/** The figure columns of a cell, in order. */
export const FIGURES = [
  'requests',
  'requested_fen',
  'claimed',
  'claimed_fen',
  'approved',
  'approved_fen',
  'disbursed',
  'disbursed_fen',
  'first_loans',
  'credit_loans',
  'credit_fen',
] as const;
export type FigureColumn = (typeof FIGURES)[number];
export type CellSums = Record<FigureColumn, number>;

function tierCase(col: string, tiers: readonly { id: string }[], bound: (t: any) => number): string {
  const whens = tiers
    .filter((t) => Number.isFinite(bound(t)))
    .map((t) => `WHEN ${col} <= ${bound(t)} THEN '${t.id}'`)
    .join(' ');
  return `CASE ${whens} ELSE '${tiers[tiers.length - 1]!.id}' END`;
}

/** Figures over the rows of one group; `f` prefixes the request facts. */
const requestFigures = `
  count(*) AS requests, sum(f.fen)::bigint AS requested_fen,
  count(*) FILTER (WHERE f.claimed) AS claimed, coalesce(sum(f.fen) FILTER (WHERE f.claimed), 0)::bigint AS claimed_fen,
  count(f.approved_fen) AS approved, coalesce(sum(f.approved_fen), 0)::bigint AS approved_fen,
  count(f.loan_fen) AS disbursed, coalesce(sum(f.loan_fen), 0)::bigint AS disbursed_fen,
  count(*) FILTER (WHERE f.first_loan) AS first_loans, count(*) FILTER (WHERE f.credit_loan) AS credit_loans,
  coalesce(sum(f.loan_fen) FILTER (WHERE f.credit_loan), 0)::bigint AS credit_fen`;

/**
 * A request is claimed when some bank took it on (accepted a directed offer or a product
 * application, or grabbed it): the timeline has a claim:accepted event. Approved: some bank made an
 * offer (the largest offer counts). Disbursed: its Loan. Rate tier: the loan's rate, else the best
 * offer's, else 'none'.
 */
export function cellsViewSql(): string {
  const amount = tierCase('f.fen', AMOUNT_TIERS_WAN, (t) => t.maxWan * FEN_PER_WAN);
  const term = tierCase('f.term', TERM_TIERS, (t) => t.maxMonths);
  const rate = `CASE WHEN f.rate IS NULL THEN 'none' ELSE ${tierCase('f.rate', RATE_TIERS_BP, (t) => t.maxBp)} END`;
  return `
CREATE MATERIALIZED VIEW IF NOT EXISTS ${CELLS_VIEW} AS
WITH accepted AS (
  SELECT DISTINCT "claimId" AS claim_id, "financingRequestId" AS request_id FROM "StageEvent" WHERE event = 'claim:accepted'
),
offers AS (
  SELECT "financingRequestId" AS request_id, max("approvedAmountFen") AS fen, min("annualRateBp") AS rate
  FROM "Claim" WHERE "approvedAmountFen" IS NOT NULL GROUP BY 1
),
facts AS (
  SELECT fr.id, (fr."createdAt" + interval '8 hours')::date AS day, fr."amountFen" AS fen, fr."termMonths" AS term,
    fr."guaranteeMethod"::text AS method, e.industry, e.region,
    EXISTS (SELECT 1 FROM accepted a WHERE a.request_id = fr.id) AS claimed,
    o.fen AS approved_fen, l."amountFen" AS loan_fen, coalesce(l."firstLoan", false) AS first_loan, coalesce(l."creditLoan", false) AS credit_loan,
    coalesce(l."annualRateBp", o.rate) AS rate
  FROM "FinancingRequest" fr
  JOIN "Enterprise" e ON e.id = fr."enterpriseId"
  LEFT JOIN offers o ON o.request_id = fr.id
  LEFT JOIN "Loan" l ON l."financingRequestId" = fr.id
),
request_cells AS (
  SELECT f.day, d.dim, d.key, ${requestFigures}
  FROM facts f CROSS JOIN LATERAL (VALUES
    ('all', ''), ('industry', f.industry), ('region', f.region), ('guaranteeMethod', f.method),
    ('amountTier', ${amount}), ('termTier', ${term}), ('rateTier', ${rate})
  ) AS d(dim, key)
  GROUP BY 1, 2, 3
),
bank_cells AS (
  SELECT f.day, 'bank' AS dim, c."bankId" AS key,
    count(*) AS requests, sum(f.fen)::bigint AS requested_fen,
    count(a.claim_id) AS claimed, coalesce(sum(f.fen) FILTER (WHERE a.claim_id IS NOT NULL), 0)::bigint AS claimed_fen,
    count(c."approvedAmountFen") AS approved, coalesce(sum(c."approvedAmountFen"), 0)::bigint AS approved_fen,
    count(l.id) AS disbursed, coalesce(sum(l."amountFen"), 0)::bigint AS disbursed_fen,
    count(*) FILTER (WHERE l."firstLoan") AS first_loans, count(*) FILTER (WHERE l."creditLoan") AS credit_loans,
    coalesce(sum(l."amountFen") FILTER (WHERE l."creditLoan"), 0)::bigint AS credit_fen
  FROM "Claim" c
  JOIN facts f ON f.id = c."financingRequestId"
  LEFT JOIN accepted a ON a.claim_id = c.id
  LEFT JOIN "Loan" l ON l."claimId" = c.id
  GROUP BY 1, 2, 3
)
SELECT *, now() AS as_of FROM request_cells
UNION ALL SELECT *, now() FROM bank_cells
-- Always one row, so asOf is known even on an empty platform.
UNION ALL SELECT DATE '1970-01-01', '_meta', '', ${FIGURES.map(() => '0').join(', ')}, now()`;
}

/** The cells view: created once, refreshed when stale (prisma/materializedView.ts). */
export class StatisticsCells extends MaterializedView {
  constructor(prisma: PrismaClient) {
    super(prisma, {
      name: CELLS_VIEW,
      createSql: cellsViewSql(),
      indexSql: [`CREATE UNIQUE INDEX IF NOT EXISTS cells_v1_key ON ${CELLS_VIEW} (day, dim, key)`],
      dropViews: OLD_VIEWS,
      asOfSql: `SELECT as_of FROM ${CELLS_VIEW} WHERE dim = '_meta'`,
      lockKey: REFRESH_LOCK,
    });
  }

  /** Sums per (dimension, key) over the Shanghai days [from, to]. */
  async groups(from: string, to: string): Promise<({ dim: string; key: string } & CellSums)[]> {
    const sums = FIGURES.map((f) => `sum(${f})::float8 AS ${f}`).join(', ');
    return this.prisma.$queryRawUnsafe(
      `SELECT dim, key, ${sums} FROM ${CELLS_VIEW} WHERE dim <> '_meta' AND day BETWEEN $1::date AND $2::date GROUP BY dim, key`,
      from,
      to,
    );
  }

  /** Platform figures per day, ISO week (Monday) or month, as Shanghai dates. */
  async series(from: string, to: string, bucket: 'day' | 'week' | 'month'): Promise<({ period: Date } & CellSums)[]> {
    const sums = FIGURES.map((f) => `sum(${f})::float8 AS ${f}`).join(', ');
    return this.prisma.$queryRawUnsafe(
      `SELECT date_trunc($3, day::timestamp)::date AS period, ${sums} FROM ${CELLS_VIEW}
       WHERE dim = 'all' AND day BETWEEN $1::date AND $2::date GROUP BY 1 ORDER BY 1`,
      from,
      to,
      bucket,
    );
  }
}
