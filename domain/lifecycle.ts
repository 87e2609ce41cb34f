// Decisions of the request workflow that depend only on its claims: what happens when no live
// claim is left, and how many grab slots the open pool still has. Pure; the workflow and the API
// (the banks' inbox) ask here.
import { isTerminalClaim, type ClaimOrigin, type ClaimStatus, type CloseReason, type Routing } from './vocabulary';

export interface ClaimSummary {
  status: ClaimStatus;
  origin?: ClaimOrigin;
  /** Why it ended; `deadline:acceptance` marks an offer nobody answered. */
  reason?: string;
}

export type NoLiveClaimOutcome = { kind: 'reopenPool' } | { kind: 'close'; reason: CloseReason } | { kind: 'wait' };

/**
 * No claim on the request is live any more. A directed request goes to the open pool when no bank
 * ever took it up and the enterprise allowed the fallback, or when a supervisor released a bank's
 * claim (asked through `releaseReopensPool`, a workflow patch, only when it matters); otherwise it
 * closes: unmatched (nobody took it up), all declined, or expired. A pool request waits until its
 * pool closes, then closes all declined (every claim declined) or expired.
 */
export function outcomeWithoutLiveClaims(
  claims: ClaimSummary[],
  o: { routing: Routing; fallbackToPool: boolean; poolClosed: boolean; releaseReopensPool: () => boolean },
): NoLiveClaimOutcome {
  if (o.routing === 'directed') {
    const everAccepted = claims.some((c) => !(c.status === 'rejected' || (c.status === 'expired' && c.reason === 'deadline:acceptance')));
    const anyDeclined = claims.some((c) => c.status === 'declined');
    // The bank sat on it, not the enterprise: a release reopens the pool with or without the fallback flag.
    const released = claims.some((c) => c.status === 'released');
    if ((!everAccepted && o.fallbackToPool) || (released && o.releaseReopensPool())) return { kind: 'reopenPool' };
    return { kind: 'close', reason: !everAccepted ? 'unmatched' : anyDeclined ? 'all_declined' : 'expired' };
  }
  if (!o.poolClosed) return { kind: 'wait' };
  return { kind: 'close', reason: claims.length > 0 && claims.every((c) => c.status === 'declined') ? 'all_declined' : 'expired' };
}

/** Grab slots held: live claims won in the pool (an expired or released grab frees its slot). */
export function grabSlotsTaken(claims: ClaimSummary[]): number {
  return claims.filter((c) => c.origin === 'grab' && !isTerminalClaim(c.status)).length;
}

export function grabSlotsLeft(claims: ClaimSummary[], grabLimit: number): number {
  return Math.max(0, grabLimit - grabSlotsTaken(claims));
}
