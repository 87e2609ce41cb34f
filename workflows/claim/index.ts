// One bank's claim on a financing request: offered (directed) → accepted → under review →
// approved or declined → chosen or not → guarantee when needed → disbursed. Every step has a
// business-day deadline with reminders; on expiry the claim is cancelled automatically.
// Supervisors may nudge the bank, extend the current step's deadline once, or release the claim.
import { allHandlersFinished, ApplicationFailure, condition, executeChild, getExternalWorkflowHandle, patched, setHandler } from '@temporalio/workflow';
import { deadlineFor, remindersFor, type DeadlineKind, type Reminder } from '../../domain/deadlines';
import { claimId as makeClaimId } from '../../domain/ids';
import { lifecyclePolicy } from '../../domain/policy';
import { extendedDeadline, SUPERVISION_CONFIG } from '../../domain/supervision';
import { isTerminalClaim, type ClaimStatus } from '../../domain/vocabulary';
import type { NotificationRequest } from '../../notifications/types';
import { db } from '../activityProxies';
import { guaranteeWorkflow } from '../guarantee';
import {
  acceptUpdate,
  approveUpdate,
  claimChangedSignal,
  continueWithoutGuaranteeUpdate,
  declineUpdate,
  disburseUpdate,
  extendDeadlineUpdate,
  getClaimQuery,
  nudgeUpdate,
  offerDecisionSignal,
  rejectUpdate,
  REJECTIONS,
  releaseClaimUpdate,
  requestClosedSignal,
  startReviewUpdate,
  type SupervisorActionInput,
} from '../messages';
import { Deliveries } from '../notify';
import { LOAN_DEADLINE } from '../searchAttributes';
import type { ClaimInput, ClaimState } from '../state';
import { setVisibility } from '../visibility';
import { waitWithReminders } from '../waiting';

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message });

/** The step the claim is waiting on: its deadline may move (a supervisor's extension, once per step). */
interface Step {
  kind: DeadlineKind;
  start: Date;
  deadline: Date;
  /** Bumped by each extension, to wake the wait and re-plan its reminders. */
  version: number;
  extended: boolean;
}

export async function claimWorkflow(input: ClaimInput): Promise<ClaimState> {
  // Claims started before supervision keep their recorded commands: no step deadlines written to
  // the claim row, no LoanDeadline search attribute, the original wait. Decided once per run.
  const supervised = patched('supervisor-actions');
  // A bank's answer that reaches the claim before its first task (no worker was polling) waits until
  // the opening 'offered'/'grabbed' transition is recorded, so the timeline keeps its order.
  const ordered = patched('claim-handlers-after-start');
  let started = false;
  const afterStart = async () => {
    if (!started) await condition(() => started);
  };
  const policy = lifecyclePolicy(input.policyVersion);
  const id = makeClaimId(input.financingRequestId, input.bankId);
  const bank = { type: 'bank' as const, id: input.bankId };
  const enterprise = { type: 'enterprise' as const, id: input.enterpriseId };
  const s: ClaimState = { bankId: input.bankId, origin: input.origin, status: input.origin === 'grab' ? 'accepted' : 'offered' };
  const parent = getExternalWorkflowHandle(input.requestWorkflowId);
  const deliveries = new Deliveries();
  const now = () => new Date(Date.now());
  let seq = 0;
  let chosen: boolean | undefined;
  let closedByRequest = false;
  let guaranteeDeclined = false;
  let continueWithout = false;
  let released = false;
  let step: Step | undefined;
  let noteNo = 0;
  /** Transitions whose record is in flight: a deadline written after them must not be overwritten by them. */
  let recording = 0;
  /** The deadline the claim row holds, and the one the LoanDeadline search attribute shows (supervised runs). */
  let recordedDeadline: string | null = null;
  let shownDeadline: string | null = null;
  setHandler(getClaimQuery, () => s);

  /** Mirrors the claim row's deadline in the LoanDeadline search attribute, for the supervisors' visibility crosscheck. */
  function showDeadline(iso: string | null) {
    if (!supervised || shownDeadline === iso) return;
    shownDeadline = iso;
    setVisibility([{ key: LOAN_DEADLINE, value: iso ? new Date(iso) : null }]);
  }

  /** Records the claim's new status (timeline, claim row, outbox) and tells the request. */
  async function transition(status: ClaimStatus, actor: string, opts: { deadlineAt?: Date; reason?: string; notify?: NotificationRequest[] } = {}) {
    s.status = status;
    s.deadlineAt = opts.deadlineAt?.toISOString();
    if (opts.reason !== undefined) s.reason = opts.reason;
    seq += 1;
    const deadlineAt = s.deadlineAt ?? null;
    showDeadline(deadlineAt);
    recording += 1;
    const r = await db.recordTransition({
      financingRequestId: input.financingRequestId,
      eventKey: `${id}:${seq}:${status}`,
      actor,
      at: now().toISOString(),
      claim: { bankId: input.bankId, origin: input.origin, status, deadlineAt, reason: opts.reason, offer: s.offer },
      notify: opts.notify,
    });
    recording -= 1;
    recordedDeadline = deadlineAt;
    deliveries.start(r.notificationIds);
    await tellRequest();
  }

  /**
   * A timeline entry on this claim that is not a status change (a supervisor's nudge or extension),
   * optionally with a new deadline for the claim row, and its notifications. Written after any
   * transition in flight, so the deadline it writes is the last one.
   */
  async function note(event: string | undefined, actor: string, o: { deadlineAt?: string; detail?: Record<string, unknown>; notify?: NotificationRequest[] }) {
    noteNo += 1;
    if (o.deadlineAt !== undefined) await condition(() => recording === 0);
    const r = await db.recordClaimNote({
      financingRequestId: input.financingRequestId,
      bankId: input.bankId,
      eventKey: `${id}:${seq}:note:${noteNo}`,
      event,
      actor,
      at: now().toISOString(),
      deadlineAt: o.deadlineAt,
      detail: o.detail,
      notify: o.notify,
    });
    if (o.deadlineAt !== undefined) recordedDeadline = o.deadlineAt;
    deliveries.start(r.notificationIds);
  }

  /** Reports the claim's state to the request; a request that already closed needs no report. */
  async function tellRequest() {
    try {
      await parent.signal(claimChangedSignal, { ...s });
    } catch {
      // ExternalWorkflowExecutionNotFound: the request completed (withdrawn, closed).
    }
  }

  /**
   * Waits for the bank to leave `status`, with reminders; false when the deadline passed first.
   * `initial`: the deadline the transition that started the step already recorded (supervised runs reuse it).
   */
  async function awaitStep(kind: DeadlineKind, waitingFor: () => boolean, initial?: Date) {
    const start = now();
    const cur: Step = { kind, start, deadline: supervised && initial ? initial : deadlineFor(kind, start, policy), version: 0, extended: false };
    step = cur;
    s.deadlineAt = cur.deadline.toISOString();
    let reminderNo = 0;
    const done = () => waitingFor() || closedByRequest || released;
    const remind = async (rem: Reminder) => {
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
            params: { financingRequestId: input.financingRequestId, step: kind, deadlineAt: cur.deadline.toISOString() },
            urgent: rem.kind === 'final',
          },
        ],
      });
      deliveries.start(r.notificationIds);
    };
    try {
      if (!supervised) return await waitWithReminders(done, () => cur.deadline, remindersFor(kind, start, cur.deadline, policy), remind);
      // The claim row and the search attribute show the step's deadline (supervisors' stuck list).
      showDeadline(s.deadlineAt);
      if (recordedDeadline !== s.deadlineAt) await note(undefined, 'system', { deadlineAt: s.deadlineAt });
      return await waitExtensible(done, cur, remind);
    } finally {
      step = undefined;
    }
  }

  /**
   * waitWithReminders for supervised runs: the same timers while nobody extends the deadline; an
   * extension wakes the wait, and the reminders still to come are planned afresh for the new deadline.
   */
  async function waitExtensible(done: () => boolean, cur: Step, remind: (r: Reminder) => Promise<void>): Promise<boolean> {
    let version = cur.version;
    let plan = remindersFor(cur.kind, cur.start, cur.deadline, policy);
    let next = 0;
    const woken = () => done() || cur.version !== version;
    for (;;) {
      if (cur.version !== version) {
        version = cur.version;
        plan = remindersFor(cur.kind, now(), cur.deadline, policy);
        next = 0;
      }
      const rem = plan[next];
      const wait = (rem ? rem.at : cur.deadline).getTime() - Date.now();
      if (wait <= 0) {
        if (!rem) return done();
        next += 1;
        continue;
      }
      if (await condition(woken, wait)) {
        if (done()) return true;
        continue;
      }
      if (rem) {
        next += 1;
        await remind(rem);
      }
    }
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

  setHandler(
    acceptUpdate,
    async (i) => {
      if (ordered) await afterStart();
      await transition('accepted', `bank:${i.bankId}`);
      return s;
    },
    { validator: (i) => (mine(i.bankId), inStatus(['offered'], 'accept')) },
  );
  setHandler(
    rejectUpdate,
    async (i) => {
      if (ordered) await afterStart();
      await transition('rejected', `bank:${i.bankId}`, { reason: i.reason });
      return s;
    },
    { validator: (i) => (mine(i.bankId), inStatus(['offered'], 'reject'), needReason(i.reason)) },
  );
  setHandler(
    startReviewUpdate,
    async (i) => {
      if (ordered) await afterStart();
      await transition('under_review', `bank:${i.bankId}`, { deadlineAt: s.deadlineAt ? new Date(s.deadlineAt) : undefined });
      return s;
    },
    {
      validator: (i) => (mine(i.bankId), inStatus(['accepted'], 'review')),
    },
  );
  setHandler(
    approveUpdate,
    async (i) => {
      if (ordered) await afterStart();
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
  setHandler(
    declineUpdate,
    async (i) => {
      if (ordered) await afterStart();
      await transition('declined', `bank:${i.bankId}`, { reason: i.reason });
      return s;
    },
    {
      validator: (i) => {
        mine(i.bankId);
        needReason(i.reason);
        if (!(['accepted', 'under_review'].includes(s.status) || (s.status === 'guarantee_pending' && guaranteeDeclined)))
          throw reject(REJECTIONS.AlreadyAnswered, `cannot decline a claim that is ${s.status}`);
      },
    },
  );
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
  // ---- supervisors (督办): every action is on the timeline with the supervisor as actor, and the bank is told ----
  const supervisor = (i: SupervisorActionInput) => `supervisor:${i.supervisorId}`;
  const live = (i: SupervisorActionInput) => {
    if (!i.supervisorId) throw reject(REJECTIONS.InvalidTransition, 'the acting supervisor is required');
    if (isTerminalClaim(s.status)) throw reject(REJECTIONS.ClaimClosed, `the claim is ${s.status}`);
  };
  /**
   * The step a supervisor's extension or release applies to. Between steps (a transition being
   * recorded) the action waits for the next step to begin, so the main flow sees it at once; a
   * guarantee institution's review in between, or the claim ending, refuses it.
   */
  async function stepToAct(): Promise<Step> {
    await condition(() => step !== undefined || isTerminalClaim(s.status) || closedByRequest || (s.status === 'guarantee_pending' && !guaranteeDeclined));
    if (isTerminalClaim(s.status) || closedByRequest) throw reject(REJECTIONS.ClaimClosed, `the claim is ${s.status}`);
    if (!step) throw reject(REJECTIONS.InvalidTransition, 'the guarantee institution is deciding; act after its answer');
    return step;
  }
  setHandler(
    nudgeUpdate,
    async (i) => {
      await note('supervision:nudged', supervisor(i), {
        detail: { reason: i.reason ?? null, status: s.status },
        notify: [{ templateId: 'supervisorNudge', recipient: bank, params: { financingRequestId: input.financingRequestId, note: i.reason ?? '' } }],
      });
      return s;
    },
    { validator: live },
  );
  setHandler(
    extendDeadlineUpdate,
    async (i) => {
      const seen = s.status;
      const cur = await stepToAct();
      if (s.status !== seen) throw reject(REJECTIONS.InvalidTransition, `the claim moved on from ${seen} to ${s.status}; look at its new deadline first`);
      if (cur.extended) throw reject(REJECTIONS.AlreadyExtended, `the ${cur.kind} deadline was already extended once`);
      const previous = cur.deadline;
      cur.deadline = extendedDeadline(previous, now(), i.businessDays ?? SUPERVISION_CONFIG.extension.defaultBusinessDays, policy.calendar);
      cur.extended = true;
      cur.version += 1;
      s.deadlineAt = cur.deadline.toISOString();
      showDeadline(s.deadlineAt);
      await note('supervision:deadline-extended', supervisor(i), {
        deadlineAt: s.deadlineAt,
        detail: {
          step: cur.kind,
          reason: i.reason,
          from: previous.toISOString(),
          to: s.deadlineAt,
          businessDays: i.businessDays ?? SUPERVISION_CONFIG.extension.defaultBusinessDays,
        },
        notify: [
          {
            templateId: 'deadlineExtended',
            recipient: bank,
            params: { financingRequestId: input.financingRequestId, deadlineAt: s.deadlineAt, reason: i.reason ?? '', step: cur.kind },
          },
        ],
      });
      await tellRequest();
      return s;
    },
    {
      validator: (i) => {
        live(i);
        needReason(i.reason);
        if (s.status === 'guarantee_pending' && !guaranteeDeclined) throw reject(REJECTIONS.InvalidTransition, 'the guarantee institution is deciding');
        if (step?.extended) throw reject(REJECTIONS.AlreadyExtended, `the ${step.kind} deadline was already extended once`);
        const days = i.businessDays ?? SUPERVISION_CONFIG.extension.defaultBusinessDays;
        if (!Number.isInteger(days) || days < 1 || days > SUPERVISION_CONFIG.extension.maxBusinessDays)
          throw reject(REJECTIONS.InvalidTransition, `an extension is 1–${SUPERVISION_CONFIG.extension.maxBusinessDays} business days`);
      },
    },
  );
  setHandler(
    releaseClaimUpdate,
    async (i) => {
      await stepToAct();
      released = true;
      await transition('released', supervisor(i), {
        reason: i.reason,
        notify: [{ templateId: 'claimReleased', recipient: bank, params: { financingRequestId: input.financingRequestId, reason: i.reason ?? '' } }],
      });
      return s;
    },
    {
      validator: (i) => {
        live(i);
        needReason(i.reason);
        // An unanswered offer expires by itself at its acceptance deadline (and may then fall back to
        // the pool); a claim inside the guarantee institution's review waits for that child workflow.
        const holding = ['accepted', 'under_review', 'approved'].includes(s.status) || (s.status === 'guarantee_pending' && guaranteeDeclined);
        if (!holding || released) throw reject(REJECTIONS.InvalidTransition, `a claim that is ${s.status} cannot be released now`);
      },
    },
  );

  setHandler(offerDecisionSignal, ({ chosen: c }) => void (chosen = c));
  setHandler(requestClosedSignal, () => void (closedByRequest = true));

  const expire = async (kind: DeadlineKind) => {
    // Released in the same instant the deadline passed: the supervisor's release stands.
    if (released) return;
    await transition('expired', 'system', {
      reason: `deadline:${kind}`,
      notify: [
        { templateId: 'claimExpired', recipient: bank, params: { financingRequestId: input.financingRequestId, step: kind }, urgent: true },
        { templateId: 'requestExpired', recipient: enterprise, params: { financingRequestId: input.financingRequestId, bankId: input.bankId, step: kind } },
      ],
    });
  };
  const finish = async () => {
    if (closedByRequest && !isTerminalClaim(s.status)) await transition('withdrawn', 'system');
    // Let a running update (e.g. disburse) finish recording before the claim completes.
    await condition(allHandlersFinished);
    showDeadline(null);
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
  started = true;

  if (s.status === 'offered') {
    if (!(await awaitStep('acceptance', () => s.status !== 'offered', firstDeadline))) await expire('acceptance');
    if (isTerminalClaim(s.status) || closedByRequest) return finish();
  }
  // Accepted or grabbed: approve or decline within the decision deadline (Suzhou: 1–5 days).
  const grabbed = input.origin === 'grab' ? firstDeadline : undefined;
  if (!(await awaitStep('decision', () => s.status === 'approved' || s.status === 'declined', grabbed))) await expire('decision');
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
