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
    enterpriseId: uuid.meta({ description: 'The publishing enterprise' }),
    amountFen: z.number().int().positive().max(MAX_AMOUNT_FEN).meta({ description: 'Amount requested in fen (1/100 CNY), an integer', example: 300_000_000 }),
    termMonths: z.number().int().min(1).max(360),
    purpose: z.string().trim().min(2).max(500),
    guaranteeMethod: z.enum(GUARANTEE_METHODS),
    routing: z.enum(ROUTINGS).meta({ description: 'directed: to the banks named in directedBankIds; pool: open for banks to grab (first 3 win)' }),
    directedBankIds: z.array(bankId).max(CURRENT_LIFECYCLE_POLICY.directedBankLimit).default([]),
    fallbackToPool: z.boolean().default(false).meta({ description: 'If every directed bank rejects or lets its deadline pass, move to the open pool' }),
    dataConsent: z.boolean().default(false).meta({ description: 'Grant accepting/winning banks access to the credit portrait' }),
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
export const bankActionBody = z.strictObject({ bankId, reason: reason.optional() }).meta({ id: 'BankAction' });
export const bankReasonBody = z.strictObject({ bankId, reason }).meta({ id: 'BankActionWithReason' });
export const grabBody = z.strictObject({ bankId }).meta({ id: 'Grab' });
export const chooseOfferBody = z.strictObject({ bankId }).meta({ id: 'ChooseOffer' });
export const withdrawBody = z.strictObject({ reason: reason.optional() }).meta({ id: 'Withdraw' });
const annualRateBp = z.number().int().min(1).max(3600).meta({ description: 'Annual rate in basis points (435 = 4.35 %)' });
const amountFen = z.number().int().positive().max(MAX_AMOUNT_FEN);
export const approveBody = z
  .strictObject({
    bankId,
    approvedAmountFen: amountFen,
    annualRateBp,
    termMonths: z.number().int().min(1).max(360),
    repaymentMethod: z.enum(REPAYMENT_METHODS),
    guaranteeInstitutionId: bankId.optional().meta({ description: 'Bring in this guarantee institution after the enterprise chooses the offer' }),
  })
  .meta({ id: 'Approve' });
export const disburseBody = z
  .strictObject({
    bankId,
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
  .strictObject({ guaranteeInstitutionId: bankId, feeFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).optional(), reason: reason.optional() })
  .meta({ id: 'GuaranteeDecision' });
export const claimParams = z.strictObject({ id: uuid, bankId });

export const timelineEntry = z
  .object({ event: z.string(), actor: z.string(), at: z.iso.datetime(), bankId: z.string().optional() })
  .meta({ id: 'TimelineEntry' });

export const claimView = z
  .object({ bankId: z.string(), origin: z.enum(CLAIM_ORIGINS), status: z.enum(CLAIM_STATUSES), deadlineAt: z.iso.datetime().nullable() })
  .meta({ id: 'Claim' });

export const financingRequestView = z
  .object({
    id: uuid,
    enterpriseId: uuid,
    amountFen: z.number().int(),
    termMonths: z.number().int(),
    purpose: z.string(),
    guaranteeMethod: z.enum(GUARANTEE_METHODS),
    routing: z.enum(ROUTINGS),
    directedBankIds: z.array(z.string()),
    stage: z.enum(STAGES),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    workflowId: z.string(),
    temporalUiUrl: z.string(),
    createdAt: z.iso.datetime(),
    claims: z.array(claimView),
    timeline: z.array(timelineEntry),
  })
  .meta({ id: 'FinancingRequest' });
export type FinancingRequestView = z.output<typeof financingRequestView>;
