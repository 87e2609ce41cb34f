// Workflow inputs and states as returned by their queries; pure types shared with the API.
import type { ClaimOrigin, ClaimStatus, CloseReason, GuaranteeMethod, OfferSelection, RepaymentMethod, Routing, Stage } from '../domain/vocabulary';

/** What the enterprise published; the request workflow's input. Money in integer fen. */
export interface FinancingRequestInput {
  id: string;
  enterpriseId: string;
  idempotencyKey: string;
  amountFen: number;
  termMonths: number;
  purpose: string;
  guaranteeMethod: GuaranteeMethod;
  routing: Routing;
  directedBankIds: string[];
  fallbackToPool: boolean;
  dataConsent: boolean;
  offerSelection: OfferSelection;
  policyVersion: string;
  /** sha256 of the publish body, to tell a retry from a conflicting reuse of an Idempotency-Key. */
  requestHash: string;
  /** An application for this credit-supermarket product: directed to its bank, the claim's origin is `product`. */
  productId?: string;
  /** Set when the request is continued as new: the state carried over. */
  carried?: FinancingRequestState;
}

export interface TimelineEntry {
  /** A public Stage, or `claim:<status>` for a bank's claim. */
  event: string;
  actor: string;
  at: string;
  bankId?: string;
}

export interface Offer {
  approvedAmountFen: number;
  annualRateBp: number;
  termMonths: number;
  repaymentMethod: RepaymentMethod;
  guaranteeInstitutionId?: string;
}

export interface ClaimState {
  bankId: string;
  origin: ClaimOrigin;
  status: ClaimStatus;
  deadlineAt?: string;
  reason?: string;
  offer?: Offer;
  guarantee?: GuaranteeState;
  loanId?: string;
}

export interface FinancingRequestState {
  id: string;
  enterpriseId: string;
  requestHash: string;
  stage: Stage;
  closeReason?: CloseReason;
  routing: Routing;
  /** The pool is open for grabs until this instant (pool routing only). */
  poolClosesAt?: string;
  claims: ClaimState[];
  chosenBankId?: string;
  ratingDeadlineAt?: string;
  rated: boolean;
  timeline: TimelineEntry[];
}

export interface ClaimInput {
  financingRequestId: string;
  enterpriseId: string;
  bankId: string;
  origin: ClaimOrigin;
  amountFen: number;
  guaranteeMethod: GuaranteeMethod;
  policyVersion: string;
  /** Workflow id of the request, to report status changes to. */
  requestWorkflowId: string;
  offerSelection: OfferSelection;
}

export interface GuaranteeInput {
  financingRequestId: string;
  claimId: string;
  bankId: string;
  guaranteeInstitutionId: string;
  amountFen: number;
  policyVersion: string;
  /** The enterprise's credit grade, for risk shares; unknown → policy default. */
  creditGrade?: string;
}

export interface GuaranteeState {
  guaranteeInstitutionId: string;
  status: 'requested' | 'approved' | 'declined' | 'expired';
  feeFen?: number;
  riskShares?: { fundBp: number; bankBp: number; guarantorBp: number };
  deadlineAt?: string;
  reason?: string;
}
