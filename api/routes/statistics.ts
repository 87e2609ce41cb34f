// GET /v1/statistics: platform figures for supervisors — requests and amounts requested, claimed,
// approved and disbursed; claim rate and lending rate (claimed or lent requests over published ones,
// docs/domain.md: Jiaxing 35.85 % / 35.11 %); first-loan enterprises and credit loans; grouped by
// industry, region, amount / term / rate tier, guarantee method and bank, and over time in
// Asia/Shanghai days, ISO weeks or months. Read from pre-aggregated day cells (statisticsCells.ts).
import { Router } from 'express';
import { z } from 'zod';
import { INDUSTRY_SECTIONS } from '../../domain/enterprise';
import { AMOUNT_TIERS_WAN, RATE_TIERS_BP, TERM_TIERS } from '../../domain/tiers';
import { GUARANTEE_METHODS } from '../../domain/vocabulary';
import { shanghaiDate } from '../../domain/calendar';
import { requireRole } from '../auth/access';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { parseQuery } from '../validate';
import { StatisticsCells, type CellSums } from '../../queries/statisticsCells';

const localDate = z.iso.date().meta({ description: 'A calendar date in Asia/Shanghai, YYYY-MM-DD' });

export const statisticsQuery = z.strictObject({
  from: localDate.optional().meta({ description: 'First publication day counted (inclusive); default: the beginning' }),
  to: localDate.optional().meta({ description: 'Last publication day counted (inclusive); default: today' }),
  bucket: z.enum(['day', 'week', 'month']).default('month').meta({ description: 'Over-time buckets: days, ISO weeks (Monday) or months, Asia/Shanghai' }),
  fresh: z.enum(['true', 'false']).optional().meta({ description: 'true: wait for the pre-aggregated figures to be refreshed first (slower)' }),
});

const count = z.number().int().nonnegative();
const fen = z.number().int().nonnegative().meta({ description: 'fen (1/100 CNY)' });
const rate = z.number().nullable().meta({ description: 'A fraction 0–1 (4 decimals); null when nothing was published' });
export const figuresView = z
  .object({
    requests: count.meta({ description: 'Requests published (for a bank: requests that reached it, directed or grabbed)' }),
    requestedFen: fen,
    claimed: count.meta({ description: 'Requests some bank took on: accepted a directed offer or grabbed it (for a bank: by this bank)' }),
    claimedFen: fen,
    approved: count.meta({ description: 'Requests with an approved offer (for a bank: its offers)' }),
    approvedFen: fen.meta({ description: 'Largest approved offer per request (for a bank: its offers)' }),
    disbursed: count.meta({ description: 'Requests lent (loans)' }),
    disbursedFen: fen,
    firstLoanEnterprises: count.meta({ description: "Loans that were the enterprise's first on the platform (首贷户)" }),
    creditLoans: count.meta({ description: 'Loans on credit: no collateral, no guarantee (信用贷款)' }),
    creditLoanFen: fen,
    claimRate: rate.meta({ description: 'claimed / requests' }),
    lendingRate: rate.meta({ description: 'disbursed / requests' }),
  })
  .meta({ id: 'StatisticsFigures' });
const group = figuresView.extend({ key: z.string(), label: z.string().optional() });
export const statisticsView = z
  .object({
    asOf: z.iso.datetime().meta({ description: 'When the pre-aggregated figures were computed' }),
    from: localDate.nullable(),
    to: localDate,
    bucket: z.enum(['day', 'week', 'month']),
    cohort: z.literal('publication-day').meta({ description: 'Every figure counts requests by the Asia/Shanghai day they were published' }),
    totals: figuresView,
    byIndustry: z.array(group),
    byRegion: z.array(group),
    byAmountTier: z.array(group),
    byTermTier: z.array(group),
    byRateTier: z.array(group),
    byGuaranteeMethod: z.array(group),
    byBank: z.array(group.extend({ name: z.string() })),
    overTime: z.array(figuresView.extend({ period: localDate.meta({ description: 'First day of the bucket' }) })),
  })
  .meta({ id: 'Statistics' });

type Figures = z.output<typeof figuresView>;

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);
function figures(s: CellSums): Figures {
  return {
    requests: s.requests,
    requestedFen: s.requested_fen,
    claimed: s.claimed,
    claimedFen: s.claimed_fen,
    approved: s.approved,
    approvedFen: s.approved_fen,
    disbursed: s.disbursed,
    disbursedFen: s.disbursed_fen,
    firstLoanEnterprises: s.first_loans,
    creditLoans: s.credit_loans,
    creditLoanFen: s.credit_fen,
    claimRate: ratio(s.claimed, s.requests),
    lendingRate: ratio(s.disbursed, s.requests),
  };
}
const EMPTY: CellSums = {
  requests: 0,
  requested_fen: 0,
  claimed: 0,
  claimed_fen: 0,
  approved: 0,
  approved_fen: 0,
  disbursed: 0,
  disbursed_fen: 0,
  first_loans: 0,
  credit_loans: 0,
  credit_fen: 0,
};

/** Tier dimensions list every tier in catalogue order (zeros included); the others, largest first. */
const ORDERS: Record<string, readonly string[]> = {
  amountTier: AMOUNT_TIERS_WAN.map((t) => t.id),
  termTier: TERM_TIERS.map((t) => t.id),
  rateTier: [...RATE_TIERS_BP.map((t) => t.id), 'none'],
  guaranteeMethod: GUARANTEE_METHODS,
};

/** Answers kept per (asOf, query): the cells only change when the view is refreshed, so neither do they. */
const ANSWER_CACHE_SIZE = 64;

export function statisticsRouter(deps: ApiDeps): Router {
  const r = Router();
  const cells = new StatisticsCells(deps.prisma);
  const answers = new Map<string, z.output<typeof statisticsView>>();

  r.get('/', async (req, res) => {
    requireRole(req, res, deps.prisma, 'supervisor', 'admin');
    const q = parseQuery(statisticsQuery, req);
    const to = q.to ?? shanghaiDate(new Date());
    if (q.from && q.from > to) throw new HttpProblem(400, 'invalid-period', 'The period is empty', '`from` must not be after `to`');
    const from = q.from ?? '1970-01-01';
    const asOf = await cells.prepare({ fresh: q.fresh === 'true', onBackgroundError: (err) => deps.log.warn({ err }, 'statistics refresh failed') });
    const cacheKey = `${asOf.toISOString()}|${q.from ?? ''}|${to}|${q.bucket}`;
    const cached = answers.get(cacheKey);
    if (cached) return void res.json(cached);
    const [rows, series, banks] = await Promise.all([
      cells.groups(from, to),
      cells.series(from, to, q.bucket),
      deps.prisma.bank.findMany({ select: { id: true, name: true } }),
    ]);
    const bankNames = new Map(banks.map((b) => [b.id, b.name]));
    const dim = (name: string) => {
      const found = rows.filter((x) => x.dim === name);
      const order = ORDERS[name];
      if (order) return order.map((key) => ({ key, ...figures(found.find((x) => x.key === key) ?? EMPTY) }));
      return found.sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key)).map((x) => ({ key: x.key, ...figures(x) }));
    };
    const body: z.output<typeof statisticsView> = {
      asOf: asOf.toISOString(),
      from: q.from ?? null,
      to,
      bucket: q.bucket,
      cohort: 'publication-day',
      totals: figures(rows.find((x) => x.dim === 'all') ?? EMPTY),
      byIndustry: dim('industry').map((g) => ({ ...g, label: INDUSTRY_SECTIONS[g.key as keyof typeof INDUSTRY_SECTIONS] })),
      byRegion: dim('region'),
      byAmountTier: dim('amountTier'),
      byTermTier: dim('termTier'),
      byRateTier: dim('rateTier'),
      byGuaranteeMethod: dim('guaranteeMethod'),
      byBank: dim('bank').map((g) => ({ ...g, name: bankNames.get(g.key) ?? g.key })),
      overTime: series.map((x) => ({ period: x.period.toISOString().slice(0, 10), ...figures(x) })),
    };
    if (answers.size >= ANSWER_CACHE_SIZE) answers.delete(answers.keys().next().value!);
    answers.set(cacheKey, body);
    res.json(body);
  });

  return r;
}
