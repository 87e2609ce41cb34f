// Supervisors' updates on a claim (督办): nudge the bank, extend the current step's deadline once,
// release the claim. Every action is on the timeline with the supervisor as actor, and the bank is told.
import { condition, setHandler } from '@temporalio/workflow';
import { extendedDeadline, SUPERVISION_CONFIG } from '../../domain/supervision';
import { isTerminalClaim } from '../../domain/vocabulary';
import { extendDeadlineUpdate, nudgeUpdate, REJECTIONS, releaseClaimUpdate, type SupervisorActionInput } from '../messages';
import { reject } from '../rejections';
import { needReason } from './guards';
import type { ClaimProcess, Step } from './process';

const EXTENSION = SUPERVISION_CONFIG.extension;

export function registerSupervisorActions(p: ClaimProcess): void {
  const s = p.state;
  const { financingRequestId } = p.input;
  const supervisor = (i: SupervisorActionInput) => `supervisor:${i.supervisorId}`;
  const live = (i: SupervisorActionInput) => {
    if (!i.supervisorId) throw reject(REJECTIONS.InvalidTransition, 'the acting supervisor is required');
    if (isTerminalClaim(s.status)) throw reject(REJECTIONS.ClaimClosed, `the claim is ${s.status}`);
  };
  const deciding = () => s.status === 'guarantee_pending' && !p.guaranteeDeclined;

  /**
   * The step an extension or release applies to. Between steps (a transition being recorded) the
   * action waits for the next step to begin, so the main flow sees it at once; a guarantee
   * institution's review in between, or the claim ending, refuses it.
   */
  async function stepToAct(): Promise<Step> {
    await condition(() => p.step !== undefined || isTerminalClaim(s.status) || p.closedByRequest || deciding());
    if (isTerminalClaim(s.status) || p.closedByRequest) throw reject(REJECTIONS.ClaimClosed, `the claim is ${s.status}`);
    if (!p.step) throw reject(REJECTIONS.InvalidTransition, 'the guarantee institution is deciding; act after its answer');
    return p.step;
  }

  setHandler(
    nudgeUpdate,
    async (i) => {
      await p.note('supervision:nudged', supervisor(i), {
        detail: { reason: i.reason ?? null, status: s.status },
        notify: [{ templateId: 'supervisorNudge', recipient: p.bank, params: { financingRequestId, note: i.reason ?? '' } }],
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
      const businessDays = i.businessDays ?? EXTENSION.defaultBusinessDays;
      cur.deadline = extendedDeadline(previous, p.now(), businessDays, p.policy.calendar);
      cur.extended = true;
      cur.version += 1;
      s.deadlineAt = cur.deadline.toISOString();
      p.showDeadline(s.deadlineAt);
      await p.note('supervision:deadline-extended', supervisor(i), {
        deadlineAt: s.deadlineAt,
        detail: { step: cur.kind, reason: i.reason, from: previous.toISOString(), to: s.deadlineAt, businessDays },
        notify: [
          {
            templateId: 'deadlineExtended',
            recipient: p.bank,
            params: { financingRequestId, deadlineAt: s.deadlineAt, reason: i.reason ?? '', step: cur.kind },
          },
        ],
      });
      await p.tellRequest();
      return s;
    },
    {
      validator: (i) => {
        live(i);
        needReason(i.reason);
        if (deciding()) throw reject(REJECTIONS.InvalidTransition, 'the guarantee institution is deciding');
        if (p.step?.extended) throw reject(REJECTIONS.AlreadyExtended, `the ${p.step.kind} deadline was already extended once`);
        const days = i.businessDays ?? EXTENSION.defaultBusinessDays;
        if (!Number.isInteger(days) || days < 1 || days > EXTENSION.maxBusinessDays)
          throw reject(REJECTIONS.InvalidTransition, `an extension is 1–${EXTENSION.maxBusinessDays} business days`);
      },
    },
  );
  setHandler(
    releaseClaimUpdate,
    async (i) => {
      await stepToAct();
      p.released = true;
      await p.transition('released', supervisor(i), {
        reason: i.reason,
        notify: [{ templateId: 'claimReleased', recipient: p.bank, params: { financingRequestId, reason: i.reason ?? '' } }],
      });
      return s;
    },
    {
      validator: (i) => {
        live(i);
        needReason(i.reason);
        // An unanswered offer expires by itself at its acceptance deadline (and may then fall back to
        // the pool); a claim inside the guarantee institution's review waits for that child workflow.
        const holding = ['accepted', 'under_review', 'approved'].includes(s.status) || (s.status === 'guarantee_pending' && p.guaranteeDeclined);
        if (!holding || p.released) throw reject(REJECTIONS.InvalidTransition, `a claim that is ${s.status} cannot be released now`);
      },
    },
  );
}
