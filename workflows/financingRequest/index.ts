// One financing request, from publication to close: routes it (directed send, open pool, fallback),
// runs one claim child per participating bank, derives the public stage from the claims, lets the
// enterprise choose an offer, withdraw or rate, and closes with a reason. Deterministic: workflow
// time only, all I/O in activities.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { PORTRAIT_SECTIONS } from '../../domain/credit/portrait';
import { deadlineFor } from '../../domain/deadlines';
import { deriveStage, STAGE_OF_CLAIM } from '../../domain/stages';
import { claimWorkflowId } from '../../domain/ids';
import { lifecyclePolicy } from '../../domain/policy';
import { amountTier } from '../../domain/tiers';
import { isTerminalClaim, type ClaimOrigin, type CloseReason, type Stage } from '../../domain/vocabulary';
import type { NotificationRequest } from '../../notifications/types';
import type { TransitionRecord } from '../../activities/types';
import { db } from '../activityProxies';
import { claimWorkflow } from '../claim';
import {
  chooseOfferUpdate,
  claimChangedSignal,
  getStateQuery,
  grabUpdate,
  offerDecisionSignal,
  rateUpdate,
  REJECTIONS,
  requestClosedSignal,
  withdrawUpdate,
} from '../messages';
import { Deliveries } from '../notify';
import { LOAN_AMOUNT_TIER, LOAN_BANK_IDS, LOAN_DEADLINE, LOAN_STAGE } from '../searchAttributes';
import type { FinancingRequestInput, FinancingRequestState } from '../state';
import { setVisibility } from '../visibility';
import { waitWithReminders } from '../waiting';

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message });

/** How long a bank that accepted or won a request with data consent may read the enterprise's portrait. */
const PORTRAIT_GRANT_MS = 90 * 24 * 3_600_000;

export async function financingRequestWorkflow(input: FinancingRequestInput): Promise<FinancingRequestState> {
  const policy = lifecyclePolicy(input.policyVersion);
  const now = () => new Date(Date.now());
  const workflowId = workflowInfo().workflowId;
  const enterprise = { type: 'enterprise' as const, id: input.enterpriseId };
  const state: FinancingRequestState = input.carried ?? {
    id: input.id,
    enterpriseId: input.enterpriseId,
    requestHash: input.requestHash,
    stage: 'published',
    routing: input.routing,
    claims: [],
    rated: false,
    timeline: [{ event: 'published', actor: `enterprise:${input.enterpriseId}`, at: now().toISOString() }],
  };
  const deliveries = new Deliveries();
  let eligibleBankIds: string[] = [];
  let changed = true;
  let withdrawRequested: string | undefined;
  let started = Boolean(input.carried);
  let seq = state.timeline.length;

  const closed = () => state.stage === 'closed';
  const live = () => state.claims.filter((c) => !isTerminalClaim(c.status));
  const claimOf = (bankId: string) => state.claims.find((c) => c.bankId === bankId);
  const disbursedBankId = () => state.claims.find((c) => c.status === 'disbursed')?.bankId ?? null;

  /** Records a stage change, or (stage undefined) a labelled event on the timeline. */
  async function record(
    stage: Stage | undefined,
    actor: string,
    notify: NotificationRequest[] = [],
    closeReason?: CloseReason,
    event?: string,
    pool?: TransitionRecord['pool'],
  ) {
    seq += 1;
    const at = now().toISOString();
    if (stage) {
      state.stage = stage;
      state.timeline.push({ event: stage, actor, at });
      setVisibility([{ key: LOAN_STAGE, value: stage }]);
    }
    const r = await db.recordTransition({
      financingRequestId: input.id,
      eventKey: `${input.id}:r${seq}:${stage ?? event ?? 'note'}`,
      actor,
      at,
      stage,
      closeReason,
      notify,
      event,
      ...(pool ? { pool } : {}),
    });
    deliveries.start(r.notificationIds);
  }

  async function startClaim(bankId: string, origin: ClaimOrigin) {
    await startChild(claimWorkflow, {
      workflowId: claimWorkflowId(input.id, bankId),
      args: [
        {
          financingRequestId: input.id,
          enterpriseId: input.enterpriseId,
          bankId,
          origin,
          amountFen: input.amountFen,
          guaranteeMethod: input.guaranteeMethod,
          policyVersion: input.policyVersion,
          requestWorkflowId: workflowId,
          offerSelection: input.offerSelection,
        },
      ],
      // Claims outlive a continue-as-new of the request; the request ends them explicitly.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    setVisibility([{ key: LOAN_BANK_IDS, value: state.claims.map((c) => c.bankId) }]);
  }

  async function openPool(actor: string) {
    // Open for grabs only once the eligible banks are known (a grab in between would be refused NotEligible);
    // the close time still counts from the moment the pool opened. Same commands as before: replay-safe.
    const opened = now();
    eligibleBankIds = await db.listEligibleBanks({ financingRequestId: input.id, excludeBankIds: state.claims.map((c) => c.bankId) });
    state.routing = 'pool';
    state.poolClosesAt = deadlineFor('pool', opened, policy).toISOString();
    setVisibility([{ key: LOAN_DEADLINE, value: new Date(state.poolClosesAt) }]);
    await record(
      undefined,
      actor,
      eligibleBankIds.map((id) => ({
        templateId: 'poolRequestMatchesProducts',
        recipient: { type: 'bank' as const, id },
        params: { financingRequestId: input.id, amountFen: input.amountFen },
      })),
      undefined,
      'pool:opened',
      { closesAt: state.poolClosesAt, eligibleBankIds },
    );
  }

  async function close(reason: CloseReason, actor = 'system') {
    for (const c of live())
      await getExternalWorkflowHandle(claimWorkflowId(input.id, c.bankId)).signal(requestClosedSignal, {
        reason: reason === 'withdrawn' ? 'withdrawn' : 'closed',
      });
    state.closeReason = reason;
    await record(
      'closed',
      actor,
      reason === 'expired' || reason === 'unmatched' || reason === 'all_declined'
        ? [{ templateId: 'requestExpired', recipient: enterprise, params: { financingRequestId: input.id, reason } }]
        : [],
      reason,
    );
  }

  async function choose(bankId: string, actor: string) {
    state.chosenBankId = bankId;
    for (const c of state.claims) {
      if (c.status === 'approved')
        await getExternalWorkflowHandle(claimWorkflowId(input.id, c.bankId)).signal(offerDecisionSignal, { chosen: c.bankId === bankId });
    }
    await record(undefined, actor, [], undefined, `offer:chosen:${bankId}`);
  }

  // Data consent: every bank whose claim is accepted (directed accept or won grab) may read the
  // portrait. Granted once per bank per run (the activity is idempotent, so a continue-as-new that
  // grants again changes nothing). Behind a patch so requests started before this code replay.
  const portraitGranted = new Set<string>();
  async function grantPortraits() {
    const due = input.dataConsent ? state.claims.filter((c) => STAGE_OF_CLAIM[c.status] && !portraitGranted.has(c.bankId)) : [];
    if (due.length === 0 || !patched('portrait-grants')) return;
    for (const c of due) {
      portraitGranted.add(c.bankId);
      await db.grantPortraitAccess({
        financingRequestId: input.id,
        enterpriseId: input.enterpriseId,
        bankId: c.bankId,
        sections: [...PORTRAIT_SECTIONS],
        expiresAt: new Date(now().getTime() + PORTRAIT_GRANT_MS).toISOString(),
      });
    }
  }

  setHandler(getStateQuery, () => state);
  setHandler(claimChangedSignal, (c) => {
    const i = state.claims.findIndex((x) => x.bankId === c.bankId);
    if (i >= 0) state.claims[i] = c;
    else state.claims.push(c);
    changed = true;
  });

  setHandler(
    grabUpdate,
    async ({ bankId }) => {
      // Reserve the slot before any await: updates run one at a time up to their first await,
      // so the limit holds under any number of concurrent grabs.
      state.claims.push({ bankId, origin: 'grab', status: 'accepted' });
      await condition(() => started);
      await startClaim(bankId, 'grab');
      return state;
    },
    {
      validator: ({ bankId }) => {
        if (closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.routing !== 'pool' || !state.poolClosesAt || now() >= new Date(state.poolClosesAt))
          throw reject(REJECTIONS.NotInPool, 'the request is not open for grabs');
        const held = claimOf(bankId);
        if (held)
          throw reject(
            REJECTIONS.AlreadyHoldsClaim,
            held && !isTerminalClaim(held.status)
              ? 'your bank already holds a claim on this request'
              : `your bank already had a claim on this request (${held.status})`,
          );
        if (!eligibleBankIds.includes(bankId)) throw reject(REJECTIONS.NotEligible, 'your bank has no product that fits this request');
        const taken = state.claims.filter((c) => c.origin === 'grab' && !isTerminalClaim(c.status)).length;
        if (taken >= policy.grabLimit) throw reject(REJECTIONS.SlotsFull, `all ${policy.grabLimit} slots are taken`);
      },
    },
  );
  setHandler(
    withdrawUpdate,
    async ({ reason }) => {
      withdrawRequested = reason ?? 'withdrawn by the enterprise';
      await condition(closed);
      return state;
    },
    {
      validator: (_i: { reason?: string }) => {
        if (closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.stage === 'disbursed') throw reject(REJECTIONS.InvalidTransition, 'a disbursed request can no longer be withdrawn');
      },
    },
  );
  setHandler(
    chooseOfferUpdate,
    async ({ bankId }) => {
      await choose(bankId, `enterprise:${input.enterpriseId}`);
      return state;
    },
    {
      validator: ({ bankId }) => {
        if (closed()) throw reject(REJECTIONS.RequestClosed, 'the request is closed');
        if (state.chosenBankId) throw reject(REJECTIONS.AlreadyAnswered, `offer of ${state.chosenBankId} already chosen`);
        if (claimOf(bankId)?.status !== 'approved') throw reject(REJECTIONS.NoSuchOffer, `no approved offer from bank ${bankId}`);
      },
    },
  );
  setHandler(
    rateUpdate,
    async (rating) => {
      state.rated = true;
      const disbursed = state.claims.find((c) => c.status === 'disbursed')!;
      await db.recordRating({ financingRequestId: input.id, bankId: disbursed.bankId, rating });
      changed = true;
      return state;
    },
    {
      validator: (r) => {
        if (state.stage !== 'disbursed') throw reject(REJECTIONS.InvalidTransition, 'rating opens after disbursement');
        if (state.rated) throw reject(REJECTIONS.AlreadyAnswered, 'already rated');
        for (const k of ['meetsNeed', 'cost', 'speed', 'communication'] as const)
          if (!Number.isInteger(r[k]) || r[k] < 1 || r[k] > 5) throw reject(REJECTIONS.InvalidOffer, `${k} must be 1–5`);
      },
    },
  );

  if (!input.carried) {
    await db.persistFinancingRequest({ ...input, workflowId, publishedAt: state.timeline[0]!.at });
    setVisibility([
      { key: LOAN_STAGE, value: state.stage },
      { key: LOAN_AMOUNT_TIER, value: amountTier(input.amountFen) },
    ]);
    if (input.routing === 'directed') {
      const origin: ClaimOrigin = input.productId ? 'product' : 'directed';
      for (const bankId of input.directedBankIds) {
        state.claims.push({ bankId, origin, status: 'offered' });
        await startClaim(bankId, origin);
      }
    } else await openPool('system');
  } else if (state.routing === 'pool') {
    eligibleBankIds = await db.listEligibleBanks({ financingRequestId: input.id, excludeBankIds: state.claims.map((c) => c.bankId) });
  }
  started = true;

  while (!closed()) {
    const poolWait = state.routing === 'pool' && state.poolClosesAt ? new Date(state.poolClosesAt).getTime() - Date.now() : undefined;
    if (poolWait === undefined || poolWait > 0) await condition(() => changed || withdrawRequested !== undefined, poolWait);
    changed = false;

    if (withdrawRequested !== undefined) {
      await close('withdrawn', `enterprise:${input.enterpriseId}`);
      break;
    }
    const stage = deriveStage(state.claims.map((c) => c.status));
    if (stage !== state.stage) {
      const notify: NotificationRequest[] =
        stage === 'accepted'
          ? [
              {
                templateId: 'requestAccepted',
                recipient: enterprise,
                params: { financingRequestId: input.id, bankId: state.claims.find((c) => STAGE_OF_CLAIM[c.status])?.bankId ?? null },
              },
            ]
          : [];
      await record(stage, 'system', notify);
    }
    await grantPortraits();
    if (stage === 'disbursed') break;
    if (!state.chosenBankId && input.offerSelection === 'first_approval') {
      const first = state.claims.find((c) => c.status === 'approved');
      if (first) await choose(first.bankId, 'system');
    }
    // A chosen offer that failed (expired, declined after a guarantee) reopens the choice.
    if (state.chosenBankId && isTerminalClaim(claimOf(state.chosenBankId)!.status) && claimOf(state.chosenBankId)!.status !== 'disbursed')
      state.chosenBankId = undefined;

    // A disbursement that landed while this pass awaited an activity (record, choose) is not yet in
    // `stage`: loop again to record it rather than close a lent request as expired (reliability suite).
    if (live().length === 0 && disbursedBankId() && patched('no-expire-after-disbursement')) {
      changed = true;
      continue;
    }
    if (live().length === 0) {
      const everAccepted = state.claims.some((c) => !(c.status === 'rejected' || (c.status === 'expired' && c.reason === 'deadline:acceptance')));
      const anyDeclined = state.claims.some((c) => c.status === 'declined');
      if (state.routing === 'directed') {
        // A supervisor's release sends the request back to the pool (the released bank excluded), with
        // or without the enterprise's fallback flag: the bank sat on it, not the enterprise.
        const released = state.claims.some((c) => c.status === 'released');
        if ((!everAccepted && input.fallbackToPool) || (released && patched('release-reopens-pool'))) await openPool('system');
        else await close(!everAccepted ? 'unmatched' : anyDeclined ? 'all_declined' : 'expired');
      } else if (now() >= new Date(state.poolClosesAt!)) {
        await close(state.claims.length > 0 && state.claims.every((c) => c.status === 'declined') ? 'all_declined' : 'expired');
      }
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await deliveries.drain();
      await continueAsNew<typeof financingRequestWorkflow>({ ...input, carried: state });
    }
  }

  if (state.stage === 'disbursed') {
    // Rating: the enterprise rates the bank (4C, 1–5 each); a reminder; auto-close at the deadline.
    const start = now();
    const deadline = deadlineFor('rating', start, policy);
    state.ratingDeadlineAt = deadline.toISOString();
    await record(
      undefined,
      'system',
      [
        {
          templateId: 'pleaseRate',
          recipient: enterprise,
          params: { financingRequestId: input.id, deadlineAt: state.ratingDeadlineAt, bankId: disbursedBankId() },
        },
      ],
      undefined,
      'rating:requested',
    );
    await waitWithReminders(
      () => state.rated || withdrawRequested !== undefined,
      () => deadline,
      [{ at: new Date(start.getTime() + (deadline.getTime() - start.getTime()) * policy.reminders.atFraction), kind: 'half' }],
      async () =>
        record(
          undefined,
          'system',
          [
            {
              templateId: 'pleaseRate',
              recipient: enterprise,
              params: { financingRequestId: input.id, deadlineAt: state.ratingDeadlineAt!, bankId: disbursedBankId() },
            },
          ],
          undefined,
          'rating:reminder',
        ),
    );
    await close('completed');
  }
  await condition(allHandlersFinished);
  await deliveries.drain();
  return state;
}
