// How a request's six public stages follow its claims: the furthest any claim has come. One rule,
// used by the request workflow and by the synthetic history of the benchmarks.
import { isTerminalClaim, STAGES, type ClaimStatus, type Stage } from './vocabulary';

/** How far each claim status carries the request along the public stages (other statuses: not at all). */
export const STAGE_OF_CLAIM: Partial<Record<ClaimStatus, Stage>> = {
  accepted: 'accepted',
  under_review: 'under_review',
  approved: 'approved',
  guarantee_pending: 'approved',
  disbursed: 'disbursed',
};

/**
 * Claim statuses in which a bank is the enterprise's counterparty (accepted, reviewing, offered,
 * chosen or lent): only then does it see the enterprise's contact details.
 */
export const COUNTERPARTY_CLAIM_STATUSES = Object.keys(STAGE_OF_CLAIM) as ClaimStatus[];

/** A claim ending this way ends the portrait grant its request's consent gave the bank (a lending bank keeps it until it expires). */
export const endsConsent = (s: ClaimStatus): boolean => isTerminalClaim(s) && s !== 'disbursed';

/** The request's public stage from its claims' statuses. */
export function deriveStage(statuses: Iterable<ClaimStatus>): Stage {
  let best = 0;
  for (const s of statuses) {
    const st = STAGE_OF_CLAIM[s];
    if (st) best = Math.max(best, STAGES.indexOf(st));
  }
  return STAGES[best]!;
}
