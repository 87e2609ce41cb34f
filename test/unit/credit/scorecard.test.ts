import { describe, expect, it } from 'vitest';
import { gradeForScore, industryPercentile, probabilityOfDefault, scoreFeatures, scoreRecords } from '../../../domain/credit/scorecard';
import { CHARACTERISTICS, GRADES, SCORECARD_CONFIG } from '../../../domain/credit/scorecard-config';
import { AS_OF, cleanRecords } from './fixtures';

const codes = (records: ReturnType<typeof cleanRecords>) => scoreRecords(records, AS_OF).reasons.map((r) => r.code);

describe('grades', () => {
  it('puts a score exactly on a cut-off in the higher grade and one point below in the next', () => {
    for (let i = 0; i < GRADES.length - 1; i++) {
      const g = GRADES[i]!;
      expect(gradeForScore(g.minScore)).toBe(g.grade);
      expect(gradeForScore(g.minScore - 1)).toBe(GRADES[i + 1]!.grade);
    }
    expect(gradeForScore(0)).toBe('C');
    expect(gradeForScore(1000)).toBe('AAA');
  });

  it('splits incentives at 600: 600 is BBB and eligible, 599 is BB and not', () => {
    expect(gradeForScore(600)).toBe('BBB');
    expect(gradeForScore(599)).toBe('BB');
    expect(SCORECARD_CONFIG.incentiveThreshold).toBe(600);
  });
});

describe('probability of default', () => {
  it('falls strictly as the score rises and follows the documented logistic', () => {
    let prev = 1;
    for (let s = 0; s <= 1000; s += 10) {
      const pd = probabilityOfDefault(s);
      expect(pd).toBeLessThan(prev);
      prev = pd;
    }
    expect(probabilityOfDefault(SCORECARD_CONFIG.pdOffset)).toBeCloseTo(0.5, 10);
    // Points to double the odds: 75.
    const odds = (s: number) => probabilityOfDefault(s) / (1 - probabilityOfDefault(s));
    expect(odds(500) / odds(575)).toBeCloseTo(2, 6);
  });
});

describe('scorecard', () => {
  it('scores a clean enterprise at or above the incentive line with no reasons of substance', () => {
    const s = scoreRecords(cleanRecords(), AS_OF);
    expect(s.score).toBeGreaterThanOrEqual(600);
    expect(s.incentiveEligible).toBe(true);
    expect(s.reasons.map((r) => r.code)).not.toContain('OVERDUE_12M');
    expect(s.dimensions.map((d) => d.dimension)).toEqual([
      'businessEnvironment',
      'management',
      'operatingCapability',
      'financialCondition',
      'creditRecord',
      'socialResponsibility',
    ]);
    // The score is the base plus the sum of characteristic points.
    const sum = s.characteristics.reduce((a: number, c) => a + c.points, SCORECARD_CONFIG.basePoints as number);
    expect(s.score).toBe(Math.max(0, Math.min(1000, sum)));
  });

  it('gives OVERDUE_12M as the top reason for an otherwise clean enterprise with an overdue loan', () => {
    const r = cleanRecords();
    r.creditBureau.overdueHistory = [{ month: '2026-03', daysPastDue: 20, amountFen: 50_000_00 }];
    const s = scoreRecords(r, AS_OF);
    expect(s.reasons[0]?.code).toBe('OVERDUE_12M');
    expect(s.reasons[0]?.zh).toBe('近12个月有逾期');
    expect(s.score).toBeLessThan(scoreRecords(cleanRecords(), AS_OF).score);
  });

  it('does not count an overdue older than 12 months as OVERDUE_12M', () => {
    const r = cleanRecords();
    r.creditBureau.overdueHistory = [{ month: '2024-12', daysPastDue: 20, amountFen: 50_000_00 }];
    expect(codes(r)).not.toContain('OVERDUE_12M');
    expect(codes(r)).toContain('OVERDUE_36M');
  });

  it('reports tax grade C and court enforcement', () => {
    const r = cleanRecords();
    r.tax.taxCreditGrade = 'C';
    r.courts.enforcements = [{ caseNumber: '(2026)浙04执1号', filedOn: '2026-04-01', amountFen: 1_000_000_00, status: 'ongoing' }];
    const c = codes(r);
    expect(c).toContain('TAX_GRADE_C');
    expect(c).toContain('COURT_ENFORCEMENT');
    // Enforcement costs more than tax grade C, so it comes first.
    expect(c.indexOf('COURT_ENFORCEMENT')).toBeLessThan(c.indexOf('TAX_GRADE_C'));
  });

  it('ignores a concluded enforcement case', () => {
    const r = cleanRecords();
    r.courts.enforcements = [{ caseNumber: '(2024)浙04执1号', filedOn: '2024-04-01', amountFen: 1_000_000_00, status: 'concluded' }];
    expect(codes(r)).not.toContain('COURT_ENFORCEMENT');
  });

  it('reports at most the configured number of reasons, without duplicates', () => {
    const r = cleanRecords();
    r.tax.taxCreditGrade = 'D';
    r.tax.arrearsFen = 1_000_00;
    r.creditBureau.overdueHistory = [
      { month: '2026-03', daysPastDue: 120, amountFen: 1 },
      { month: '2026-04', daysPastDue: 10, amountFen: 1 },
    ];
    r.courts.dishonestDebtor = [{ caseNumber: 'x', listedOn: '2026-01-01' }];
    r.marketRegulation.status = 'abnormal';
    r.socialSecurity.arrearsFen = 1_000_00;
    const s = scoreRecords(r, AS_OF);
    expect(s.reasons.length).toBe(SCORECARD_CONFIG.topReasons);
    expect(new Set(s.reasons.map((x) => x.code)).size).toBe(s.reasons.length);
    expect(s.reasons[0]?.code).toBe('DISHONEST_DEBTOR');
    expect(s.grade).toBe('C');
  });

  it('scores missing sources neutrally: no source missing is better or worse than a neutral value', () => {
    const all = scoreFeatures({});
    expect(all.score).toBe(SCORECARD_CONFIG.basePoints);
    expect(all.reasons).toEqual([]);
    expect(all.characteristics.every((c) => c.bin === 'missing')).toBe(true);
  });

  it('has every numeric characteristic end in an open bin so every value is binned', () => {
    for (const c of CHARACTERISTICS) if (c.kind === 'numeric') expect(c.bins[c.bins.length - 1]?.below).toBeUndefined();
  });
});

describe('industry percentile', () => {
  const pop = [
    { industry: 'C', score: 500 },
    { industry: 'C', score: 600 },
    { industry: 'C', score: 700 },
    { industry: 'C', score: 800 },
    { industry: 'F', score: 100 },
  ];
  it('ranks within the same industry only, ties counting half', () => {
    expect(industryPercentile(700, 'C', pop)).toBe(62.5); // 2 below + 1/2 tie of 4
    expect(industryPercentile(900, 'C', pop)).toBe(100);
    expect(industryPercentile(50, 'C', pop)).toBe(0);
    expect(industryPercentile(700, 'K', pop)).toBeUndefined();
  });
});
