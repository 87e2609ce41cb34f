// API schemas for financing requests: they validate requests and generate the OpenAPI document.
import { z } from 'zod';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import {
  CLAIM_ORIGINS,
  CLAIM_STATUSES,
  CLOSE_REASONS,
  GUARANTEE_METHODS,
  OFFER_SELECTIONS,
  REPAYMENT_METHODS,
  ROUTINGS,
  STAGES,
} from '../../domain/vocabulary';

/** Largest request accepted: CNY 10 billion, far above any SME loan, well inside safe integers. */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

export const bankId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'bank ids are lowercase slugs')
  .meta({ example: 'hecheng-rcb' });
export const uuid = z.uuid();

export const publishFinancingRequestBody = z
  .strictObject({
    enterpriseId: uuid.optional().meta({ description: "The publishing enterprise: the caller's own (may be omitted)" }),
    amountFen: z.number().int().positive().max(MAX_AMOUNT_FEN).meta({ description: 'Amount requested in fen (1/100 CNY), an integer', example: 300_000_000 }),
    termMonths: z.number().int().min(1).max(360),
    purpose: z.string().trim().min(2).max(500),
    guaranteeMethod: z.enum(GUARANTEE_METHODS),
    routing: z.enum(ROUTINGS).meta({ description: 'directed: to the banks named in directedBankIds; pool: open for banks to grab (first 3 win)' }),
    directedBankIds: z.array(bankId).max(CURRENT_LIFECYCLE_POLICY.directedBankLimit).default([]),
    fallbackToPool: z.boolean().default(false).meta({ description: 'If every directed bank rejects or lets its deadline pass, move to the open pool' }),
    dataConsent: z.boolean().default(false).meta({
      description:
        "Grant each bank that accepts or wins this request access to the credit portrait (all sections, at most 90 days). The grant ends with the bank's claim: withdrawn, rejected, declined, not chosen, expired or released revokes it; a bank that lent keeps it until it expires",
    }),
    offerSelection: z.enum(OFFER_SELECTIONS).default('enterprise_choice'),
  })
  .superRefine((b, ctx) => {
    if (b.routing === 'directed' && b.directedBankIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['directedBankIds'], message: 'a directed request names at least one bank' });
    if (b.routing === 'pool' && b.directedBankIds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['directedBankIds'], message: 'a pool request names no banks' });
    if (new Set(b.directedBankIds).size !== b.directedBankIds.length)
      ctx.addIssue({ code: 'custom', path: ['directedBankIds'], message: 'banks must be distinct' });
  })
  .meta({ id: 'PublishFinancingRequest' });
export type PublishFinancingRequestBody = z.output<typeof publishFinancingRequestBody>;

export const financingRequestParams = z.strictObject({ id: uuid });

export const reason = z.string().trim().min(2).max(500);
/** The acting bank is the caller's; bankId in a body may repeat it (older clients send it), never name another. */
const actingBank = bankId.optional().meta({ description: "The caller's own bank (optional; another bank is refused)" });
export const bankActionBody = z.strictObject({ bankId: actingBank, reason: reason.optional() }).meta({ id: 'BankAction' });
export const bankReasonBody = z.strictObject({ bankId: actingBank, reason }).meta({ id: 'BankActionWithReason' });
export const grabBody = z.strictObject({ bankId: actingBank }).meta({ id: 'Grab' });
export const chooseOfferBody = z.strictObject({ bankId }).meta({ id: 'ChooseOffer' });
export const withdrawBody = z.strictObject({ reason: reason.optional() }).meta({ id: 'Withdraw' });
const annualRateBp = z.number().int().min(1).max(3600).meta({ description: 'Annual rate in basis points (435 = 4.35 %)' });
const amountFen = z.number().int().positive().max(MAX_AMOUNT_FEN);
export const approveBody = z
  .strictObject({
    bankId: actingBank,
    approvedAmountFen: amountFen,
    annualRateBp,
    termMonths: z.number().int().min(1).max(360),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    guaranteeInstitutionId: bankId.optional().meta({ description: 'Bring in this guarantee institution after the enterprise chooses the offer' }),
  })
  .meta({ id: 'Approve' });
export const disburseBody = z
  .strictObject({
    bankId: actingBank,
    amountFen,
    annualRateBp,
    termMonths: z.number().int().min(1).max(360),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    disbursedOn: z.iso.date(),
  })
  .meta({ id: 'Disburse' });
const score = z.number().int().min(1).max(5);
export const ratingBody = z
  .strictObject({ meetsNeed: score, cost: score, speed: score, communication: score, comment: z.string().trim().max(1000).optional() })
  .meta({ id: 'Rating', description: '4C rating of the bank, 1–5 each: meets the need, cost, speed, communication' });
export const guaranteeDecisionBody = z
  .strictObject({
    guaranteeInstitutionId: bankId.optional().meta({ description: "The caller's own institution (optional)" }),
    feeFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).optional(),
    reason: reason.optional(),
  })
  .meta({ id: 'GuaranteeDecision' });
export const claimParams = z.strictObject({ id: uuid, bankId });

export const timelineEntry = z
  .object({ event: z.string(), actor: z.string(), at: z.iso.datetime(), bankId: z.string().optional() })
  .meta({ id: 'TimelineEntry' });

export const offerView = z
  .object({ approvedAmountFen: z.number().int(), annualRateBp: z.number().int(), termMonths: z.number().int(), repaymentMethod: z.string().nullable() })
  .meta({ id: 'Offer' });

export const claimView = z
  .object({
    bankId: z.string(),
    origin: z.enum(CLAIM_ORIGINS),
    status: z.enum(CLAIM_STATUSES),
    deadlineAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
    offer: offerView.nullable(),
  })
  .meta({ id: 'Claim', description: "A bank's claim; a bank sees only its own, never another bank's claim or offer" });

const summaryFields = {
  id: uuid,
  enterpriseId: uuid,
  amountFen: z.number().int(),
  termMonths: z.number().int(),
  purpose: z.string(),
  guaranteeMethod: z.enum(GUARANTEE_METHODS),
  routing: z.enum(ROUTINGS),
  directedBankIds: z.array(z.string()),
  productId: uuid.nullable(),
  stage: z.enum(STAGES),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  poolClosesAt: z.iso.datetime().nullable(),
  workflowId: z.string().optional().meta({ description: 'Supervisors and admins only' }),
  temporalUiUrl: z.string().optional().meta({ description: 'Supervisors and admins only' }),
  createdAt: z.iso.datetime(),
  claims: z.array(claimView),
};
export const financingRequestSummary = z.object(summaryFields).meta({ id: 'FinancingRequestSummary' });
export type FinancingRequestSummary = z.output<typeof financingRequestSummary>;
export const financingRequestView = z.object({ ...summaryFields, timeline: z.array(timelineEntry) }).meta({ id: 'FinancingRequest' });
export type FinancingRequestView = z.output<typeof financingRequestView>;
/** A request published a moment ago, before its first activity stored it: what its workflow knows. */
export const financingRequestPending = z
  .object({
    id: uuid,
    stage: z.enum(STAGES),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    claims: z.array(z.object({ bankId: z.string() }).loose()),
    timeline: z.array(timelineEntry),
    workflowId: z.string(),
  })
  .meta({ id: 'FinancingRequestPending', description: 'Published a moment ago and not stored yet: the workflow state' });
export const financingRequestPage = z
  .object({ items: z.array(financingRequestSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'FinancingRequestPage' });

export const financingRequestsQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  routing: z.enum(ROUTINGS).optional(),
  guaranteeMethod: z.enum(GUARANTEE_METHODS).optional(),
  enterpriseId: uuid.optional(),
  minAmountFen: z.coerce.number().int().min(0).max(MAX_AMOUNT_FEN).optional(),
  maxAmountFen: z.coerce.number().int().min(0).max(MAX_AMOUNT_FEN).optional(),
  createdFrom: z.iso.datetime().optional(),
  createdTo: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
