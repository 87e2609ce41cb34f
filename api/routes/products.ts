// The credit supermarket (信贷超市): banks publish and manage products (/v1/products), everyone
// searches them, enterprises apply for one (a request directed to the product's bank) and see the
// products ranked for them (/v1/product-matches). Publishing or re-activating a product starts
// its smart-matching workflow (workflows/productMatching.ts).
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { v5 as uuidv5 } from 'uuid';
import type { Prisma, Product } from '../../generated/prisma/client';
import type { z } from 'zod';
import { enterpriseProfiles, NO_POPULARITY, OPEN_NEED_STAGES, productPopularity, productRules } from '../../queries/catalogue';
import { checkEligibility, MATCHING_CONFIG, rankProducts, type Need, type Popularity } from '../../domain/matching';
import { AMOUNT_TIERS_WAN, RATE_TIERS_BP, TERM_TIERS } from '../../domain/tiers';
import { productMatchingWorkflow, productMatchingWorkflowId } from '../../workflows/productMatching';
import { notVisible, ownBank, ownEnterprise, principalOf, requireRole } from '../auth/access';
import { isOverseer, type Principal } from '../auth/principal';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { HttpProblem } from '../problem';
import { publishFinancingRequest, requestIdFor } from '../publish';
import {
  applyBody,
  createProductBody,
  matchesQuery,
  productParams,
  productsQuery,
  rangeProblems,
  updateProductBody,
  type ProductView,
  type UpdateProductBody,
} from '../schemas/products';
import { idempotencyKey, parseBody, parseParams, parseQuery } from '../validate';

/** Namespace for product ids derived from (bank, Idempotency-Key): a retried create lands on the same row. */
const PRODUCT_ID_NAMESPACE = 'f3a1f0de-5c0b-4d8e-9a57-2b1c7e0d4a66';
const FEN_PER_WAN = 1_000_000;

type Row = Product & { bank: { name: string } };
const withBank = { bank: { select: { name: true } } } as const;

function view(row: Row, pop: Popularity, matchingWorkflowId?: string | null): ProductView {
  return {
    id: row.id,
    bankId: row.bankId,
    bankName: row.bank.name,
    name: row.name,
    description: row.description,
    minAmountFen: Number(row.minAmountFen),
    maxAmountFen: Number(row.maxAmountFen),
    minTermMonths: row.minTermMonths,
    maxTermMonths: row.maxTermMonths,
    minAnnualRateBp: row.minAnnualRateBp,
    maxAnnualRateBp: row.maxAnnualRateBp,
    guaranteeMethods: row.guaranteeMethods,
    industries: row.industries,
    regions: row.regions,
    minScore: row.minScore,
    minRegisteredCapitalFen: row.minRegisteredCapitalFen === null ? null : Number(row.minRegisteredCapitalFen),
    maxRegisteredCapitalFen: row.maxRegisteredCapitalFen === null ? null : Number(row.maxRegisteredCapitalFen),
    firstLoanOnly: row.firstLoanOnly,
    requiredTags: row.requiredTags,
    policyProduct: row.policyProduct,
    status: row.status,
    popularity: pop,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(matchingWorkflowId !== undefined ? { matchingWorkflowId } : {}),
  };
}

/** Products this principal may see: active ones, plus a bank's own in any status; overseers see all. */
function visibleProducts(p: Principal): Prisma.ProductWhereInput {
  if (isOverseer(p)) return {};
  if (p.role === 'bank' && p.bankId) return { OR: [{ status: 'active' }, { bankId: p.bankId }] };
  return { status: 'active' };
}

/** (lower, upper] of a tier: the previous tier's upper bound is this one's exclusive lower bound. */
function tierBounds<T extends { id: string }>(tiers: readonly T[], id: string, upper: (t: T) => number): { above: number; atMost: number } {
  const i = tiers.findIndex((t) => t.id === id);
  return { above: i > 0 ? upper(tiers[i - 1]!) : -Infinity, atMost: upper(tiers[i]!) };
}

/** Prisma filter: the product's [min, max] range overlaps the tier (lower, upper]. */
function overlaps(minField: string, maxField: string, b: { above: number; atMost: number }, toDb: (n: number) => number | bigint): Prisma.ProductWhereInput {
  return {
    ...(b.above > -Infinity ? { [maxField]: { gt: toDb(b.above) } } : {}),
    ...(b.atMost < Infinity ? { [minField]: { lte: toDb(b.atMost) } } : {}),
  } as Prisma.ProductWhereInput;
}

const popularityKey = (pop: Popularity) => pop.applications + MATCHING_CONFIG.loanWeight * pop.loans;

/** Rule changes that can make new needs fit (a renamed product matches nothing new). */
const MATCHING_FIELDS: (keyof UpdateProductBody)[] = [
  'minAmountFen',
  'maxAmountFen',
  'minTermMonths',
  'maxTermMonths',
  'guaranteeMethods',
  'industries',
  'regions',
  'minScore',
  'minRegisteredCapitalFen',
  'maxRegisteredCapitalFen',
  'firstLoanOnly',
  'requiredTags',
];

const bigOrNull = (n: number | null | undefined) => (n === undefined ? undefined : n === null ? null : BigInt(n));

export function productsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  /** Starts the product version's matching run after its row is written; a retry finds it started. */
  async function startMatching(row: Product): Promise<string> {
    const workflowId = productMatchingWorkflowId(row.id, row.updatedAt);
    try {
      await deps.temporal.workflow.start(productMatchingWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [{ productId: row.id, runKey: String(row.updatedAt.getTime()) }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return workflowId;
  }

  async function visibleProduct(req: Parameters<typeof notVisible>[0], res: Parameters<typeof notVisible>[1], id: string): Promise<Row> {
    const p = principalOf(res);
    const row = await prisma.product.findFirst({ where: { AND: [{ id }, visibleProducts(p)] }, include: withBank });
    return row ?? notVisible(req, res, prisma, 'product', `product ${id} not visible to ${p.role}`);
  }

  r.post('/', async (req, res) => {
    requireRole(req, res, prisma, 'bank');
    const body = parseBody(createProductBody, req);
    const bankId = ownBank(req, res, prisma, body.bankId);
    const key = idempotencyKey(req);
    await respondIdempotently(prisma, req, res, async () => {
      const id = uuidv5(`${bankId}:${key}`, PRODUCT_ID_NAMESPACE);
      // createMany + skipDuplicates: a retry after a crash finds the row unchanged (same updatedAt, same matching run).
      await prisma.product.createMany({
        data: [
          {
            ...body,
            id,
            bankId,
            minAmountFen: BigInt(body.minAmountFen),
            maxAmountFen: BigInt(body.maxAmountFen),
            minRegisteredCapitalFen: bigOrNull(body.minRegisteredCapitalFen),
            maxRegisteredCapitalFen: bigOrNull(body.maxRegisteredCapitalFen),
          },
        ],
        skipDuplicates: true,
      });
      const row = await prisma.product.findUniqueOrThrow({ where: { id }, include: withBank });
      const matchingWorkflowId = row.status === 'active' ? await startMatching(row) : null;
      return { status: 201, body: view(row, NO_POPULARITY, matchingWorkflowId), location: `/v1/products/${id}` };
    });
  });

  r.get('/', async (req, res) => {
    const p = principalOf(res);
    const q = parseQuery(productsQuery, req);
    const { rows, total, pops } = await searchProducts(prisma, visibleProducts(p), q);
    const nextOffset = q.offset + rows.length < total ? q.offset + rows.length : null;
    res.json({ items: rows.map((x) => view(x, pops.get(x.id) ?? NO_POPULARITY)), total, limit: q.limit, offset: q.offset, nextOffset });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseParams(productParams, req);
    const row = await visibleProduct(req, res, id);
    const pops = await productPopularity(prisma, [id]);
    res.json(view(row, pops.get(id) ?? NO_POPULARITY));
  });

  r.patch('/:id', async (req, res) => {
    const bankId = ownBank(req, res, prisma);
    const { id } = parseParams(productParams, req);
    const existing = await prisma.product.findUnique({ where: { id } });
    // Another bank's product is not theirs to see in this route: 404, as if it did not exist (before any body validation).
    if (!existing || existing.bankId !== bankId) return notVisible(req, res, prisma, 'product', `product ${id} is not of bank ${bankId}`);
    const body = parseBody(updateProductBody, req);
    if (existing.status === 'retired') throw new HttpProblem(409, 'product-retired', 'A retired product cannot be changed', 'Publish a new product instead');
    const merged = {
      ...productRules(existing),
      minAnnualRateBp: existing.minAnnualRateBp,
      maxAnnualRateBp: existing.maxAnnualRateBp,
      ...body,
    };
    const problems = rangeProblems(merged);
    if (problems.length)
      throw new HttpProblem(422, 'invalid-ranges', 'A lower bound would exceed its upper bound', problems.map((x) => x.message).join('; '), {
        errors: problems.map((x) => ({ field: `body.${x.field}`, message: x.message, code: 'custom' })),
      });
    const { minAmountFen, maxAmountFen, minRegisteredCapitalFen, maxRegisteredCapitalFen, ...rest } = body;
    // Optimistic: a concurrent change since our read makes this one 409 rather than mix the two.
    const { count } = await prisma.product.updateMany({
      where: { id, updatedAt: existing.updatedAt },
      data: {
        ...rest,
        ...(minAmountFen !== undefined ? { minAmountFen: BigInt(minAmountFen) } : {}),
        ...(maxAmountFen !== undefined ? { maxAmountFen: BigInt(maxAmountFen) } : {}),
        ...(minRegisteredCapitalFen !== undefined ? { minRegisteredCapitalFen: bigOrNull(minRegisteredCapitalFen) } : {}),
        ...(maxRegisteredCapitalFen !== undefined ? { maxRegisteredCapitalFen: bigOrNull(maxRegisteredCapitalFen) } : {}),
      },
    });
    if (count === 0) throw new HttpProblem(409, 'concurrent-update', 'The product changed meanwhile', 'Read it again and repeat the change');
    const row = await prisma.product.findUniqueOrThrow({ where: { id }, include: withBank });
    const becameActive = existing.status !== 'active' && row.status === 'active';
    const rulesChanged = MATCHING_FIELDS.some((f) => body[f] !== undefined);
    const matchingWorkflowId = row.status === 'active' && (becameActive || rulesChanged) ? await startMatching(row) : null;
    const pops = await productPopularity(prisma, [id]);
    res.json(view(row, pops.get(id) ?? NO_POPULARITY, matchingWorkflowId));
  });

  r.post('/:id/apply', async (req, res) => {
    const enterpriseId = ownEnterprise(req, res, prisma);
    const { id } = parseParams(productParams, req);
    const key = idempotencyKey(req);
    const body = parseBody(applyBody, req);
    const product = await prisma.product.findUnique({ where: { id }, include: { bank: { select: { active: true } } } });
    if (!product) return notVisible(req, res, prisma, 'product', `no product ${id}`);
    const profile = (await enterpriseProfiles(prisma, [enterpriseId])).get(enterpriseId);
    if (!profile) throw new HttpProblem(422, 'unknown-enterprise', 'No such enterprise', enterpriseId);
    const eligibility = checkEligibility(productRules(product), profile, body);
    // A retried application (same key, already recorded) gets its first answer even if the product changed since.
    const applied = await prisma.financingRequest.count({ where: { id: requestIdFor(enterpriseId, key), productId: id } });
    if (!applied) {
      if (product.status !== 'active' || !product.bank.active)
        throw new HttpProblem(409, 'product-not-active', 'The product is not open for applications', `status ${product.status}`, {
          productStatus: product.status,
        });
      if (!eligibility.fit)
        throw new HttpProblem(
          422,
          'product-not-fit',
          'The enterprise or its need does not fit this product',
          eligibility.failed.map((c) => c.reason).join('; '),
          { failedRules: eligibility.failed, metRules: eligibility.met },
        );
    }
    const out = await publishFinancingRequest(
      deps,
      {
        ...body,
        enterpriseId,
        productId: product.id,
        routing: 'directed',
        directedBankIds: [product.bankId],
        fallbackToPool: false,
        offerSelection: 'enterprise_choice',
      },
      key,
    );
    const { status, stage } = out;
    if (status === 200) res.set('Idempotent-Replayed', 'true');
    else res.location(`/v1/financing-requests/${out.id}`);
    // Temporal identifiers and links are for operators, not for the enterprise.
    res.status(status).json({ id: out.id, stage, productId: product.id, bankId: product.bankId, reasons: eligibility.met.map((c) => c.reason) });
  });

  return r;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** GET /v1/product-matches: the enterprise's eligible active products, best first, with the reasons each fits. */
export function matchesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  r.get('/', async (req, res) => {
    const enterpriseId = ownEnterprise(req, res, prisma);
    const q = parseQuery(matchesQuery, req);
    // The need: what the query says, the rest from the enterprise's latest open request.
    const latest =
      q.amountFen === undefined || q.termMonths === undefined || q.guaranteeMethod === undefined
        ? await prisma.financingRequest.findFirst({
            where: { enterpriseId, stage: { in: [...OPEN_NEED_STAGES] } },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            select: { id: true, amountFen: true, termMonths: true, guaranteeMethod: true },
          })
        : null;
    const need: Need = {
      amountFen: q.amountFen ?? (latest ? Number(latest.amountFen) : undefined),
      termMonths: q.termMonths ?? latest?.termMonths,
      guaranteeMethod: q.guaranteeMethod ?? latest?.guaranteeMethod,
    };
    const [profiles, products] = await Promise.all([
      enterpriseProfiles(prisma, [enterpriseId]),
      prisma.product.findMany({ where: { status: 'active', bank: { active: true } }, include: withBank, orderBy: { id: 'asc' } }),
    ]);
    const profile = profiles.get(enterpriseId);
    if (!profile) throw new HttpProblem(404, 'not-found', 'No such enterprise');
    const pops = await productPopularity(
      prisma,
      products.map((x) => x.id),
    );
    const popOf = (x: Row) => pops.get(x.id) ?? NO_POPULARITY;
    const ranked = rankProducts(products, productRules, popOf, profile, need).slice(0, q.limit);
    res.json({
      need: {
        amountFen: need.amountFen ?? null,
        termMonths: need.termMonths ?? null,
        guaranteeMethod: need.guaranteeMethod ?? null,
        financingRequestId: latest?.id ?? null,
      },
      items: ranked.map((x) => ({
        product: view(x.item, popOf(x.item)),
        rank: round1(x.rank),
        fit: round1(x.fit),
        popularity: round1(x.popularity),
        reasons: x.reasons,
      })),
    });
  });
  return r;
}

/**
 * The catalogue search behind GET /v1/products and the public supermarket: the DOMAIN.md tier
 * filters over the products `base` allows, sorted (popularity: applications + 3 × loans), one page.
 */
export async function searchProducts(
  prisma: ApiDeps['prisma'],
  base: Prisma.ProductWhereInput,
  q: z.infer<typeof productsQuery>,
): Promise<{ rows: Row[]; total: number; pops: Map<string, Popularity> }> {
  const and: Prisma.ProductWhereInput[] = [base];
  if (q.status) and.push({ status: q.status });
  if (q.bankId) and.push({ bankId: q.bankId });
  if (q.guaranteeMethod) and.push({ OR: [{ guaranteeMethods: { has: q.guaranteeMethod } }, { guaranteeMethods: { isEmpty: true } }] });
  if (q.amountFen !== undefined) and.push({ minAmountFen: { lte: BigInt(q.amountFen) }, maxAmountFen: { gte: BigInt(q.amountFen) } });
  if (q.termMonths !== undefined) and.push({ minTermMonths: { lte: q.termMonths }, maxTermMonths: { gte: q.termMonths } });
  if (q.amountTier)
    and.push(
      overlaps(
        'minAmountFen',
        'maxAmountFen',
        tierBounds(AMOUNT_TIERS_WAN, q.amountTier, (t) => t.maxWan * FEN_PER_WAN),
        (n) => BigInt(n),
      ),
    );
  if (q.termTier)
    and.push(
      overlaps(
        'minTermMonths',
        'maxTermMonths',
        tierBounds(TERM_TIERS, q.termTier, (t) => t.maxMonths),
        (n) => n,
      ),
    );
  if (q.rateTier)
    and.push(
      overlaps(
        'minAnnualRateBp',
        'maxAnnualRateBp',
        tierBounds(RATE_TIERS_BP, q.rateTier, (t) => t.maxBp),
        (n) => n,
      ),
    );
  if (q.maxRateBp !== undefined) and.push({ minAnnualRateBp: { lte: q.maxRateBp } });
  const where: Prisma.ProductWhereInput = { AND: and };

  let rows: Row[];
  let total: number;
  let pops: Map<string, Popularity>;
  if (q.sort === 'popularity') {
    // Popularity is computed from requests and loans, not stored: rank the whole (small) catalogue.
    const all = await prisma.product.findMany({ where, include: withBank });
    pops = await productPopularity(
      prisma,
      all.map((x) => x.id),
    );
    const key = (x: Row) => popularityKey(pops.get(x.id) ?? NO_POPULARITY);
    all.sort((a, b) => key(b) - key(a) || b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    total = all.length;
    rows = all.slice(q.offset, q.offset + q.limit);
  } else {
    const orderBy: Prisma.ProductOrderByWithRelationInput[] =
      q.sort === 'rate'
        ? [{ minAnnualRateBp: 'asc' }, { maxAnnualRateBp: 'asc' }, { id: 'asc' }]
        : q.sort === 'maxAmount'
          ? [{ maxAmountFen: 'desc' }, { id: 'asc' }]
          : [{ createdAt: 'desc' }, { id: 'desc' }];
    [rows, total] = await Promise.all([
      prisma.product.findMany({ where, include: withBank, orderBy, skip: q.offset, take: q.limit }),
      prisma.product.count({ where }),
    ]);
    pops = await productPopularity(
      prisma,
      rows.map((x) => x.id),
    );
  }
  return { rows, total, pops };
}
