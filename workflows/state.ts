// The workflow's state as returned by its query; pure types shared with the API.
import type { ClaimOrigin, ClaimStatus, CloseReason, GuaranteeMethod, OfferSelection, Routing, Stage } from '../domain/vocabulary';

/** What the enterprise published; the workflow's input. Money in integer fen. */
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
}

export interface TimelineEntry {
  /** A public Stage, or `claim:<status>` for a bank's claim. */
  event: string;
  actor: string;
  at: string;
  bankId?: string;
  detail?: Record<string, unknown>;
}

export interface ClaimState {
  bankId: string;
  origin: ClaimOrigin;
  status: ClaimStatus;
  deadlineAt?: string;
}

export interface FinancingRequestState {
  id: string;
  requestHash: string;
  stage: Stage;
  closeReason?: CloseReason;
  routing: Routing;
  claims: ClaimState[];
  timeline: TimelineEntry[];
}
