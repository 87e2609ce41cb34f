// Catalogue loaders shared by the API and the matching activities: product rules from their rows,
// enterprise profiles (facts, latest score, earlier loans), pool eligibility inputs and popularity.
import type { PrismaClient, Product } from '../generated/prisma/client';
import type { EnterpriseProfile, Popularity, ProductRules } from '../domain/matching';
import type { GuaranteeMethod } from '../domain/vocabulary';

type Db = Pick<PrismaClient, 'enterprise' | 'creditPortrait' | 'loan' | 'financingRequest'>;

/** Stages in which a need is still open to new offers: not yet lent, not closed. */
export const OPEN_NEED_STAGES = ['published', 'accepted', 'under_review', 'approved'] as const;

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
