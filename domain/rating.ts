// When an enterprise may rate a bank. After a loan: while the request waits for its rating (the
// request workflow enforces it). Without a loan: a request that ended because the bank let it
// expire, declined it or never took it may be rated for RATING_WITHOUT_LOAN_DAYS after it closed;
// those are the experiences supervisors most need to hear about.
import type { CloseReason } from './vocabulary';

export const RATING_WITHOUT_LOAN_DAYS = 30;
export const CLOSE_REASONS_RATED_WITHOUT_LOAN: readonly CloseReason[] = ['expired', 'unmatched', 'all_declined'];

export function ratingOpenWithoutLoan(closeReason: CloseReason | null | undefined, closedAt: Date, now: Date): boolean {
  if (!closeReason || !CLOSE_REASONS_RATED_WITHOUT_LOAN.includes(closeReason)) return false;
  return now.getTime() - closedAt.getTime() <= RATING_WITHOUT_LOAN_DAYS * 86_400_000;
}
