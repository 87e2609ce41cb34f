// The request's decisions when no live claim is left, and the pool's grab slots.
import { describe, expect, it } from 'vitest';
import { grabSlotsLeft, grabSlotsTaken, outcomeWithoutLiveClaims, type ClaimSummary } from '../../domain/lifecycle';

const directed = (over: Partial<Parameters<typeof outcomeWithoutLiveClaims>[1]> = {}) => ({
  routing: 'directed' as const,
  fallbackToPool: false,
  poolClosed: false,
  releaseReopensPool: () => true,
  ...over,
});
const unanswered: ClaimSummary = { status: 'expired', reason: 'deadline:acceptance' };

describe('outcomeWithoutLiveClaims', () => {
  it('directed, nobody took it up: unmatched, or the pool when the enterprise allowed the fallback', () => {
    const claims: ClaimSummary[] = [{ status: 'rejected' }, unanswered];
    expect(outcomeWithoutLiveClaims(claims, directed())).toEqual({ kind: 'close', reason: 'unmatched' });
    expect(outcomeWithoutLiveClaims(claims, directed({ fallbackToPool: true }))).toEqual({ kind: 'reopenPool' });
  });

  it('directed, a bank took it up: all declined if one declined, else expired; no fallback to the pool', () => {
    expect(outcomeWithoutLiveClaims([{ status: 'declined' }, { status: 'rejected' }], directed({ fallbackToPool: true }))).toEqual({
      kind: 'close',
      reason: 'all_declined',
    });
    expect(outcomeWithoutLiveClaims([{ status: 'expired', reason: 'deadline:decision' }], directed({ fallbackToPool: true }))).toEqual({
      kind: 'close',
      reason: 'expired',
    });
  });

  it('a released claim reopens the pool without the fallback flag, asking the patch only then', () => {
    let asked = 0;
    const patch = () => (asked += 1) > 0;
    expect(outcomeWithoutLiveClaims([{ status: 'released' }], directed({ releaseReopensPool: patch }))).toEqual({ kind: 'reopenPool' });
    expect(outcomeWithoutLiveClaims([{ status: 'declined' }], directed({ releaseReopensPool: patch }))).toEqual({ kind: 'close', reason: 'all_declined' });
    expect(asked).toBe(1);
    expect(outcomeWithoutLiveClaims([{ status: 'released' }], directed({ releaseReopensPool: () => false }))).toEqual({ kind: 'close', reason: 'expired' });
  });

  it('pool: waits until the pool closes, then all declined or expired', () => {
    const pool = { routing: 'pool' as const, fallbackToPool: false, releaseReopensPool: () => true };
    expect(outcomeWithoutLiveClaims([{ status: 'declined' }], { ...pool, poolClosed: false })).toEqual({ kind: 'wait' });
    expect(outcomeWithoutLiveClaims([{ status: 'declined' }, { status: 'declined' }], { ...pool, poolClosed: true })).toEqual({
      kind: 'close',
      reason: 'all_declined',
    });
    expect(outcomeWithoutLiveClaims([{ status: 'declined' }, { status: 'expired' }], { ...pool, poolClosed: true })).toEqual({
      kind: 'close',
      reason: 'expired',
    });
    expect(outcomeWithoutLiveClaims([], { ...pool, poolClosed: true })).toEqual({ kind: 'close', reason: 'expired' });
  });
});

describe('grab slots', () => {
  it('counts live grabs only: an expired or released grab frees its slot; directed claims take none', () => {
    const claims: ClaimSummary[] = [
      { status: 'accepted', origin: 'grab' },
      { status: 'approved', origin: 'grab' },
      { status: 'expired', origin: 'grab' },
      { status: 'released', origin: 'grab' },
      { status: 'accepted', origin: 'directed' },
    ];
    expect(grabSlotsTaken(claims)).toBe(2);
    expect(grabSlotsLeft(claims, 3)).toBe(1);
    expect(grabSlotsLeft([...claims, { status: 'under_review', origin: 'grab' }, { status: 'accepted', origin: 'grab' }], 3)).toBe(0);
  });
});
