// Smart matching for banks (智能匹配): when a product goes active, find the open financing needs it
// fits, record them as ProductMatch rows (the bank's inbox lists them) and tell the bank once.
// Also the loaders the API and the pool eligibility share: product rules, enterprise profiles
// (latest score, earlier loans) and popularity. Idempotent: match rows are keyed by
// (product, request), outbox rows by the run's event key.
import type { PrismaClient, Product } from '../generated/prisma/client';
import { checkEligibility, fitParts, fitScore, type EnterpriseProfile, type Popularity, type ProductRules } from '../domain/matching';
import type { GuaranteeMethod } from '../domain/vocabulary';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';
import type { RecordResult } from './types';

type Db = Pick<PrismaClient, 'enterprise' | 'creditPortrait' | 'loan' | 'financingRequest'>;

/** Stages in which a need is still open to new offers: not yet lent, not closed. */
export const OPEN_NEED_STAGES = ['published', 'accepted', 'under_review', 'approved'] as const;

/** Requests scanned per matching activity, so one product over a large pool stays within the activity timeout. */
export const MATCHING_PAGE_SIZE = 500;

export function productRules(
  p: Omit<ProductRules, 'minAmountFen' | 'maxAmountFen' | 'minRegisteredCapitalFen' | 'maxRegisteredCapitalFen'> &
    Pick<Product, 'minAmountFen' | 'maxAmountFen' | 'minRegisteredCapitalFen' | 'maxRegisteredCapitalFen'>,
): ProductRules {
  return {
    minAmountFen: Number(p.minAmountFen),
    maxAmountFen: Number(p.maxAmountFen),
    minTermMonths: p.minTermMonths,
    maxTermMonths: p.maxTermMonths,
    guaranteeMethods: p.guaranteeMethods,
    industries: p.industries,
    regions: p.regions,
    minScore: p.minScore,
    minRegisteredCapitalFen: p.minRegisteredCapitalFen === null ? null : Number(p.minRegisteredCapitalFen),
    maxRegisteredCapitalFen: p.maxRegisteredCapitalFen === null ? null : Number(p.maxRegisteredCapitalFen),
    firstLoanOnly: p.firstLoanOnly,
    requiredTags: p.requiredTags,
  };
}

/** What the product rules look at, per enterprise: its facts, latest portrait score, whether it had a loan. */
export async function enterpriseProfiles(db: Db, ids: string[]): Promise<Map<string, EnterpriseProfile>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const enterprises = await db.enterprise.findMany({
    where: { id: { in: unique } },
    select: PROFILE_SELECT,
  });
  const [portraits, loans] = await Promise.all([
    db.creditPortrait.findMany({
      where: { creditCode: { in: enterprises.map((e) => e.creditCode) } },
      orderBy: [{ creditCode: 'asc' }, { asOf: 'desc' }],
      distinct: ['creditCode'],
      select: { creditCode: true, score: true },
    }),
    db.loan.groupBy({ by: ['enterpriseId'], where: { enterpriseId: { in: unique } }, _count: { _all: true } }),
  ]);
  const scores = new Map(portraits.map((p) => [p.creditCode, p.score]));
  const withLoans = new Set(loans.map((l) => l.enterpriseId));
  return new Map(
    enterprises.map((e) => [
      e.id,
      {
        industry: e.industry,
        region: e.region,
        registeredCapitalFen: Number(e.registeredCapitalFen),
        tags: e.tags,
        score: scores.get(e.creditCode) ?? null,
        hasLoan: withLoans.has(e.id),
      },
    ]),
  );
}

export const PROFILE_SELECT = { id: true, creditCode: true, industry: true, region: true, registeredCapitalFen: true, tags: true } as const;

/**
 * One enterprise's profile, reading its score and loans only when some product asks for them
 * (the pool's eligibility check runs while banks wait to grab, so it saves the round trips).
 */
export async function profileFor(
  db: Db,
  e: { id: string; creditCode: string; industry: string; region: string; registeredCapitalFen: bigint; tags: string[] },
  needs: { score: boolean; loans: boolean },
): Promise<EnterpriseProfile> {
  const [portrait, loans] = await Promise.all([
    needs.score ? db.creditPortrait.findFirst({ where: { creditCode: e.creditCode }, orderBy: { asOf: 'desc' }, select: { score: true } }) : null,
    needs.loans ? db.loan.count({ where: { enterpriseId: e.id } }) : 0,
  ]);
  return {
    industry: e.industry,
    region: e.region,
    registeredCapitalFen: Number(e.registeredCapitalFen),
    tags: e.tags,
    score: portrait?.score ?? null,
    hasLoan: loans > 0,
  };
}

type RuleColumns = Omit<ProductRules, 'minAmountFen' | 'maxAmountFen' | 'minRegisteredCapitalFen' | 'maxRegisteredCapitalFen'> & {
  bankId: string;
  minAmountFen: bigint;
  maxAmountFen: bigint;
  minRegisteredCapitalFen: bigint | null;
  maxRegisteredCapitalFen: bigint | null;
};

/**
 * What the open pool's eligibility needs, each in one SQL statement: the request with its
 * enterprise, and the rules of every active product of an active bank. Raw SQL on purpose: the
 * pool opens while banks wait to grab, and a statement is cheaper than a first Prisma query shape.
 */
export async function poolEligibilityInputs(db: Pick<PrismaClient, '$queryRaw'>, financingRequestId: string, excludeBankIds: string[]) {
  const [requests, products] = await Promise.all([
    db.$queryRaw<
      {
        amountFen: bigint;
        termMonths: number;
        guaranteeMethod: GuaranteeMethod;
        id: string;
        creditCode: string;
        industry: string;
        region: string;
        registeredCapitalFen: bigint;
        tags: string[];
      }[]
    >`SELECT r."amountFen", r."termMonths", r."guaranteeMethod"::text AS "guaranteeMethod", e."id"::text AS "id", e."creditCode", e."industry", e."region",
             e."registeredCapitalFen", e."tags"
        FROM "FinancingRequest" r JOIN "Enterprise" e ON e."id" = r."enterpriseId"
       WHERE r."id" = ${financingRequestId}::uuid`,
    db.$queryRaw<
      RuleColumns[]
    >`SELECT p."bankId", p."minAmountFen", p."maxAmountFen", p."minTermMonths", p."maxTermMonths", p."guaranteeMethods"::text[] AS "guaranteeMethods",
             p."industries", p."regions", p."minScore", p."minRegisteredCapitalFen", p."maxRegisteredCapitalFen", p."firstLoanOnly", p."requiredTags"
        FROM "Product" p JOIN "Bank" b ON b."id" = p."bankId"
       WHERE p."status" = 'active' AND b."active" AND NOT (p."bankId" = ANY(${excludeBankIds}::text[]))`,
  ]);
  const r = requests[0];
  return {
    request: r && {
      need: { amountFen: Number(r.amountFen), termMonths: r.termMonths, guaranteeMethod: r.guaranteeMethod },
      enterprise: {
        id: r.id,
        creditCode: r.creditCode,
        industry: r.industry,
        region: r.region,
        registeredCapitalFen: BigInt(r.registeredCapitalFen),
        tags: r.tags,
      },
    },
    products: products.map((p) => ({ bankId: p.bankId, rules: productRules(p) })),
  };
}

/** Applications (requests naming the product) and successful loans among them, per product. */
export async function productPopularity(db: Pick<PrismaClient, 'financingRequest'>, productIds?: string[]): Promise<Map<string, Popularity>> {
  const where = { productId: productIds ? { in: productIds } : { not: null } };
  const [apps, loans] = await Promise.all([
    db.financingRequest.groupBy({ by: ['productId'], where, _count: { _all: true } }),
    db.financingRequest.groupBy({ by: ['productId'], where: { ...where, loan: { isNot: null } }, _count: { _all: true } }),
  ]);
  const out = new Map<string, Popularity>();
  for (const a of apps) if (a.productId) out.set(a.productId, { applications: a._count._all, loans: 0 });
  for (const l of loans) if (l.productId) out.get(l.productId)!.loans = l._count._all;
  return out;
}

export const NO_POPULARITY: Popularity = { applications: 0, loans: 0 };

export interface MatchPageInput {
  productId: string;
  /** Requests are scanned in id order; the page starts after this id. */
  afterRequestId?: string;
  pageSize?: number;
}

export interface MatchPageResult {
  /** Requests in this page the product fits, and how many of those were new ProductMatch rows. */
  matched: number;
  inserted: number;
  /** Where the next page starts; absent when the scan is done (or the product is no longer active). */
  nextAfterRequestId?: string;
}

export interface ProductActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  notifications?: PlanningDeps;
}

export function createProductActivities({ prisma, now = () => new Date(), notifications }: ProductActivityDeps) {
  return {
    /**
     * One page of open needs checked against the product. Only needs open to any bank are mined —
     * pool requests, and directed ones once they fell back to the pool (poolClosesAt set) — never a
     * request still sent point-to-point to other banks (a bank sees only requests directed to it or
     * in the pool); nor one the bank already holds a claim on.
     */
    async matchProductPage(i: MatchPageInput): Promise<MatchPageResult> {
      const product = await prisma.product.findUnique({ where: { id: i.productId }, include: { bank: { select: { active: true } } } });
      // Suspended or retired since the run started: nothing to match.
      if (!product || product.status !== 'active' || !product.bank.active) return { matched: 0, inserted: 0 };
      const take = i.pageSize ?? MATCHING_PAGE_SIZE;
      const requests = await prisma.financingRequest.findMany({
        where: {
          stage: { in: [...OPEN_NEED_STAGES] },
          OR: [{ routing: 'pool' }, { poolClosesAt: { not: null } }],
          claims: { none: { bankId: product.bankId } },
          ...(i.afterRequestId ? { id: { gt: i.afterRequestId } } : {}),
        },
        orderBy: { id: 'asc' },
        take,
        select: { id: true, enterpriseId: true, amountFen: true, termMonths: true, guaranteeMethod: true },
      });
      const rules = productRules(product);
      const profiles = await enterpriseProfiles(
        prisma,
        requests.map((r) => r.enterpriseId),
      );
      const rows = requests.flatMap((r) => {
        const profile = profiles.get(r.enterpriseId);
        if (!profile) return [];
        const need = { amountFen: Number(r.amountFen), termMonths: r.termMonths, guaranteeMethod: r.guaranteeMethod };
        const e = checkEligibility(rules, profile, need);
        if (!e.fit) return [];
        return [
          {
            productId: product.id,
            financingRequestId: r.id,
            bankId: product.bankId,
            enterpriseId: r.enterpriseId,
            score: Math.round(fitScore(fitParts(rules, profile, need))),
            reasons: e.met.map((c) => c.reason),
          },
        ];
      });
      const { count } = rows.length > 0 ? await prisma.productMatch.createMany({ data: rows, skipDuplicates: true }) : { count: 0 };
      return { matched: rows.length, inserted: count, ...(requests.length === take ? { nextAfterRequestId: requests.at(-1)!.id } : {}) };
    },

    /**
     * Tells the bank how many open needs its product matches (one message per run, not one per
     * request). Same transaction pattern as the lifecycle: outbox ids derive from the run's key,
     * so a retry writes nothing twice and answers the rows the first attempt wrote.
     */
    async notifyProductMatches(i: { productId: string; runKey: string }): Promise<RecordResult> {
      return prisma.$transaction(async (tx) => {
        const product = await tx.product.findUnique({ where: { id: i.productId }, select: { bankId: true, name: true } });
        const matched = product ? await tx.productMatch.findMany({ where: { productId: i.productId }, select: { financingRequestId: true } }) : [];
        const count = await tx.financingRequest.count({
          where: { id: { in: matched.map((m) => m.financingRequestId) }, stage: { in: [...OPEN_NEED_STAGES] } },
        });
        const notify: NotificationRequest[] =
          product && count > 0
            ? [
                {
                  templateId: 'productMatchesFound',
                  recipient: { type: 'bank', id: product.bankId },
                  params: { productName: product.name, count, bankId: product.bankId },
                },
              ]
            : [];
        const event = { eventKey: `productMatching:${i.productId}:${i.runKey}`, financingRequestId: null, notify, now: now() };
        const { notificationIds } = await recordEvent(tx, event, notifications);
        return { notificationIds };
      });
    },
  };
}

export type ProductActivities = ReturnType<typeof createProductActivities>;
