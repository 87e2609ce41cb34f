// One financing request, from publication to close: routes it (directed send, open pool, fallback),
// runs one claim child per participating bank, derives the public stage from the claims, lets the
// enterprise choose an offer, withdraw or rate, and closes with a reason. Deterministic: workflow
// time only, all I/O in activities. State and shared moves: process.ts; routing.ts, offers.ts, rating.ts.
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { deriveStage, STAGE_OF_CLAIM } from '../../domain/stages';
import { amountTier } from '../../domain/tiers';
import type { NotificationRequest } from '../../notifications/types';
import { db } from '../activityProxies';
import { claimChangedSignal, getStateQuery, REJECTIONS, withdrawUpdate } from '../messages';
import { reject } from '../rejections';
import { LOAN_AMOUNT_TIER, LOAN_STAGE } from '../searchAttributes';
import type { FinancingRequestInput, FinancingRequestState } from '../state';
import { setVisibility } from '../visibility';
import { registerChooseOffer, settleOffers } from './offers';
import { RequestProcess } from './process';
import { collectRating, registerRate } from './rating';
import { afterLastClaim, registerGrab, route } from './routing';

export async function financingRequestWorkflow(input: FinancingRequestInput): Promise<FinancingRequestState> {
  const p = new RequestProcess(input);
  const { state } = p;

  setHandler(getStateQuery, () => state);
  setHandler(claimChangedSignal, (c) => {
    const i = state.claims.findIndex((x) => x.bankId === c.bankId);
    if (i >= 0) state.claims[i] = c;
    else state.claims.push(c);
    p.changed = true;
  });
  registerGrab(p);
  setHandler(
    withdrawUpdate,
    async ({ reason }) => {
      p.withdrawRequested = reason ?? 'withdrawn by the enterprise';
      await condition(() => p.closed());
      return state;
    },
    {
      validator: (_i: { reason?: string }) => {
        if (p.closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.stage === 'disbursed') throw reject(REJECTIONS.InvalidTransition, 'a disbursed request can no longer be withdrawn');
      },
    },
  );
  registerChooseOffer(p);
  registerRate(p);

  if (!input.carried) {
    await db.persistFinancingRequest({ ...input, workflowId: p.workflowId, publishedAt: state.timeline[0]!.at });
    setVisibility([
      { key: LOAN_STAGE, value: state.stage },
      { key: LOAN_AMOUNT_TIER, value: amountTier(input.amountFen) },
    ]);
    await route(p);
  } else if (state.routing === 'pool') await p.listEligibleBanks();
  p.started = true;

  while (!p.closed()) {
    const poolWait = state.routing === 'pool' && state.poolClosesAt ? new Date(state.poolClosesAt).getTime() - Date.now() : undefined;
    if (poolWait === undefined || poolWait > 0) await condition(() => p.changed || p.withdrawRequested !== undefined, poolWait);
    p.changed = false;

    if (p.withdrawRequested !== undefined) {
      await p.close('withdrawn', `enterprise:${input.enterpriseId}`);
      break;
    }
    const stage = deriveStage(state.claims.map((c) => c.status));
    if (stage !== state.stage) {
      const acceptedBy = state.claims.find((c) => STAGE_OF_CLAIM[c.status])?.bankId ?? null;
      const notify: NotificationRequest[] =
        stage === 'accepted' ? [{ templateId: 'requestAccepted', recipient: p.enterprise, params: { financingRequestId: input.id, bankId: acceptedBy } }] : [];
      await p.record({ stage, actor: 'system', notify });
    }
    await p.grantPortraits();
    if (stage === 'disbursed') break;
    await settleOffers(p);

    // A disbursement that landed while this pass awaited an activity (record, choose) is not yet in
    // `stage`: loop again to record it rather than close a lent request as expired.
    if (p.live().length === 0 && p.disbursedBankId() && patched('no-expire-after-disbursement')) {
      p.changed = true;
      continue;
    }
    if (p.live().length === 0) await afterLastClaim(p);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await p.deliveries.drain();
      await continueAsNew<typeof financingRequestWorkflow>({ ...input, carried: state });
    }
  }

  if (state.stage === 'disbursed') await collectRating(p);
  await condition(allHandlersFinished);
  await p.deliveries.drain();
  return state;
}
