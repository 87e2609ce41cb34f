// The activity interface the workflows see (types only, so workflow code imports no I/O).
import type { NotificationRequest } from '../notifications/types';
import type { ClaimOrigin, ClaimStatus, CloseReason, Stage } from '../domain/vocabulary';

export interface TransitionRecord {
  financingRequestId: string;
  /** Unique per transition, derived by the workflow; a retried activity records nothing twice. */
  eventKey: string;
  actor: string;
  at: string;
  /** Timeline label of a transition that changes neither stage nor claim (e.g. `offer:chosen`, `reminder:acceptance`). */
  event?: string;
  /** New public stage of the request, if it changes. */
  stage?: Stage;
  closeReason?: CloseReason;
  /** Claim change, if a bank's claim changes. */
  claim?: {
    bankId: string;
    origin: ClaimOrigin;
    status: ClaimStatus;
    deadlineAt?: string | null;
    reason?: string;
    offer?: { approvedAmountFen: number; annualRateBp: number; termMonths: number; repaymentMethod: string; guaranteeInstitutionId?: string };
  };
  detail?: Record<string, unknown>;
  notify?: NotificationRequest[];
  /** The request entered the open pool: until when, and which banks may grab (for inboxes and visibility). */
  pool?: { closesAt: string; eligibleBankIds: string[] };
}

export interface RecordResult {
  /** Outbox rows written for this transition (delivered by deliverNotification). */
  notificationIds: string[];
}

/** A claim timeline entry that is not a status change (supervisors' nudge and extension), or a step's new deadline. */
export interface ClaimNote {
  financingRequestId: string;
  bankId: string;
  eventKey: string;
  /** Timeline label (e.g. supervision:nudged); absent: only the deadline is written. */
  event?: string;
  actor: string;
  at: string;
  /** The claim's current step's deadline, written to the claim row. */
  deadlineAt?: string;
  detail?: Record<string, unknown>;
  notify?: NotificationRequest[];
}
