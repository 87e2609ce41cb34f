// API schemas of the credit supermarket (信贷超市): products, search, applications and matches.
// Money is integer fen, rates integer basis points (435 = 4.35 %), tiers as in DOMAIN.md.
import { z } from 'zod';
import { ENTERPRISE_TAGS, INDUSTRY_CODES } from '../../domain/enterprise';
import { RULE_IDS } from '../../domain/matching';
import { AMOUNT_TIERS_WAN, RATE_TIERS_BP, TERM_TIERS } from '../../domain/tiers';
import { GUARANTEE_METHODS } from '../../domain/vocabulary';
import { region } from './auth';
import { bankId, MAX_AMOUNT_FEN, uuid } from './financingRequests';

export const PRODUCT_STATUSES = ['active', 'suspended', 'retired'] as const;
export const PRODUCT_SORTS = ['popularity', 'rate', 'maxAmount', 'newest'] as const;

const amountFen = z.number().int().positive().max(MAX_AMOUNT_FEN).meta({ description: 'Amount in fen (1/100 CNY), an integer' });
const capitalFen = z.number().int().min(0).max(MAX_AMOUNT_FEN).meta({ description: 'Registered capital in fen' });
const termMonths = z.number().int().min(1).max(360);
const rateBp = z.number().int().min(1).max(3600).meta({ description: 'Annual rate in basis points (435 = 4.35 %)' });
const score = z.number().int().min(0).max(1000).meta({ description: 'Scorecard score 0–1000 (600 is the incentive line)' });

/** The rule fields, shared by create (required where the product must say) and update (all optional). */
const ruleFields = {
  description: z.string().trim().max(2000),
  guaranteeMethods: z.array(z.enum(GUARANTEE_METHODS)).max(GUARANTEE_METHODS.length).meta({ description: 'Accepted guarantee methods; empty = any' }),
  industries: z.array(z.enum(INDUSTRY_CODES)).max(INDUSTRY_CODES.length).meta({ description: 'GB/T 4754 section letters; empty = any industry' }),
  regions: z.array(region).max(50).meta({ description: 'GB/T 2260 codes; 330000 covers the province, 330400 the city; empty = anywhere' }),
  requiredTags: z.array(z.enum(ENTERPRISE_TAGS)).max(ENTERPRISE_TAGS.length).meta({ description: 'Policy tags the enterprise must have' }),
  firstLoanOnly: z.boolean().meta({ description: 'Only enterprises without an earlier loan on the platform (首贷)' }),
  policyProduct: z.boolean().meta({ description: 'A policy product: the guarantee fee is capped (domain/policy.ts)' }),
};

type Ranges = {
  minAmountFen?: number;
  maxAmountFen?: number;
  minTermMonths?: number;
  maxTermMonths?: number;
  minAnnualRateBp?: number;
  maxAnnualRateBp?: number;
  minRegisteredCapitalFen?: number | null;
  maxRegisteredCapitalFen?: number | null;
};

/** Each lower bound ≤ its upper bound; used on a create body and on a product after a patch. */
export function rangeProblems(r: Ranges): { field: string; message: string }[] {
  const pairs: [keyof Ranges, keyof Ranges][] = [
    ['minAmountFen', 'maxAmountFen'],
    ['minTermMonths', 'maxTermMonths'],
    ['minAnnualRateBp', 'maxAnnualRateBp'],
    ['minRegisteredCapitalFen', 'maxRegisteredCapitalFen'],
  ];
  return pairs
    .filter(([lo, hi]) => typeof r[lo] === 'number' && typeof r[hi] === 'number' && r[lo]! > r[hi]!)
    .map(([lo, hi]) => ({ field: lo, message: `${lo} must not exceed ${hi}` }));
}

export const createProductBody = z
  .strictObject({
    bankId: bankId.optional().meta({ description: "The caller's own bank (optional; another bank is refused)" }),
    name: z.string().trim().min(2).max(200),
    description: ruleFields.description.default(''),
    minAmountFen: amountFen,
    maxAmountFen: amountFen,
    minTermMonths: termMonths,
    maxTermMonths: termMonths,
    minAnnualRateBp: rateBp,
    maxAnnualRateBp: rateBp,
    guaranteeMethods: ruleFields.guaranteeMethods.default([]),
    industries: ruleFields.industries.default([]),
    regions: ruleFields.regions.default([]),
    minScore: score.nullable().default(null),
    minRegisteredCapitalFen: capitalFen.nullable().default(null),
    maxRegisteredCapitalFen: capitalFen.nullable().default(null),
    firstLoanOnly: ruleFields.firstLoanOnly.default(false),
    requiredTags: ruleFields.requiredTags.default([]),
    policyProduct: ruleFields.policyProduct.default(false),
    status: z.enum(['active', 'suspended']).default('active').meta({ description: 'suspended: saved but not yet listed' }),
  })
  .superRefine((b, ctx) => {
    for (const p of rangeProblems(b)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  })
  .meta({ id: 'CreateProduct' });
export type CreateProductBody = z.output<typeof createProductBody>;

export const updateProductBody = z
  .strictObject({
    name: z.string().trim().min(2).max(200).optional(),
    description: ruleFields.description.optional(),
    minAmountFen: amountFen.optional(),
    maxAmountFen: amountFen.optional(),
    minTermMonths: termMonths.optional(),
    maxTermMonths: termMonths.optional(),
    minAnnualRateBp: rateBp.optional(),
    maxAnnualRateBp: rateBp.optional(),
    guaranteeMethods: ruleFields.guaranteeMethods.optional(),
    industries: ruleFields.industries.optional(),
    regions: ruleFields.regions.optional(),
    minScore: score.nullable().optional().meta({ description: 'null removes the minimum' }),
    minRegisteredCapitalFen: capitalFen.nullable().optional(),
    maxRegisteredCapitalFen: capitalFen.nullable().optional(),
    firstLoanOnly: ruleFields.firstLoanOnly.optional(),
    requiredTags: ruleFields.requiredTags.optional(),
    policyProduct: ruleFields.policyProduct.optional(),
    status: z.enum(PRODUCT_STATUSES).optional().meta({ description: 'active lists it; suspended hides it for now; retired for good' }),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field')
  .meta({ id: 'UpdateProduct' });
export type UpdateProductBody = z.output<typeof updateProductBody>;

export const productParams = z.strictObject({ id: uuid });

const tierIds = <T extends readonly { id: string }[]>(tiers: T) => tiers.map((t) => t.id) as [T[number]['id'], ...T[number]['id'][]];

export const productsQuery = z.strictObject({
  bankId: bankId.optional().meta({ description: 'Institution' }),
  guaranteeMethod: z.enum(GUARANTEE_METHODS).optional().meta({ description: 'Products accepting this method (or any)' }),
  amountFen: z.coerce.number().int().positive().max(MAX_AMOUNT_FEN).optional().meta({ description: 'Products lending this amount' }),
  amountTier: z.enum(tierIds(AMOUNT_TIERS_WAN)).optional().meta({ description: 'Amount tier in 万元: products whose range overlaps it' }),
  termMonths: z.coerce.number().int().min(1).max(360).optional(),
  termTier: z.enum(tierIds(TERM_TIERS)).optional().meta({ description: 'Term tier in months: products whose range overlaps it' }),
  rateTier: z.enum(tierIds(RATE_TIERS_BP)).optional().meta({ description: 'Annual rate tier in %: products whose rate range overlaps it' }),
  maxRateBp: z.coerce.number().int().min(1).max(3600).optional().meta({ description: 'Products whose lowest rate is at most this' }),
  status: z.enum(PRODUCT_STATUSES).optional().meta({ description: 'Banks see their own products in any status; everyone else only active ones' }),
  sort: z.enum(PRODUCT_SORTS).default('popularity').meta({
    description: 'popularity: applications + 3 × loans, most first; rate: lowest minimum rate first; maxAmount: largest first; newest',
  }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

export const applyBody = z
  .strictObject({
    amountFen,
    termMonths,
    purpose: z.string().trim().min(2).max(500),
    guaranteeMethod: z.enum(GUARANTEE_METHODS),
    dataConsent: z.boolean().default(false).meta({ description: "Grant the product's bank access to the credit portrait once it accepts" }),
  })
  .meta({ id: 'ApplyForProduct' });

export const matchesQuery = z.strictObject({
  amountFen: z.coerce.number().int().positive().max(MAX_AMOUNT_FEN).optional(),
  termMonths: z.coerce.number().int().min(1).max(360).optional(),
  guaranteeMethod: z.enum(GUARANTEE_METHODS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const popularityView = z.object({ applications: z.number().int(), loans: z.number().int() }).meta({ id: 'ProductPopularity' });

export const productView = z
  .object({
    id: uuid,
    bankId: z.string(),
    bankName: z.string(),
    name: z.string(),
    description: z.string(),
    minAmountFen: z.number().int(),
    maxAmountFen: z.number().int(),
    minTermMonths: z.number().int(),
    maxTermMonths: z.number().int(),
    minAnnualRateBp: z.number().int(),
    maxAnnualRateBp: z.number().int(),
    guaranteeMethods: z.array(z.enum(GUARANTEE_METHODS)),
    industries: z.array(z.string()),
    regions: z.array(z.string()),
    minScore: z.number().int().nullable(),
    minRegisteredCapitalFen: z.number().int().nullable(),
    maxRegisteredCapitalFen: z.number().int().nullable(),
    firstLoanOnly: z.boolean(),
    requiredTags: z.array(z.string()),
    policyProduct: z.boolean(),
    status: z.enum(PRODUCT_STATUSES),
    popularity: popularityView,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    matchingWorkflowId: z.string().nullable().optional().meta({ description: 'The smart-matching run this change started (active products)' }),
  })
  .meta({ id: 'Product' });
export type ProductView = z.output<typeof productView>;

export const productPage = z
  .object({ items: z.array(productView), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), nextOffset: z.number().int().nullable() })
  .meta({ id: 'ProductPage' });

export const ruleCheckView = z.object({ rule: z.enum(RULE_IDS), ok: z.boolean(), reason: z.string() }).meta({ id: 'RuleCheck' });

export const productApplied = z
  .object({ id: uuid, stage: z.string(), productId: uuid, bankId: z.string(), reasons: z.array(z.string()) })
  .meta({ id: 'ProductApplication' });

export const productMatchesView = z
  .object({
    need: z.object({
      amountFen: z.number().int().nullable(),
      termMonths: z.number().int().nullable(),
      guaranteeMethod: z.enum(GUARANTEE_METHODS).nullable(),
      financingRequestId: uuid.nullable().meta({ description: 'The open request the need was taken from, when the query did not give it' }),
    }),
    items: z.array(
      z.object({
        product: productView,
        rank: z.number().meta({ description: '0–100: fit and popularity combined (domain/matching.ts MATCHING_CONFIG)' }),
        fit: z.number(),
        popularity: z.number(),
        reasons: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ProductMatches' });
