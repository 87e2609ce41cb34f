import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessHoursBetween } from '../../domain/calendar';
import {
  compositeScore,
  extendedDeadline,
  idleCutoff,
  median,
  p90,
  percentile,
  rankBanks,
  reportId,
  reportPeriodBefore,
  reportScheduleSpec,
  scoreComponents,
  SUPERVISION_CONFIG as C,
  type BankFigures,
} from '../../domain/supervision';

const cal = C.calendar;
const d = (s: string) => new Date(s);

function figures(bankId: string, o: Partial<BankFigures> = {}): BankFigures {
  return {
    bankId,
    bankName: bankId,
    acceptHours: { median: null, p90: null, n: 0 },
    decideHours: { median: null, p90: null, n: 0 },
    disburseHours: { median: null, p90: null, n: 0 },
    claimsEnded: 0,
    expired: 0,
    released: 0,
    missedShare: null,
    poolEligible: 0,
    grabs: 0,
    grabWinRate: null,
    approvals: 0,
    declines: 0,
    approvalRate: null,
    rating: { n: 0, meetsNeed: null, cost: null, speed: null, communication: null },
    loans: { count: 0, amountFen: 0, firstLoans: 0, creditLoans: 0 },
    ...o,
  };
}

describe('percentiles (PostgreSQL percentile_cont semantics)', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 2, 3, 4, 100])).toBe(3);
    // 10 values: position 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(9.1, 10);
    expect(percentile([5, 1], 0)).toBe(1);
    expect(percentile([5, 1], 1)).toBe(5);
  });
});

describe('business time of stuck orders and extensions', () => {
  it('idle cutoff is two business days back, skipping nights, weekends and holidays', () => {
    // Wednesday 2026-03-11 10:00 Shanghai (02:00Z) − 16 business hours = Monday 10:00 Shanghai.
    expect(idleCutoff(d('2026-03-11T02:00:00Z'), 2, cal).toISOString()).toBe('2026-03-09T02:00:00.000Z');
    // Monday 2026-03-09 10:00 Shanghai − 16 h = Thursday 2026-03-05 10:00 (the weekend does not count).
    expect(idleCutoff(d('2026-03-09T02:00:00Z'), 2, cal).toISOString()).toBe('2026-03-05T02:00:00.000Z');
    // Sunday night: one business day back from Friday 17:00 is Friday 09:00.
    expect(idleCutoff(d('2026-03-08T14:00:00Z'), 1, cal).toISOString()).toBe('2026-03-06T01:00:00.000Z');
    // Inverse of addBusinessDays on any working instant.
    for (const at of ['2026-03-11T02:00:00Z', '2026-04-30T08:30:00Z', '2026-10-09T05:00:00Z']) {
      const cut = idleCutoff(d(at), 2, cal);
      expect(addBusinessDays(cut, 2, cal).toISOString()).toBe(d(at).toISOString());
      expect(businessHoursBetween(cut, d(at), cal)).toBeCloseTo(16, 6);
    }
  });

  it('extends from the current deadline, or from now when it has passed', () => {
    const now = d('2026-03-10T02:00:00Z'); // Tuesday 10:00
    // Deadline Friday 16:00 + 2 business days = Tuesday 16:00.
    expect(extendedDeadline(d('2026-03-13T08:00:00Z'), now, 2, cal).toISOString()).toBe('2026-03-17T08:00:00.000Z');
    // Already overdue (Monday 16:00): from now, Tuesday 10:00 + 1 business day = Wednesday 10:00.
    expect(extendedDeadline(d('2026-03-09T08:00:00Z'), now, 1, cal).toISOString()).toBe('2026-03-11T02:00:00.000Z');
  });
});

describe('composite score and ranking', () => {
  it('maps figures to components as documented', () => {
    const f = figures('a', {
      acceptHours: { median: 6, p90: 20, n: 4 },
      decideHours: { median: 84, p90: 160, n: 4 },
      disburseHours: { median: 200, p90: 300, n: 2 },
      claimsEnded: 10,
      expired: 2,
      missedShare: 0.2,
      grabWinRate: 0.5,
      approvalRate: 0.75,
      rating: { n: 2, meetsNeed: 5, cost: 4, speed: 4, communication: 3 },
      loans: { count: 2, amountFen: 100, firstLoans: 1, creditLoans: 1 },
    });
    const c = scoreComponents(f, { loans: 4, amountFen: 400 });
    expect(c).toEqual({
      acceptSpeed: 0.75, // 1 − 6/24
      decideSpeed: 0.5, // 1 − 84/168
      disburseSpeed: 0, // slower than the reference: floored at 0
      onTime: 0.8,
      grabWin: 0.5,
      approval: 0.75,
      rating: 0.75, // average 4 → (4 − 1) / 4
      volume: 0.375, // ½ · 2/4 + ½ · 100/400
    });
    // 100 · (.15·.75 + .15·.5 + .1·0 + .2·.8 + .05·.5 + .1·.75 + .15·.75 + .1·.375) / 1.0
    expect(compositeScore(c)).toBe(59.75);
  });

  it('leaves out components without figures (the score divides by the weights used)', () => {
    const c = scoreComponents(figures('b', { missedShare: 0.5, approvalRate: 1 }), { loans: 0, amountFen: 0 });
    expect(c.acceptSpeed).toBeNull();
    expect(c.volume).toBeNull();
    // (0.2 · 0.5 + 0.1 · 1) / (0.2 + 0.1) = 0.6667
    expect(compositeScore(c)).toBe(66.67);
  });

  it('ranks by score, ties by missed deadlines then bank id; idle banks come last unranked', () => {
    const rows = rankBanks([
      figures('slow', { claimsEnded: 4, expired: 2, missedShare: 0.5, decideHours: { median: 150, p90: 160, n: 4 } }),
      figures('idle'),
      figures('fast', { claimsEnded: 4, expired: 0, missedShare: 0, decideHours: { median: 10, p90: 20, n: 4 } }),
      figures('twin-b', { claimsEnded: 2, expired: 0, missedShare: 0 }),
      figures('twin-a', { claimsEnded: 2, expired: 0, missedShare: 0 }),
    ]);
    expect(rows.map((r) => [r.bankId, r.rank])).toEqual([
      ['twin-a', 1],
      ['twin-b', 2],
      ['fast', 3],
      ['slow', 4],
      ['idle', null],
    ]);
    expect(rows[0]!.score).toBe(100);
    expect(rows.at(-1)!.score).toBeNull();
  });
});

describe('report period and schedule', () => {
  it('a Monday 09:00 run reports the previous week, Monday to Monday in Shanghai', () => {
    const p = reportPeriodBefore(d('2026-03-16T01:00:00Z')); // Monday 09:00 Shanghai
    expect(p).toEqual({ periodStart: '2026-03-08T16:00:00.000Z', periodEnd: '2026-03-15T16:00:00.000Z' });
    expect(reportId(p)).toBe('report-2026-03-09-2026-03-16');
    // A late run on Wednesday still reports the last whole week.
    expect(reportPeriodBefore(d('2026-03-18T03:00:00Z'))).toEqual(p);
    // Sunday 23:30 Shanghai belongs to the week before.
    expect(reportPeriodBefore(d('2026-03-15T15:30:00Z')).periodEnd).toBe('2026-03-08T16:00:00.000Z');
  });

  it('runs Mondays 09:00 Asia/Shanghai', () => {
    expect(reportScheduleSpec()).toEqual({ calendars: [{ dayOfWeek: 'MONDAY', hour: 9, minute: 0 }], timezone: 'Asia/Shanghai' });
  });
});
