// The enterprise's choice among approved offers: chosen through the API, or the first approval
// when the request asks for that; a chosen offer that fails reopens the choice.
import { setHandler } from '@temporalio/workflow';
import { isTerminalClaim } from '../../domain/vocabulary';
import { chooseOfferUpdate, REJECTIONS } from '../messages';
import { reject } from '../rejections';
import type { RequestProcess } from './process';

export function registerChooseOffer(p: RequestProcess): void {
  const { state } = p;
  setHandler(
    chooseOfferUpdate,
    async ({ bankId }) => {
      await p.choose(bankId, `enterprise:${p.input.enterpriseId}`);
      return state;
    },
    {
      validator: ({ bankId }) => {
        if (p.closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.chosenBankId) throw reject(REJECTIONS.AlreadyAnswered, `offer of ${state.chosenBankId} already chosen`);
        if (p.claimOf(bankId)?.status !== 'approved') throw reject(REJECTIONS.NoSuchOffer, `no approved offer from bank ${bankId}`);
      },
    },
  );
}

/** One pass of the main loop over the offers. */
export async function settleOffers(p: RequestProcess): Promise<void> {
  const { state, input } = p;
  if (!state.chosenBankId && input.offerSelection === 'first_approval') {
    const first = state.claims.find((c) => c.status === 'approved');
    if (first) await p.choose(first.bankId, 'system');
  }
  // A chosen offer that failed (expired, declined after a guarantee) reopens the choice.
  const chosen = state.chosenBankId ? p.claimOf(state.chosenBankId) : undefined;
  if (chosen && isTerminalClaim(chosen.status) && chosen.status !== 'disbursed') state.chosenBankId = undefined;
}
