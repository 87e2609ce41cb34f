// One financing request, from publication to close. Deterministic: workflow time only, all I/O
// in activities. (Foundation slice: directed send and acceptance; the full lifecycle builds on it.)
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addBusinessDays } from '../domain/calendar';
import { lifecyclePolicy } from '../domain/policy';
import { amountTier } from '../domain/tiers';
import { acceptUpdate, getStateQuery } from './messages';
import { LOAN_AMOUNT_TIER, LOAN_BANK_IDS, LOAN_STAGE } from './searchAttributes';
import type { FinancingRequestInput, FinancingRequestState } from './state';

const { persistFinancingRequest, recordTransition } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function financingRequestWorkflow(input: FinancingRequestInput): Promise<FinancingRequestState> {
  const policy = lifecyclePolicy(input.policyVersion);
  const now = () => new Date(Date.now());
  const publishedAt = now();
  const state: FinancingRequestState = {
    id: input.id,
    requestHash: input.requestHash,
    stage: 'published',
    routing: input.routing,
    claims: [],
    timeline: [{ event: 'published', actor: `enterprise:${input.enterpriseId}`, at: publishedAt.toISOString() }],
  };
  let persisted = false;
  setHandler(getStateQuery, () => state);

  setHandler(
    acceptUpdate,
    async ({ bankId }) => {
      await condition(() => persisted);
      const at = now().toISOString();
      const claim = state.claims.find((c) => c.bankId === bankId)!;
      claim.status = 'accepted';
      state.stage = 'accepted';
      state.timeline.push({ event: 'accepted', actor: `bank:${bankId}`, at, bankId });
      upsertSearchAttributes([{ key: LOAN_STAGE, value: state.stage }]);
      await recordTransition({
        financingRequestId: input.id,
        eventKey: `${input.id}:accept:${bankId}`,
        actor: `bank:${bankId}`,
        at,
        stage: 'accepted',
        claim: { bankId, origin: 'directed', status: 'accepted' },
        notify: [{ templateId: 'requestAccepted', recipient: { type: 'enterprise', id: input.enterpriseId }, params: { bankId } }],
      });
      return state;
    },
    {
      validator: ({ bankId }) => {
        const claim = state.claims.find((c) => c.bankId === bankId);
        if (!claim) throw ApplicationFailure.create({ type: 'NotDirectedToBank', message: `request ${input.id} was not sent to bank ${bankId}` });
        if (claim.status !== 'offered')
          throw ApplicationFailure.create({ type: 'AlreadyAnswered', message: `bank ${bankId} already answered (${claim.status})` });
      },
    },
  );

  await persistFinancingRequest({ ...input, workflowId: workflowInfo().workflowId, publishedAt: publishedAt.toISOString() });
  const deadline = addBusinessDays(publishedAt, policy.deadlines.acceptanceBusinessDays, policy.calendar);
  for (const bankId of input.directedBankIds) {
    state.claims.push({ bankId, origin: 'directed', status: 'offered', deadlineAt: deadline.toISOString() });
    await recordTransition({
      financingRequestId: input.id,
      eventKey: `${input.id}:offer:${bankId}`,
      actor: 'system',
      at: publishedAt.toISOString(),
      claim: { bankId, origin: 'directed', status: 'offered', deadlineAt: deadline.toISOString() },
      notify: [{ templateId: 'newDirectedRequest', recipient: { type: 'bank', id: bankId }, params: { financingRequestId: input.id } }],
    });
  }
  upsertSearchAttributes([
    { key: LOAN_STAGE, value: state.stage },
    { key: LOAN_BANK_IDS, value: input.directedBankIds },
    { key: LOAN_AMOUNT_TIER, value: amountTier(input.amountFen) },
  ]);
  persisted = true;
  await condition(() => state.stage === 'closed');
  return state;
}
