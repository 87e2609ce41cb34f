// Waiting for the bank within a step's deadline, with reminders. Supervised runs wait in a way an
// extension can move (waitExtensible); claims started before the supervisor-actions patch keep the
// original wait (waitWithReminders) until none of them runs any more.
import { condition } from '@temporalio/workflow';
import { deadlineFor, remindersFor, type DeadlineKind, type Reminder } from '../../domain/deadlines';
import { db } from '../activityProxies';
import { waitWithReminders } from '../waiting';
import type { ClaimProcess, Step } from './process';

/**
 * Waits for the bank to leave the step (`waitingFor` true), with reminders; false when the
 * deadline passed first. `initial`: the deadline the transition that started the step already
 * recorded (supervised runs reuse it).
 */
export async function awaitStep(p: ClaimProcess, kind: DeadlineKind, waitingFor: () => boolean, initial?: Date): Promise<boolean> {
  const { supervised } = p.patches;
  const start = p.now();
  const cur: Step = { kind, start, deadline: supervised && initial ? initial : deadlineFor(kind, start, p.policy), version: 0, extended: false };
  p.step = cur;
  p.state.deadlineAt = cur.deadline.toISOString();
  let reminderNo = 0;
  const done = () => waitingFor() || p.closedByRequest || p.released;
  const remind = async (rem: Reminder) => {
    reminderNo += 1;
    const r = await db.recordTransition({
      financingRequestId: p.input.financingRequestId,
      eventKey: `${p.id}:${p.seq}:reminder:${reminderNo}`,
      event: `reminder:${kind}`,
      actor: 'system',
      at: p.now().toISOString(),
      notify: [
        {
          templateId: 'deadlineReminder',
          recipient: p.bank,
          params: { financingRequestId: p.input.financingRequestId, step: kind, deadlineAt: cur.deadline.toISOString() },
          urgent: rem.kind === 'final',
        },
      ],
    });
    p.deliveries.start(r.notificationIds);
  };
  try {
    if (!supervised) return await waitWithReminders(done, () => cur.deadline, remindersFor(kind, start, cur.deadline, p.policy), remind);
    // The claim row and the search attribute show the step's deadline (supervisors' stuck list).
    p.showDeadline(p.state.deadlineAt);
    if (p.recordedDeadline !== p.state.deadlineAt) await p.note(undefined, 'system', { deadlineAt: p.state.deadlineAt });
    return await waitExtensible(p, done, cur, remind);
  } finally {
    p.step = undefined;
  }
}

/**
 * waitWithReminders for supervised runs: the same timers while nobody extends the deadline; an
 * extension wakes the wait, and the reminders still to come are planned afresh for the new deadline.
 */
async function waitExtensible(p: ClaimProcess, done: () => boolean, cur: Step, remind: (r: Reminder) => Promise<void>): Promise<boolean> {
  let version = cur.version;
  let plan = remindersFor(cur.kind, cur.start, cur.deadline, p.policy);
  let next = 0;
  const woken = () => done() || cur.version !== version;
  for (;;) {
    if (cur.version !== version) {
      version = cur.version;
      plan = remindersFor(cur.kind, p.now(), cur.deadline, p.policy);
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
