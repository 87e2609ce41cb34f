// A guarantee: the guarantee institution (or the credit guarantee fund) approves or declines
// within its deadline; the fee is capped by policy and the risk shares follow the credit grade.
import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { deadlineFor, remindersFor } from '../domain/deadlines';
import { lifecyclePolicy } from '../domain/policy';
import { db } from './activityProxies';
import { getGuaranteeQuery, guaranteeApproveUpdate, guaranteeDeclineUpdate, REJECTIONS } from './messages';
import { Deliveries } from './notify';
import type { GuaranteeInput, GuaranteeState } from './state';
import { waitWithReminders } from './waiting';

export async function guaranteeWorkflow(input: GuaranteeInput): Promise<GuaranteeState> {
  const policy = lifecyclePolicy(input.policyVersion);
  const start = new Date(Date.now());
  const deadline = deadlineFor('guarantee', start, policy);
  const shares = (input.creditGrade && policy.guarantee.riskSharesByGrade[input.creditGrade]) || policy.guarantee.defaultRiskShares;
  const s: GuaranteeState = {
    guaranteeInstitutionId: input.guaranteeInstitutionId,
    status: 'requested',
    deadlineAt: deadline.toISOString(),
    riskShares: shares,
  };
  const deliveries = new Deliveries();
  const maxFeeFen = Math.floor((input.amountFen * policy.guarantee.policyFeeCapBp) / 10_000);
  setHandler(getGuaranteeQuery, () => s);

  const validate = (i: { guaranteeInstitutionId: string; feeFen?: number }) => {
    if (i.guaranteeInstitutionId !== input.guaranteeInstitutionId)
      throw ApplicationFailure.create({ type: REJECTIONS.NotDirectedToBank, message: 'this guarantee was requested from another institution' });
    if (s.status !== 'requested') throw ApplicationFailure.create({ type: REJECTIONS.AlreadyAnswered, message: `guarantee already ${s.status}` });
    if (i.feeFen !== undefined && (!Number.isSafeInteger(i.feeFen) || i.feeFen < 0 || i.feeFen > maxFeeFen))
      throw ApplicationFailure.create({
        type: REJECTIONS.InvalidOffer,
        message: `fee must be 0–${maxFeeFen} fen (policy cap ${policy.guarantee.policyFeeCapBp / 100} %)`,
      });
  };
  let requested = false;
  // A decision may arrive before the request was recorded; it waits, so the rows land in order.
  const record = async (actor: string) => {
    await condition(() => requested);
    await db.recordGuarantee({ ...input, state: { ...s }, actor, at: new Date(Date.now()).toISOString() });
  };

  setHandler(
    guaranteeApproveUpdate,
    async (i) => {
      s.status = 'approved';
      s.feeFen = i.feeFen ?? 0;
      await record(`guaranteeInstitution:${i.guaranteeInstitutionId}`);
      return s;
    },
    { validator: validate },
  );
  setHandler(
    guaranteeDeclineUpdate,
    async (i) => {
      s.status = 'declined';
      s.reason = i.reason ?? 'declined';
      await record(`guaranteeInstitution:${i.guaranteeInstitutionId}`);
      return s;
    },
    {
      validator: (i) => {
        validate(i);
        if (!i.reason) throw ApplicationFailure.create({ type: REJECTIONS.InvalidTransition, message: 'a decline needs a reason' });
      },
    },
  );

  const r = await db.recordGuarantee({ ...input, state: { ...s, status: 'requested' }, actor: 'system', at: start.toISOString(), notifyRequested: true });
  requested = true;
  deliveries.start(r.notificationIds);
  const answered = await waitWithReminders(
    () => s.status !== 'requested',
    () => deadline,
    remindersFor('guarantee', start, deadline, policy),
    async (rem) => {
      const x = await db.recordTransition({
        financingRequestId: input.financingRequestId,
        eventKey: `${input.claimId}:guarantee:reminder:${rem.kind}`,
        event: 'reminder:guarantee',
        actor: 'system',
        at: new Date(Date.now()).toISOString(),
        notify: [
          {
            templateId: 'deadlineReminder',
            recipient: { type: 'guaranteeInstitution', id: input.guaranteeInstitutionId },
            params: { financingRequestId: input.financingRequestId, deadlineAt: deadline.toISOString(), step: 'guarantee' },
            urgent: rem.kind === 'final',
          },
        ],
      });
      deliveries.start(x.notificationIds);
    },
  );
  if (!answered) {
    s.status = 'expired';
    await record('system');
  }
  await condition(allHandlersFinished);
  await deliveries.drain();
  return s;
}
