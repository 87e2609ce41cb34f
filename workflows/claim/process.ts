// The state of one claim workflow and the moves every step shares: record a transition, write a
// note, tell the request, expire, finish. The handlers (bankActions.ts, supervisorActions.ts) and
// the step sequence (index.ts) act through it.
import { allHandlersFinished, condition, getExternalWorkflowHandle } from '@temporalio/workflow';
import type { DeadlineKind } from '../../domain/deadlines';
import { claimId as makeClaimId } from '../../domain/ids';
import { lifecyclePolicy, type LifecyclePolicy } from '../../domain/policy';
import { isTerminalClaim, type ClaimStatus } from '../../domain/vocabulary';
import type { NotificationRequest } from '../../notifications/types';
import { db } from '../activityProxies';
import { claimChangedSignal } from '../messages';
import { Deliveries } from '../notify';
import { LOAN_DEADLINE } from '../searchAttributes';
import type { ClaimInput, ClaimState } from '../state';
import { setVisibility } from '../visibility';

/** The step the claim is waiting on: its deadline may move (a supervisor's extension, once per step). */
export interface Step {
  kind: DeadlineKind;
  start: Date;
  deadline: Date;
  /** Bumped by each extension, to wake the wait and re-plan its reminders. */
  version: number;
  extended: boolean;
}

export interface Patches {
  /** Claims started before supervision: no step deadlines on the row, no LoanDeadline, the original wait. */
  supervised: boolean;
  /** A bank's answer that arrives before the opening transition is recorded waits for it. */
  ordered: boolean;
}

export class ClaimProcess {
  readonly policy: LifecyclePolicy;
  readonly id: string;
  readonly bank: { type: 'bank'; id: string };
  readonly enterprise: { type: 'enterprise'; id: string };
  readonly state: ClaimState;
  readonly deliveries = new Deliveries();
  private readonly parent;

  /** The opening transition is recorded. */
  started = false;
  /** The enterprise's choice among offers (undefined: not decided yet). */
  chosen: boolean | undefined;
  closedByRequest = false;
  guaranteeDeclined = false;
  continueWithout = false;
  released = false;
  readyToDisburse = false;
  step: Step | undefined;
  /** Transition number: part of every event key. */
  seq = 0;
  private noteNo = 0;
  /** Transitions whose record is in flight: a deadline written after them must not be overwritten by them. */
  private recording = 0;
  /** The deadline the claim row holds, and the one the LoanDeadline search attribute shows (supervised runs). */
  recordedDeadline: string | null = null;
  private shownDeadline: string | null = null;

  constructor(
    readonly input: ClaimInput,
    readonly patches: Patches,
  ) {
    this.policy = lifecyclePolicy(input.policyVersion);
    this.id = makeClaimId(input.financingRequestId, input.bankId);
    this.bank = { type: 'bank', id: input.bankId };
    this.enterprise = { type: 'enterprise', id: input.enterpriseId };
    this.state = { bankId: input.bankId, origin: input.origin, status: input.origin === 'grab' ? 'accepted' : 'offered' };
    this.parent = getExternalWorkflowHandle(input.requestWorkflowId);
  }

  now(): Date {
    return new Date(Date.now());
  }

  get ended(): boolean {
    return isTerminalClaim(this.state.status) || this.closedByRequest;
  }

  async afterStart(): Promise<void> {
    if (this.patches.ordered && !this.started) await condition(() => this.started);
  }

  /** Mirrors the claim row's deadline in the LoanDeadline search attribute, for the supervisors' visibility crosscheck. */
  showDeadline(iso: string | null): void {
    if (!this.patches.supervised || this.shownDeadline === iso) return;
    this.shownDeadline = iso;
    setVisibility([{ key: LOAN_DEADLINE, value: iso ? new Date(iso) : null }]);
  }

  /** Records the claim's new status (timeline, claim row, outbox) and tells the request. */
  async transition(status: ClaimStatus, actor: string, opts: { deadlineAt?: Date; reason?: string; notify?: NotificationRequest[] } = {}): Promise<void> {
    const s = this.state;
    s.status = status;
    s.deadlineAt = opts.deadlineAt?.toISOString();
    if (opts.reason !== undefined) s.reason = opts.reason;
    this.seq += 1;
    const deadlineAt = s.deadlineAt ?? null;
    this.showDeadline(deadlineAt);
    this.recording += 1;
    const r = await db.recordTransition({
      financingRequestId: this.input.financingRequestId,
      eventKey: `${this.id}:${this.seq}:${status}`,
      actor,
      at: this.now().toISOString(),
      claim: { bankId: this.input.bankId, origin: this.input.origin, status, deadlineAt, reason: opts.reason, offer: s.offer },
      notify: opts.notify,
    });
    this.recording -= 1;
    this.recordedDeadline = deadlineAt;
    this.deliveries.start(r.notificationIds);
    await this.tellRequest();
  }

  /**
   * A timeline entry on this claim that is not a status change (a supervisor's nudge or extension),
   * optionally with a new deadline for the claim row, and its notifications. Written after any
   * transition in flight, so the deadline it writes is the last one.
   */
  async note(event: string | undefined, actor: string, o: { deadlineAt?: string; detail?: Record<string, unknown>; notify?: NotificationRequest[] }) {
    this.noteNo += 1;
    if (o.deadlineAt !== undefined) await condition(() => this.recording === 0);
    const r = await db.recordClaimNote({
      financingRequestId: this.input.financingRequestId,
      bankId: this.input.bankId,
      eventKey: `${this.id}:${this.seq}:note:${this.noteNo}`,
      event,
      actor,
      at: this.now().toISOString(),
      deadlineAt: o.deadlineAt,
      detail: o.detail,
      notify: o.notify,
    });
    if (o.deadlineAt !== undefined) this.recordedDeadline = o.deadlineAt;
    this.deliveries.start(r.notificationIds);
  }

  /** Reports the claim's state to the request; a request that already closed needs no report. */
  async tellRequest(): Promise<void> {
    try {
      await this.parent.signal(claimChangedSignal, { ...this.state });
    } catch {
      // ExternalWorkflowExecutionNotFound: the request completed (withdrawn, closed).
    }
  }

  async expire(kind: DeadlineKind): Promise<void> {
    // Released in the same instant the deadline passed: the supervisor's release stands.
    if (this.released) return;
    const financingRequestId = this.input.financingRequestId;
    await this.transition('expired', 'system', {
      reason: `deadline:${kind}`,
      notify: [
        { templateId: 'claimExpired', recipient: this.bank, params: { financingRequestId, step: kind }, urgent: true },
        { templateId: 'requestExpired', recipient: this.enterprise, params: { financingRequestId, bankId: this.input.bankId, step: kind } },
      ],
    });
  }

  async finish(): Promise<ClaimState> {
    if (this.closedByRequest && !isTerminalClaim(this.state.status)) await this.transition('withdrawn', 'system');
    // Let a running update (e.g. disburse) finish recording before the claim completes.
    await condition(allHandlersFinished);
    this.showDeadline(null);
    await this.deliveries.drain();
    return this.state;
  }
}
