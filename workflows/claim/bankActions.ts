// The bank's updates on its claim: accept or reject an offer, review, approve or decline, go on
// without a declined guarantee, disburse. Validators refuse what the claim's status does not allow.
import { condition, setHandler } from '@temporalio/workflow';
import { db } from '../activityProxies';
import {
  acceptUpdate,
  approveUpdate,
  continueWithoutGuaranteeUpdate,
  declineUpdate,
  disburseUpdate,
  rejectUpdate,
  REJECTIONS,
  startReviewUpdate,
} from '../messages';
import { reject } from '../rejections';
import { inStatus, mine, needReason } from './guards';
import type { ClaimProcess } from './process';

export function registerBankActions(p: ClaimProcess): void {
  const s = p.state;
  const { financingRequestId } = p.input;
  setHandler(
    acceptUpdate,
    async (i) => {
      await p.afterStart();
      await p.transition('accepted', `bank:${i.bankId}`);
      return s;
    },
    { validator: (i) => (mine(p, i.bankId), inStatus(p, ['offered'], 'accept')) },
  );
  setHandler(
    rejectUpdate,
    async (i) => {
      await p.afterStart();
      await p.transition('rejected', `bank:${i.bankId}`, { reason: i.reason });
      return s;
    },
    { validator: (i) => (mine(p, i.bankId), inStatus(p, ['offered'], 'reject'), needReason(i.reason)) },
  );
  setHandler(
    startReviewUpdate,
    async (i) => {
      await p.afterStart();
      await p.transition('under_review', `bank:${i.bankId}`, { deadlineAt: s.deadlineAt ? new Date(s.deadlineAt) : undefined });
      return s;
    },
    { validator: (i) => (mine(p, i.bankId), inStatus(p, ['accepted'], 'review')) },
  );
  setHandler(
    approveUpdate,
    async (i) => {
      await p.afterStart();
      const { approvedAmountFen, annualRateBp, termMonths, repaymentMethod, guaranteeInstitutionId } = i;
      s.offer = { approvedAmountFen, annualRateBp, termMonths, repaymentMethod, guaranteeInstitutionId };
      await p.transition('approved', `bank:${i.bankId}`, {
        notify: [
          {
            templateId: 'requestApproved',
            recipient: p.enterprise,
            params: { financingRequestId, bankId: p.input.bankId, amountFen: approvedAmountFen, annualRateBp },
          },
        ],
      });
      return s;
    },
    {
      validator: (i) => {
        mine(p, i.bankId);
        inStatus(p, ['accepted', 'under_review'], 'approve');
        if (i.approvedAmountFen > p.input.amountFen) throw reject(REJECTIONS.InvalidOffer, 'the approved amount exceeds the amount requested');
      },
    },
  );
  setHandler(
    declineUpdate,
    async (i) => {
      await p.afterStart();
      await p.transition('declined', `bank:${i.bankId}`, { reason: i.reason });
      return s;
    },
    {
      validator: (i) => {
        mine(p, i.bankId);
        needReason(i.reason);
        if (!(['accepted', 'under_review'].includes(s.status) || (s.status === 'guarantee_pending' && p.guaranteeDeclined)))
          throw reject(REJECTIONS.AlreadyAnswered, `cannot decline a claim that is ${s.status}`);
      },
    },
  );
  setHandler(
    continueWithoutGuaranteeUpdate,
    async () => {
      p.continueWithout = true;
      await condition(() => s.status !== 'guarantee_pending');
      return s;
    },
    {
      validator: (i) => {
        mine(p, i.bankId);
        if (!(s.status === 'guarantee_pending' && p.guaranteeDeclined)) throw reject(REJECTIONS.InvalidTransition, 'only after the guarantor declined');
      },
    },
  );
  setHandler(
    disburseUpdate,
    async (i) => {
      const loan = await db.recordLoan({
        ...i,
        financingRequestId,
        claimId: p.id,
        bankId: p.input.bankId,
        enterpriseId: p.input.enterpriseId,
        withGuarantee: s.guarantee?.status === 'approved',
        guaranteeMethod: p.input.guaranteeMethod,
      });
      s.loanId = loan.loanId;
      await p.transition('disbursed', `bank:${i.bankId}`, {
        notify: [
          { templateId: 'requestDisbursed', recipient: p.enterprise, params: { financingRequestId, bankId: p.input.bankId, amountFen: i.amountFen } },
          { templateId: 'disbursementRecorded', recipient: p.bank, params: { financingRequestId, amountFen: i.amountFen } },
        ],
      });
      return s;
    },
    {
      validator: (i) => {
        mine(p, i.bankId);
        if (!p.readyToDisburse)
          throw reject(s.status === 'disbursed' ? REJECTIONS.AlreadyAnswered : REJECTIONS.InvalidTransition, `cannot disburse a claim that is ${s.status}`);
        if (i.amountFen > (s.offer?.approvedAmountFen ?? 0)) throw reject(REJECTIONS.InvalidOffer, 'the loan exceeds the approved amount');
      },
    },
  );
}
