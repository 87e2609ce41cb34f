// Waiting for an answer before a deadline, with reminders on the way. Workflow code.
import { condition } from '@temporalio/workflow';
import type { Reminder } from '../domain/deadlines';

/** Resolves true as soon as `done()` holds, or false once `deadline()` has passed. The deadline is re-read after each reminder, so it may be extended. */
export async function waitWithReminders(
  done: () => boolean,
  deadline: () => Date,
  reminders: Reminder[],
  remind: (r: Reminder) => Promise<void>,
): Promise<boolean> {
  for (const r of reminders) {
    const wait = r.at.getTime() - Date.now();
    if (wait <= 0) continue;
    if (await condition(done, wait)) return true;
    await remind(r);
  }
  for (;;) {
    const wait = deadline().getTime() - Date.now();
    if (wait <= 0) return done();
    if (await condition(done, wait)) return true;
  }
}
