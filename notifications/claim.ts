// In-flight marker of an outbox row. The schema has no 'sending' status yet, so while a provider
// call is in flight the row keeps status pending/held and providerMessageId holds
// `claim:<token>:<claimedAtMs>`; the real provider id replaces it when the status is written.
// A marker left behind means a worker died (or a call's outcome is unknown) mid-send; the next
// attempt, once the lease has passed, reconciles with the provider before sending again.
// Proper columns (status 'sending', claimToken, claimedAt) would replace this encoding later.
import { randomUUID } from 'node:crypto';

const PREFIX = 'claim:';

export interface Claim {
  marker: string;
  token: string;
  /** When this claim was taken: the lease runs from here. */
  claimedAt: Date;
  /** When the first (possibly crashed) attempt of this row started: reconciliation looks back to here. */
  since: Date;
}

/** A fresh claim, or a takeover of an orphaned one that keeps the orphan's `since`. */
export function newClaim(now: Date, takeoverOf?: Claim): Claim {
  const token = randomUUID();
  const since = takeoverOf?.since ?? now;
  return { marker: `${PREFIX}${token}:${now.getTime()}:${since.getTime()}`, token, claimedAt: now, since };
}

export function parseClaim(providerMessageId: string | null | undefined): Claim | undefined {
  if (!providerMessageId?.startsWith(PREFIX)) return undefined;
  const [token, claimedMs, sinceMs] = providerMessageId.slice(PREFIX.length).split(':');
  const claimedAt = Number(claimedMs);
  const since = Number(sinceMs);
  if (!token || !Number.isFinite(claimedAt) || !Number.isFinite(since)) return undefined;
  return { marker: providerMessageId, token, claimedAt: new Date(claimedAt), since: new Date(since) };
}
