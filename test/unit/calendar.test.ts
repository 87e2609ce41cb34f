import { describe, expect, it } from 'vitest';
import { addBusinessDays, addBusinessHours, businessHoursBetween, isBusinessDay, shanghaiDate } from '../../domain/calendar';
import { CN_CALENDAR_2026 } from '../../domain/policy';

const cal = CN_CALENDAR_2026;
// Shanghai local time → UTC instant.
const sh = (local: string) => new Date(`${local}+08:00`);

describe('business time in Asia/Shanghai', () => {
  it('knows weekends, holidays and make-up working days', () => {
    expect(isBusinessDay('2026-11-23', cal)).toBe(true); // Monday
    expect(isBusinessDay('2026-11-22', cal)).toBe(false); // Sunday
    expect(isBusinessDay('2026-10-01', cal)).toBe(false); // National Day, a Thursday
    expect(isBusinessDay('2026-10-10', cal)).toBe(true); // make-up Saturday
    expect(shanghaiDate(new Date('2026-11-22T17:00:00Z'))).toBe('2026-11-23'); // 01:00 next day in Shanghai
  });

  it('adds one business day within the week', () => {
    expect(addBusinessDays(sh('2026-11-23T14:00:00'), 1, cal)).toEqual(sh('2026-11-24T14:00:00'));
  });

  it('skips the weekend: Friday afternoon + 1 business day is Monday afternoon', () => {
    expect(addBusinessDays(sh('2026-11-20T16:00:00'), 1, cal)).toEqual(sh('2026-11-23T16:00:00'));
  });

  it('starts counting at opening time when published at night or at the weekend', () => {
    expect(addBusinessDays(sh('2026-11-21T23:00:00'), 1, cal)).toEqual(sh('2026-11-23T17:00:00'));
    expect(addBusinessHours(sh('2026-11-23T07:30:00'), 2, cal)).toEqual(sh('2026-11-23T11:00:00'));
  });

  it('skips a public holiday week and counts the make-up Saturday', () => {
    // Wed 30 Sep 15:00 + 1 business day: Oct 1–7 are holidays, Oct 8 (Thu) is the next working day.
    expect(addBusinessDays(sh('2026-09-30T15:00:00'), 1, cal)).toEqual(sh('2026-10-08T15:00:00'));
    // Fri 9 Oct 10:00 + 1 business day lands on the make-up Saturday 10 Oct.
    expect(addBusinessDays(sh('2026-10-09T10:00:00'), 1, cal)).toEqual(sh('2026-10-10T10:00:00'));
  });

  it('measures business hours between instants, inverse of adding them', () => {
    const from = sh('2026-11-20T16:00:00');
    const to = addBusinessDays(from, 5, cal);
    expect(businessHoursBetween(from, to, cal)).toBe(40);
    expect(businessHoursBetween(to, from, cal)).toBe(0);
  });
});
