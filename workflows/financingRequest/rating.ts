// After disbursement the enterprise rates the bank (4C, 1–5 each) within the rating deadline, with
// a reminder; the request then closes as completed (rated or not).
import { setHandler } from '@temporalio/workflow';
import { deadlineFor } from '../../domain/deadlines';
import { db } from '../activityProxies';
import { rateUpdate, REJECTIONS } from '../messages';
import { reject } from '../rejections';
import { waitWithReminders } from '../waiting';
import type { RequestProcess } from './process';

export function registerRate(p: RequestProcess): void {
  const { state } = p;
  setHandler(
    rateUpdate,
    async (rating) => {
      state.rated = true;
      const disbursed = state.claims.find((c) => c.status === 'disbursed')!;
      await db.recordRating({ financingRequestId: p.input.id, bankId: disbursed.bankId, rating });
      p.changed = true;
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
}

export async function collectRating(p: RequestProcess): Promise<void> {
  const { state, input, policy } = p;
  const start = p.now();
  const deadline = deadlineFor('rating', start, policy);
  state.ratingDeadlineAt = deadline.toISOString();
  const pleaseRate = (event: string) =>
    p.record({
      actor: 'system',
      notify: [
        {
          templateId: 'pleaseRate',
          recipient: p.enterprise,
          params: { financingRequestId: input.id, deadlineAt: state.ratingDeadlineAt!, bankId: p.disbursedBankId() },
        },
      ],
      event,
    });
  await pleaseRate('rating:requested');
  await waitWithReminders(
    () => state.rated || p.withdrawRequested !== undefined,
    () => deadline,
    [{ at: new Date(start.getTime() + (deadline.getTime() - start.getTime()) * policy.reminders.atFraction), kind: 'half' }],
    async () => pleaseRate('rating:reminder'),
  );
  await p.close('completed');
}
