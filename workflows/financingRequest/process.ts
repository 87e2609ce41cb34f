// The state of one financing request workflow and the moves its routing, offers and rating share:
// record a transition, start a claim, open the pool, choose an offer, grant portraits, close.
import { getExternalWorkflowHandle, ParentClosePolicy, patched, startChild, workflowInfo } from '@temporalio/workflow';
import type { TransitionRecord } from '../../activities/types';
import { PORTRAIT_SECTIONS } from '../../domain/credit/portrait';
import { deadlineFor } from '../../domain/deadlines';
import { claimWorkflowId } from '../../domain/ids';
import { lifecyclePolicy, type LifecyclePolicy } from '../../domain/policy';
import { STAGE_OF_CLAIM } from '../../domain/stages';
import { isTerminalClaim, type ClaimOrigin, type CloseReason, type Stage } from '../../domain/vocabulary';
import type { NotificationRequest } from '../../notifications/types';
import { db } from '../activityProxies';
import { claimWorkflow } from '../claim';
import { offerDecisionSignal, requestClosedSignal } from '../messages';
import { Deliveries } from '../notify';
import { LOAN_BANK_IDS, LOAN_DEADLINE, LOAN_STAGE } from '../searchAttributes';
import type { FinancingRequestInput, FinancingRequestState } from '../state';
import { setVisibility } from '../visibility';

/** How long a bank that accepted or won a request with data consent may read the enterprise's portrait. */
const PORTRAIT_GRANT_MS = 90 * 24 * 3_600_000;

export interface RecordOptions {
  /** The new public stage; absent: a labelled event on the timeline (`event`). */
  stage?: Stage;
  actor: string;
  notify?: NotificationRequest[];
  closeReason?: CloseReason;
  event?: string;
  pool?: TransitionRecord['pool'];
}

export class RequestProcess {
  readonly policy: LifecyclePolicy;
  readonly workflowId = workflowInfo().workflowId;
  readonly enterprise: { type: 'enterprise'; id: string };
  readonly state: FinancingRequestState;
  readonly deliveries = new Deliveries();
  /** Banks that may grab (known once the pool opens). */
  eligibleBankIds: string[] = [];
  /** Something changed that the main loop has not looked at yet. */
  changed = true;
  withdrawRequested: string | undefined;
  /** The opening commands ran (the request row, the first claims or the pool). */
  started: boolean;
  private seq: number;
  private readonly portraitGranted = new Set<string>();

  constructor(readonly input: FinancingRequestInput) {
    this.policy = lifecyclePolicy(input.policyVersion);
    this.enterprise = { type: 'enterprise', id: input.enterpriseId };
    this.state = input.carried ?? {
      id: input.id,
      enterpriseId: input.enterpriseId,
      requestHash: input.requestHash,
      stage: 'published',
      routing: input.routing,
      claims: [],
      rated: false,
      timeline: [{ event: 'published', actor: `enterprise:${input.enterpriseId}`, at: this.now().toISOString() }],
    };
    this.started = Boolean(input.carried);
    this.seq = this.state.timeline.length;
  }

  now(): Date {
    return new Date(Date.now());
  }
  closed(): boolean {
    return this.state.stage === 'closed';
  }
  live() {
    return this.state.claims.filter((c) => !isTerminalClaim(c.status));
  }
  claimOf(bankId: string) {
    return this.state.claims.find((c) => c.bankId === bankId);
  }
  disbursedBankId(): string | null {
    return this.state.claims.find((c) => c.status === 'disbursed')?.bankId ?? null;
  }

  /** Records a stage change, or (no stage) a labelled event on the timeline, with its notifications. */
  async record({ stage, actor, notify = [], closeReason, event, pool }: RecordOptions): Promise<void> {
    const { state, input } = this;
    this.seq += 1;
    const at = this.now().toISOString();
    if (stage) {
      state.stage = stage;
      state.timeline.push({ event: stage, actor, at });
      setVisibility([{ key: LOAN_STAGE, value: stage }]);
    }
    const r = await db.recordTransition({
      financingRequestId: input.id,
      eventKey: `${input.id}:r${this.seq}:${stage ?? event ?? 'note'}`,
      actor,
      at,
      stage,
      closeReason,
      notify,
      event,
      ...(pool ? { pool } : {}),
    });
    this.deliveries.start(r.notificationIds);
  }

  async startClaim(bankId: string, origin: ClaimOrigin): Promise<void> {
    const { input } = this;
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
          requestWorkflowId: this.workflowId,
          offerSelection: input.offerSelection,
        },
      ],
      // Claims outlive a continue-as-new of the request; the request ends them explicitly.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    setVisibility([{ key: LOAN_BANK_IDS, value: this.state.claims.map((c) => c.bankId) }]);
  }

  async listEligibleBanks(): Promise<void> {
    this.eligibleBankIds = await db.listEligibleBanks({ financingRequestId: this.input.id, excludeBankIds: this.state.claims.map((c) => c.bankId) });
  }

  async openPool(actor: string): Promise<void> {
    const { state, input } = this;
    // Open for grabs only once the eligible banks are known (a grab in between would be refused
    // NotEligible); the close time still counts from the moment the pool opened.
    const opened = this.now();
    await this.listEligibleBanks();
    state.routing = 'pool';
    state.poolClosesAt = deadlineFor('pool', opened, this.policy).toISOString();
    setVisibility([{ key: LOAN_DEADLINE, value: new Date(state.poolClosesAt) }]);
    await this.record({
      actor,
      notify: this.eligibleBankIds.map((id) => ({
        templateId: 'poolRequestMatchesProducts',
        recipient: { type: 'bank' as const, id },
        params: { financingRequestId: input.id, amountFen: input.amountFen },
      })),
      event: 'pool:opened',
      pool: { closesAt: state.poolClosesAt, eligibleBankIds: this.eligibleBankIds },
    });
  }

  async close(reason: CloseReason, actor = 'system'): Promise<void> {
    const { state, input } = this;
    for (const c of this.live())
      await getExternalWorkflowHandle(claimWorkflowId(input.id, c.bankId)).signal(requestClosedSignal, {
        reason: reason === 'withdrawn' ? 'withdrawn' : 'closed',
      });
    state.closeReason = reason;
    const unmet = reason === 'expired' || reason === 'unmatched' || reason === 'all_declined';
    await this.record({
      stage: 'closed',
      actor,
      notify: unmet ? [{ templateId: 'requestExpired', recipient: this.enterprise, params: { financingRequestId: input.id, reason } }] : [],
      closeReason: reason,
    });
  }

  async choose(bankId: string, actor: string): Promise<void> {
    this.state.chosenBankId = bankId;
    for (const c of this.state.claims) {
      if (c.status === 'approved')
        await getExternalWorkflowHandle(claimWorkflowId(this.input.id, c.bankId)).signal(offerDecisionSignal, { chosen: c.bankId === bankId });
    }
    await this.record({ actor, event: `offer:chosen:${bankId}` });
  }

  /**
   * Data consent: every bank whose claim is accepted (directed accept or won grab) may read the
   * portrait. Granted once per bank per run (the activity is idempotent, so a continue-as-new that
   * grants again changes nothing).
   */
  async grantPortraits(): Promise<void> {
    const { state, input } = this;
    const due = input.dataConsent ? state.claims.filter((c) => STAGE_OF_CLAIM[c.status] && !this.portraitGranted.has(c.bankId)) : [];
    if (due.length === 0 || !patched('portrait-grants')) return;
    for (const c of due) {
      this.portraitGranted.add(c.bankId);
      await db.grantPortraitAccess({
        financingRequestId: input.id,
        enterpriseId: input.enterpriseId,
        bankId: c.bankId,
        sections: [...PORTRAIT_SECTIONS],
        expiresAt: new Date(this.now().getTime() + PORTRAIT_GRANT_MS).toISOString(),
      });
    }
  }
}
