// Signals, updates and queries of the lifecycle workflows, declared once and imported by both the
// workflows and the API (typed handles). Update validators reject with ApplicationFailure types
// listed in REJECTIONS; api/temporalErrors.ts maps each to an HTTP problem.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RepaymentMethod } from '../domain/vocabulary';
import type { ClaimState, FinancingRequestState, GuaranteeState } from './state';

/** Reasons an update is refused; stable, machine-readable. */
export const REJECTIONS = {
  NotDirectedToBank: 'NotDirectedToBank',
  AlreadyAnswered: 'AlreadyAnswered',
  RequestClosed: 'RequestClosed',
  InvalidTransition: 'InvalidTransition',
  SlotsFull: 'SlotsFull',
  AlreadyHoldsClaim: 'AlreadyHoldsClaim',
  NotEligible: 'NotEligible',
  NotInPool: 'NotInPool',
  InvalidOffer: 'InvalidOffer',
  NoSuchOffer: 'NoSuchOffer',
  ClaimClosed: 'ClaimClosed',
  AlreadyExtended: 'AlreadyExtended',
} as const;

// ---- financingRequest (parent) ----
export const getStateQuery = defineQuery<FinancingRequestState>('getState');
/** A bank grabs an open-pool request (抢单); the first `grabLimit` grabs win. */
export const grabUpdate = defineUpdate<FinancingRequestState, [{ bankId: string }]>('grab');
export const withdrawUpdate = defineUpdate<FinancingRequestState, [{ reason?: string }]>('withdraw');
/** The enterprise chooses one approved offer (offerSelection enterprise_choice). */
export const chooseOfferUpdate = defineUpdate<FinancingRequestState, [{ bankId: string }]>('chooseOffer');
export interface RatingInput {
  meetsNeed: number;
  cost: number;
  speed: number;
  communication: number;
  comment?: string;
}
export const rateUpdate = defineUpdate<FinancingRequestState, [RatingInput]>('rate');
/** A claim reports its new status to the request. */
export const claimChangedSignal = defineSignal<[ClaimState]>('claimChanged');

// ---- claim (one per bank) ----
export const getClaimQuery = defineQuery<ClaimState>('getClaim');
export interface BankActionInput {
  bankId: string;
  reason?: string;
}
export const acceptUpdate = defineUpdate<ClaimState, [BankActionInput]>('accept');
export const rejectUpdate = defineUpdate<ClaimState, [BankActionInput]>('reject');
export const startReviewUpdate = defineUpdate<ClaimState, [BankActionInput]>('startReview');
export interface OfferInput {
  bankId: string;
  approvedAmountFen: number;
  annualRateBp: number;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  /** Bring in a guarantee institution before disbursement. */
  guaranteeInstitutionId?: string;
}
export const approveUpdate = defineUpdate<ClaimState, [OfferInput]>('approve');
export const declineUpdate = defineUpdate<ClaimState, [BankActionInput]>('decline');
/** After a guarantor declines, the bank may lend without the guarantee. */
export const continueWithoutGuaranteeUpdate = defineUpdate<ClaimState, [BankActionInput]>('continueWithoutGuarantee');
export interface DisbursementInput {
  bankId: string;
  amountFen: number;
  annualRateBp: number;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  /** Local date of disbursement, YYYY-MM-DD. */
  disbursedOn: string;
}
export const disburseUpdate = defineUpdate<ClaimState, [DisbursementInput]>('disburse');
/** A supervisor acting on a claim (督办); the actor recorded on the timeline is `supervisor:<supervisorId>`. */
export interface SupervisorActionInput {
  supervisorId: string;
  reason?: string;
}
/** Prompts the bank to act now (timeline entry and a notification; the claim itself is unchanged). */
export const nudgeUpdate = defineUpdate<ClaimState, [SupervisorActionInput]>('nudge');
/** Extends the deadline of the claim's current step, once per step, by business days (domain/supervision.ts). */
export const extendDeadlineUpdate = defineUpdate<ClaimState, [SupervisorActionInput & { businessDays?: number }]>('extendDeadline');
/** Ends the claim as `released`; a grab claim's slot opens again to the pool, as after an expiry. */
export const releaseClaimUpdate = defineUpdate<ClaimState, [SupervisorActionInput]>('releaseClaim');
/** From the request: the enterprise chose this offer, or another one. */
export const offerDecisionSignal = defineSignal<[{ chosen: boolean }]>('offerDecision');
/** From the request: it was withdrawn or closed; the claim ends. */
export const requestClosedSignal = defineSignal<[{ reason: 'withdrawn' | 'closed' }]>('requestClosed');

// ---- guarantee ----
export const getGuaranteeQuery = defineQuery<GuaranteeState>('getGuarantee');
export interface GuaranteeDecisionInput {
  guaranteeInstitutionId: string;
  feeFen?: number;
  reason?: string;
}
export const guaranteeApproveUpdate = defineUpdate<GuaranteeState, [GuaranteeDecisionInput]>('approveGuarantee');
export const guaranteeDeclineUpdate = defineUpdate<GuaranteeState, [GuaranteeDecisionInput]>('declineGuarantee');
