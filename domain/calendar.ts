// Business time in Asia/Shanghai. China has kept UTC+8 all year since 1991 (no DST), so business
// time is computed with a fixed offset: pure arithmetic, deterministic, safe inside workflows.

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

export interface BusinessCalendar {
  /** Working hours, local time: [startHour, endHour). */
  startHour: number;
  endHour: number;
  /** Public holidays (YYYY-MM-DD, local dates) on which no one works. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休 make-up days). */
  workingWeekends: readonly string[];
}

/** Local (Shanghai) calendar date of an instant, as YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function isBusinessDay(localDate: string, cal: BusinessCalendar): boolean {
  if (cal.holidays.includes(localDate)) return false;
  if (cal.workingWeekends.includes(localDate)) return true;
  const dow = new Date(`${localDate}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** UTC instant of a local wall-clock hour on a local date. */
function localHour(localDate: string, hour: number): number {
  return Date.parse(`${localDate}T00:00:00Z`) + hour * HOUR_MS - SHANGHAI_OFFSET_MS;
}

function nextDate(localDate: string): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant at which `hours` working hours have elapsed after `start`. Time outside working
 * hours, at weekends and on holidays does not count; one business day is (endHour - startHour) hours.
 */
export function addBusinessHours(start: Date, hours: number, cal: BusinessCalendar): Date {
  let remaining = hours * HOUR_MS;
  let t = start.getTime();
  let day = shanghaiDate(start);
  // Bounded: a year of days is far beyond any deadline the policy allows.
  for (let i = 0; i < 366 * 2; i++) {
    if (isBusinessDay(day, cal)) {
      const open = localHour(day, cal.startHour);
      const close = localHour(day, cal.endHour);
      const from = Math.max(t, open);
      if (from < close) {
        const available = close - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    }
    day = nextDate(day);
    t = localHour(day, 0);
  }
  throw new Error('addBusinessHours: no business days found within two years; check the holiday calendar');
}

export function businessDayHours(cal: BusinessCalendar): number {
  return cal.endHour - cal.startHour;
}

export function addBusinessDays(start: Date, days: number, cal: BusinessCalendar): Date {
  return addBusinessHours(start, days * businessDayHours(cal), cal);
}

/** Working hours elapsed between two instants (0 if `to` is not after `from`). */
export function businessHoursBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  if (to <= from) return 0;
  let total = 0;
  let day = shanghaiDate(from);
  const end = to.getTime();
  for (let i = 0; i < 366 * 2 && localHour(day, 0) < end; i++) {
    if (isBusinessDay(day, cal)) {
      const a = Math.max(from.getTime(), localHour(day, cal.startHour));
      const b = Math.min(end, localHour(day, cal.endHour));
      if (b > a) total += b - a;
    }
    day = nextDate(day);
  }
  return total / HOUR_MS;
}
