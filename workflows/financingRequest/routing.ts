// Where the request goes: the directed banks or the open pool at publication, grabs in the pool
// (first come within the slot limit), and what happens once no claim is live any more.
import { condition, patched, setHandler } from '@temporalio/workflow';
import { grabSlotsTaken, outcomeWithoutLiveClaims } from '../../domain/lifecycle';
import { isTerminalClaim, type ClaimOrigin } from '../../domain/vocabulary';
import { grabUpdate, REJECTIONS } from '../messages';
import { reject } from '../rejections';
import type { RequestProcess } from './process';

/** Publication: a claim per directed bank, or the open pool. */
export async function route(p: RequestProcess): Promise<void> {
  const { input, state } = p;
  if (input.routing === 'directed') {
    const origin: ClaimOrigin = input.productId ? 'product' : 'directed';
    for (const bankId of input.directedBankIds) {
      state.claims.push({ bankId, origin, status: 'offered' });
      await p.startClaim(bankId, origin);
    }
  } else await p.openPool('system');
}

export function registerGrab(p: RequestProcess): void {
  const { state, policy } = p;
  setHandler(
    grabUpdate,
    async ({ bankId }) => {
      // Reserve the slot before any await: updates run one at a time up to their first await,
      // so the limit holds under any number of concurrent grabs.
      state.claims.push({ bankId, origin: 'grab', status: 'accepted' });
      await condition(() => p.started);
      await p.startClaim(bankId, 'grab');
      return state;
    },
    {
      validator: ({ bankId }) => {
        if (p.closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.routing !== 'pool' || !state.poolClosesAt || p.now() >= new Date(state.poolClosesAt))
          throw reject(REJECTIONS.NotInPool, 'the request is not open for grabs');
        const held = p.claimOf(bankId);
        if (held)
          throw reject(
            REJECTIONS.AlreadyHoldsClaim,
            !isTerminalClaim(held.status)
              ? 'your bank already holds a claim on this request'
              : `your bank already had a claim on this request (${held.status})`,
          );
        if (!p.eligibleBankIds.includes(bankId)) throw reject(REJECTIONS.NotEligible, 'your bank has no product that fits this request');
        if (grabSlotsTaken(state.claims) >= policy.grabLimit) throw reject(REJECTIONS.SlotsFull, `all ${policy.grabLimit} slots are taken`);
      },
    },
  );
}

/** No claim is live: reopen the pool, close, or wait for the pool to close (domain/lifecycle.ts). */
export async function afterLastClaim(p: RequestProcess): Promise<void> {
  const { state, input } = p;
  const outcome = outcomeWithoutLiveClaims(state.claims, {
    routing: state.routing,
    fallbackToPool: input.fallbackToPool,
    poolClosed: state.routing === 'pool' && p.now() >= new Date(state.poolClosesAt!),
    releaseReopensPool: () => patched('release-reopens-pool'),
  });
  if (outcome.kind === 'reopenPool') await p.openPool('system');
  else if (outcome.kind === 'close') await p.close(outcome.reason);
}
