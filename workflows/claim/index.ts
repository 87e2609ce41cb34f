// One bank's claim on a financing request: offered (directed) → accepted → under review →
// approved or declined → chosen or not → guarantee when needed → disbursed. Every step has a
// business-day deadline with reminders; on expiry the claim is cancelled automatically.
// Supervisors may nudge the bank, extend the current step's deadline once, or release the claim.
// State and shared moves: process.ts; waiting: steps.ts; updates: bankActions.ts, supervisorActions.ts.
import { executeChild, patched, setHandler } from '@temporalio/workflow';
import { deadlineFor } from '../../domain/deadlines';
import { guaranteeWorkflowId } from '../../domain/ids';
import { guaranteeWorkflow } from '../guarantee';
import { getClaimQuery, offerDecisionSignal, requestClosedSignal } from '../messages';
import type { ClaimInput, ClaimState } from '../state';
import { registerBankActions } from './bankActions';
import { ClaimProcess } from './process';
import { awaitStep } from './steps';
import { registerSupervisorActions } from './supervisorActions';

export async function claimWorkflow(input: ClaimInput): Promise<ClaimState> {
  // Decided once per run, in this order (each is a marker in the history).
  const supervised = patched('supervisor-actions');
  const ordered = patched('claim-handlers-after-start');
  const p = new ClaimProcess(input, { supervised, ordered });
  const s = p.state;
  const { financingRequestId } = input;
  setHandler(getClaimQuery, () => s);
  registerBankActions(p);
  registerSupervisorActions(p);
  setHandler(offerDecisionSignal, ({ chosen }) => void (p.chosen = chosen));
  setHandler(requestClosedSignal, () => void (p.closedByRequest = true));

  // Start: a directed offer (the bank is prompted) or a won grab (the bank holds a slot).
  const firstDeadline = deadlineFor(s.status === 'offered' ? 'acceptance' : 'decision', p.now(), p.policy);
  await p.transition(s.status, 'system', {
    deadlineAt: firstDeadline,
    notify: [
      {
        templateId: s.status === 'offered' ? 'newDirectedRequest' : 'grabWon',
        recipient: p.bank,
        params: { financingRequestId, amountFen: input.amountFen, deadlineAt: firstDeadline.toISOString() },
      },
    ],
  });
  p.started = true;

  if (s.status === 'offered') {
    if (!(await awaitStep(p, 'acceptance', () => s.status !== 'offered', firstDeadline))) await p.expire('acceptance');
    if (p.ended) return p.finish();
  }
  // Accepted or grabbed: approve or decline within the decision deadline.
  const grabbed = input.origin === 'grab' ? firstDeadline : undefined;
  if (!(await awaitStep(p, 'decision', () => s.status === 'approved' || s.status === 'declined', grabbed))) await p.expire('decision');
  if (p.ended) return p.finish();

  // Approved: the enterprise chooses among offers (or the first approval wins).
  if (!(await awaitStep(p, 'disbursement', () => p.chosen !== undefined))) await p.expire('disbursement');
  if (p.ended) return p.finish();
  if (!p.chosen) {
    await p.transition('not_chosen', 'system', { notify: [{ templateId: 'offerNotChosen', recipient: p.bank, params: { financingRequestId } }] });
    return p.finish();
  }
  const guarantorId = s.offer?.guaranteeInstitutionId;
  await p.transition('approved', `enterprise:${input.enterpriseId}`, {
    notify: [{ templateId: 'offerChosen', recipient: p.bank, params: { financingRequestId } }],
  });

  if (guarantorId) {
    await p.transition('guarantee_pending', 'system');
    const g = await executeChild(guaranteeWorkflow, {
      workflowId: guaranteeWorkflowId(p.id),
      args: [
        {
          financingRequestId,
          claimId: p.id,
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
      p.guaranteeDeclined = true;
      await p.tellRequest();
      if (!(await awaitStep(p, 'decision', () => p.continueWithout || s.status === 'declined'))) await p.expire('decision');
      if (p.ended) return p.finish();
    }
    await p.transition('approved', `bank:${input.bankId}`);
  }
  p.readyToDisburse = true;
  if (!(await awaitStep(p, 'disbursement', () => s.status === 'disbursed'))) await p.expire('disbursement');
  p.readyToDisburse = false;
  return p.finish();
}
