// One bank's claim on a financing request: offered (directed) → accepted → under review →
// approved or declined → chosen or not → guarantee when needed → disbursed. Every step has a
// business-day deadline with reminders; on expiry the claim is cancelled automatically.
import { allHandlersFinished, ApplicationFailure, condition, executeChild, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { deadlineFor, remindersFor, type DeadlineKind } from '../domain/deadlines';
import { claimId as makeClaimId } from '../domain/ids';
import { lifecyclePolicy } from '../domain/policy';
import { isTerminalClaim, type ClaimStatus } from '../domain/vocabulary';
import type { NotificationRequest } from '../notifications/types';
import { db } from './activityProxies';
import { guaranteeWorkflow } from './guarantee';
import {
  acceptUpdate,
  approveUpdate,
  claimChangedSignal,
  continueWithoutGuaranteeUpdate,
  declineUpdate,
  disburseUpdate,
  getClaimQuery,
  offerDecisionSignal,
  rejectUpdate,
  REJECTIONS,
  requestClosedSignal,
  startReviewUpdate,
} from './messages';
import { Deliveries } from './notify';
import type { ClaimInput, ClaimState } from './state';
import { waitWithReminders } from './waiting';

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message });

export async function claimWorkflow(input: ClaimInput): Promise<ClaimState> {
  const policy = lifecyclePolicy(input.policyVersion);
  const id = makeClaimId(input.financingRequestId, input.bankId);
  const bank = { type: 'bank' as const, id: input.bankId };
  const enterprise = { type: 'enterprise' as const, id: input.enterpriseId };
  const s: ClaimState = { bankId: input.bankId, origin: input.origin, status: input.origin === 'directed' ? 'offered' : 'accepted' };
  const parent = getExternalWorkflowHandle(input.requestWorkflowId);
  const deliveries = new Deliveries();
  const now = () => new Date(Date.now());
  let seq = 0;
  let chosen: boolean | undefined;
  let closedByRequest = false;
  let guaranteeDeclined = false;
  let continueWithout = false;
  setHandler(getClaimQuery, () => s);

  /** Records the claim's new status (timeline, claim row, outbox) and tells the request. */
  async function transition(status: ClaimStatus, actor: string, opts: { deadlineAt?: Date; reason?: string; notify?: NotificationRequest[] } = {}) {
    s.status = status;
    s.deadlineAt = opts.deadlineAt?.toISOString();
    if (opts.reason !== undefined) s.reason = opts.reason;
    seq += 1;
    const r = await db.recordTransition({
      financingRequestId: input.financingRequestId,
      eventKey: `${id}:${seq}:${status}`,
      actor,
      at: now().toISOString(),
      claim: { bankId: input.bankId, origin: input.origin, status, deadlineAt: s.deadlineAt ?? null, reason: opts.reason, offer: s.offer },
      notify: opts.notify,
    });
    deliveries.start(r.notificationIds);
    await tellRequest();
  }

  /** Reports the claim's state to the request; a request that already closed needs no report. */
  async function tellRequest() {
    try {
      await parent.signal(claimChangedSignal, { ...s });
    } catch {
      // ExternalWorkflowExecutionNotFound: the request completed (withdrawn, closed).
    }
  }

  /** Waits for the bank to leave `status`, with reminders; false when the deadline passed first. */
  async function awaitStep(kind: DeadlineKind, waitingFor: () => boolean) {
    const start = now();
    const deadline = deadlineFor(kind, start, policy);
    s.deadlineAt = deadline.toISOString();
    let reminderNo = 0;
    return waitWithReminders(
      () => waitingFor() || closedByRequest,
      () => deadline,
      remindersFor(kind, start, deadline, policy),
      async (rem) => {
        reminderNo += 1;
        const r = await db.recordTransition({
          financingRequestId: input.financingRequestId,
          eventKey: `${id}:${seq}:reminder:${reminderNo}`,
          event: `reminder:${kind}`,
          actor: 'system',
          at: now().toISOString(),
          notify: [
            {
              templateId: 'deadlineReminder',
              recipient: bank,
              params: { financingRequestId: input.financingRequestId, step: kind, deadlineAt: deadline.toISOString() },
              urgent: rem.kind === 'final',
            },
          ],
        });
        deliveries.start(r.notificationIds);
      },
    );
  }

  const mine = (bankId: string) => {
    if (bankId !== input.bankId) throw reject(REJECTIONS.NotDirectedToBank, `this claim belongs to bank ${input.bankId}`);
    if (isTerminalClaim(s.status)) throw reject(REJECTIONS.RequestClosed, `the claim is ${s.status}`);
  };
  const inStatus = (allowed: ClaimStatus[], what: string) => {
    if (!allowed.includes(s.status))
      throw reject(s.status === 'offered' ? REJECTIONS.InvalidTransition : REJECTIONS.AlreadyAnswered, `cannot ${what} a claim that is ${s.status}`);
  };
  const needReason = (reason?: string) => {
    if (!reason || reason.trim().length < 2) throw reject(REJECTIONS.InvalidTransition, 'a reason is required');
  };

  setHandler(acceptUpdate, async (i) => (await transition('accepted', `bank:${i.bankId}`), s), {
    validator: (i) => (mine(i.bankId), inStatus(['offered'], 'accept')),
  });
  setHandler(rejectUpdate, async (i) => (await transition('rejected', `bank:${i.bankId}`, { reason: i.reason }), s), {
    validator: (i) => (mine(i.bankId), inStatus(['offered'], 'reject'), needReason(i.reason)),
  });
  setHandler(
    startReviewUpdate,
    async (i) => (await transition('under_review', `bank:${i.bankId}`, { deadlineAt: s.deadlineAt ? new Date(s.deadlineAt) : undefined }), s),
    {
      validator: (i) => (mine(i.bankId), inStatus(['accepted'], 'review')),
    },
  );
  setHandler(
    approveUpdate,
    async (i) => {
      s.offer = {
        approvedAmountFen: i.approvedAmountFen,
        annualRateBp: i.annualRateBp,
        termMonths: i.termMonths,
        repaymentMethod: i.repaymentMethod,
        guaranteeInstitutionId: i.guaranteeInstitutionId,
      };
      await transition('approved', `bank:${i.bankId}`, {
        notify: [
          {
            templateId: 'requestApproved',
            recipient: enterprise,
            params: { financingRequestId: input.financingRequestId, bankId: input.bankId, amountFen: i.approvedAmountFen, annualRateBp: i.annualRateBp },
          },
        ],
      });
      return s;
    },
    {
      validator: (i) => {
        mine(i.bankId);
        inStatus(['accepted', 'under_review'], 'approve');
        if (i.approvedAmountFen > input.amountFen) throw reject(REJECTIONS.InvalidOffer, 'the approved amount exceeds the amount requested');
      },
    },
  );
  setHandler(declineUpdate, async (i) => (await transition('declined', `bank:${i.bankId}`, { reason: i.reason }), s), {
    validator: (i) => {
      mine(i.bankId);
      needReason(i.reason);
      if (!(['accepted', 'under_review'].includes(s.status) || (s.status === 'guarantee_pending' && guaranteeDeclined)))
        throw reject(REJECTIONS.AlreadyAnswered, `cannot decline a claim that is ${s.status}`);
    },
  });
  setHandler(
    continueWithoutGuaranteeUpdate,
    async () => {
      continueWithout = true;
      await condition(() => s.status !== 'guarantee_pending');
      return s;
    },
    {
      validator: (i) => {
        mine(i.bankId);
        if (!(s.status === 'guarantee_pending' && guaranteeDeclined)) throw reject(REJECTIONS.InvalidTransition, 'only after the guarantor declined');
      },
    },
  );
  let readyToDisburse = false;
  setHandler(
    disburseUpdate,
    async (i) => {
      const loan = await db.recordLoan({
        ...i,
        financingRequestId: input.financingRequestId,
        claimId: id,
        bankId: input.bankId,
        enterpriseId: input.enterpriseId,
        withGuarantee: s.guarantee?.status === 'approved',
        guaranteeMethod: input.guaranteeMethod,
      });
      s.loanId = loan.loanId;
      await transition('disbursed', `bank:${i.bankId}`, {
        notify: [
          {
            templateId: 'requestDisbursed',
            recipient: enterprise,
            params: { financingRequestId: input.financingRequestId, bankId: input.bankId, amountFen: i.amountFen },
          },
          { templateId: 'disbursementRecorded', recipient: bank, params: { financingRequestId: input.financingRequestId, amountFen: i.amountFen } },
        ],
      });
      return s;
    },
    {
      validator: (i) => {
        mine(i.bankId);
        if (!readyToDisburse)
          throw reject(s.status === 'disbursed' ? REJECTIONS.AlreadyAnswered : REJECTIONS.InvalidTransition, `cannot disburse a claim that is ${s.status}`);
        if (i.amountFen > (s.offer?.approvedAmountFen ?? 0)) throw reject(REJECTIONS.InvalidOffer, 'the loan exceeds the approved amount');
      },
    },
  );
  setHandler(offerDecisionSignal, ({ chosen: c }) => void (chosen = c));
  setHandler(requestClosedSignal, () => void (closedByRequest = true));

  const expire = async (step: DeadlineKind) =>
    transition('expired', 'system', {
      reason: `deadline:${step}`,
      notify: [
        { templateId: 'claimExpired', recipient: bank, params: { financingRequestId: input.financingRequestId, step }, urgent: true },
        { templateId: 'requestExpired', recipient: enterprise, params: { financingRequestId: input.financingRequestId, bankId: input.bankId, step } },
      ],
    });
  const finish = async () => {
    if (closedByRequest && !isTerminalClaim(s.status)) await transition('withdrawn', 'system');
    // Let a running update (e.g. disburse) finish recording before the claim completes.
    await condition(allHandlersFinished);
    await deliveries.drain();
    return s;
  };

  // Start: a directed offer (the bank is prompted) or a won grab (the bank holds a slot).
  const firstDeadline = deadlineFor(s.status === 'offered' ? 'acceptance' : 'decision', now(), policy);
  await transition(s.status, 'system', {
    deadlineAt: firstDeadline,
    notify: [
      {
        templateId: s.status === 'offered' ? 'newDirectedRequest' : 'grabWon',
        recipient: bank,
        params: { financingRequestId: input.financingRequestId, amountFen: input.amountFen, deadlineAt: firstDeadline.toISOString() },
      },
    ],
  });

  if (s.status === 'offered') {
    if (!(await awaitStep('acceptance', () => s.status !== 'offered'))) await expire('acceptance');
    if (isTerminalClaim(s.status) || closedByRequest) return finish();
  }
  // Accepted or grabbed: approve or decline within the decision deadline (Suzhou: 1–5 days).
  if (!(await awaitStep('decision', () => s.status === 'approved' || s.status === 'declined'))) await expire('decision');
  if (isTerminalClaim(s.status) || closedByRequest) return finish();

  // Approved: the enterprise chooses among offers (or the first approval wins).
  if (!(await awaitStep('disbursement', () => chosen !== undefined))) await expire('disbursement');
  if (isTerminalClaim(s.status) || closedByRequest) return finish();
  if (!chosen) {
    await transition('not_chosen', 'system', {
      notify: [{ templateId: 'offerNotChosen', recipient: bank, params: { financingRequestId: input.financingRequestId } }],
    });
    return finish();
  }
  const guarantorId = s.offer?.guaranteeInstitutionId;
  await transition('approved', `enterprise:${input.enterpriseId}`, {
    notify: [{ templateId: 'offerChosen', recipient: bank, params: { financingRequestId: input.financingRequestId } }],
  });

  if (guarantorId) {
    await transition('guarantee_pending', 'system');
    const g = await executeChild(guaranteeWorkflow, {
      workflowId: `guarantee-${id}`,
      args: [
        {
          financingRequestId: input.financingRequestId,
          claimId: id,
          bankId: input.bankId,
          guaranteeInstitutionId: guarantorId,
          amountFen: s.offer!.approvedAmountFen,
          policyVersion: input.policyVersion,
        },
      ],
    });
    s.guarantee = g;
    if (g.status !== 'approved') {
      // The bank decides: lend without the guarantee, or decline.
      guaranteeDeclined = true;
      await tellRequest();
      if (!(await awaitStep('decision', () => continueWithout || s.status === 'declined'))) await expire('decision');
      if (isTerminalClaim(s.status) || closedByRequest) return finish();
    }
    await transition('approved', `bank:${input.bankId}`);
  }
  readyToDisburse = true;
  if (!(await awaitStep('disbursement', () => s.status === 'disbursed'))) await expire('disbursement');
  readyToDisburse = false;
  return finish();
}
