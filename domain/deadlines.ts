// Deadlines and reminder times of each lifecycle step, from the policy. Pure, used by workflows.
import { addBusinessDays, addBusinessHours, businessHoursBetween } from './calendar';
import type { LifecyclePolicy } from './policy';

export type DeadlineKind = 'acceptance' | 'decision' | 'disbursement' | 'guarantee' | 'rating' | 'pool';

const DAY_MS = 86_400_000;

export function deadlineFor(kind: DeadlineKind, start: Date, p: LifecyclePolicy): Date {
  const d = p.deadlines;
  switch (kind) {
    case 'acceptance':
      return addBusinessDays(start, d.acceptanceBusinessDays, p.calendar);
    case 'decision':
      return addBusinessDays(start, d.decisionBusinessDays, p.calendar);
    case 'disbursement':
      return addBusinessDays(start, d.disbursementBusinessDays, p.calendar);
    case 'guarantee':
      return addBusinessDays(start, d.guaranteeBusinessDays, p.calendar);
    case 'pool':
      return addBusinessDays(start, d.poolOpenBusinessDays, p.calendar);
    case 'rating':
      return new Date(start.getTime() + d.ratingCalendarDays * DAY_MS);
  }
}

export interface Reminder {
  at: Date;
  kind: 'half' | 'final';
}

/**
 * Reminders before a deadline: when `atFraction` of the allowed business time has passed, and
 * `businessHoursBefore` business hours before expiry (if that is later than the first one).
 * Calendar-day deadlines (rating) get the half-time reminder only.
 */
export function remindersFor(kind: DeadlineKind, start: Date, deadline: Date, p: LifecyclePolicy): Reminder[] {
  if (kind === 'rating') return [{ at: new Date(start.getTime() + (deadline.getTime() - start.getTime()) * p.reminders.atFraction), kind: 'half' }];
  const total = businessHoursBetween(start, deadline, p.calendar);
  const half = addBusinessHours(start, total * p.reminders.atFraction, p.calendar);
  const out: Reminder[] = [{ at: half, kind: 'half' }];
  if (total > p.reminders.businessHoursBefore) {
    const final = addBusinessHours(start, total - p.reminders.businessHoursBefore, p.calendar);
    if (final > half) out.push({ at: final, kind: 'final' });
  }
  return out;
}
