import { describe, expect, it } from 'vitest';
import { assemblePortrait, type SourceOutcomes } from '../../../domain/credit/portrait';
import { highestLevel, riskWarnings } from '../../../domain/credit/warnings';
import { WARNING_CONFIG } from '../../../domain/credit/scorecard-config';
import { AS_OF, CODE, cleanRecords, okOutcomes } from './fixtures';

const portrait = (outcomes: SourceOutcomes) => assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes });

describe('riskWarnings', () => {
  const before = portrait(okOutcomes());

  it('is quiet when nothing changed and when there is no previous portrait', () => {
    expect(riskWarnings(before, portrait(okOutcomes()))).toEqual([]);
    expect(riskWarnings(undefined, before)).toEqual([]);
  });

  it('raises red for a new enforcement case and a new dishonest-debtor listing', () => {
    const r = cleanRecords();
    r.courts.enforcements = [{ caseNumber: '(2026)浙04执7号', filedOn: '2026-06-01', amountFen: 1, status: 'ongoing' }];
    r.courts.dishonestDebtor = [{ caseNumber: '(2026)浙04执7号', listedOn: '2026-06-05' }];
    const w = riskWarnings(before, portrait(okOutcomes(r)));
    expect(
      w
        .filter((x) => x.level === 'red')
        .map((x) => x.code)
        .sort(),
    ).toEqual(['NEW_DISHONEST_DEBTOR', 'NEW_ENFORCEMENT']);
    expect(highestLevel(w)).toBe('red');
  });

  it('raises yellow for a new lawsuit as defendant and a new short overdue, not for a lawsuit as plaintiff', () => {
    const r = cleanRecords();
    r.courts.lawsuits = [
      { caseNumber: 'D1', filedOn: '2026-06-01', role: 'defendant', cause: '买卖合同纠纷', amountFen: 1, status: 'pending' },
      { caseNumber: 'P1', filedOn: '2026-06-01', role: 'plaintiff', cause: '买卖合同纠纷', amountFen: 1, status: 'pending' },
    ];
    r.creditBureau.overdueHistory = [{ month: '2026-05', daysPastDue: 15, amountFen: 1 }];
    const w = riskWarnings(before, portrait(okOutcomes(r)));
    const yellow = w.filter((x) => x.level === 'yellow');
    expect(yellow.map((x) => [x.code, x.subject])).toEqual([
      ['NEW_LAWSUIT', 'D1'],
      ['NEW_OVERDUE', '2026-05'],
    ]);
    expect(w.some((x) => x.level === 'red')).toBe(false);
  });

  it('makes an overdue at the red threshold red', () => {
    const r = cleanRecords();
    r.creditBureau.overdueHistory = [{ month: '2026-05', daysPastDue: WARNING_CONFIG.redDaysPastDue, amountFen: 1 }];
    expect(riskWarnings(before, portrait(okOutcomes(r))).map((x) => x.code)).toContain('NEW_SERIOUS_OVERDUE');
  });

  it('raises blue for a score drop at the threshold and not just below it', () => {
    const next = portrait(okOutcomes());
    const withScore = (s: number) => ({ ...next, score: { ...next.score, score: s } });
    const drop = WARNING_CONFIG.blueScoreDrop;
    expect(riskWarnings(before, withScore(before.score.score - drop)).map((x) => x.code)).toContain('SCORE_DROP');
    expect(riskWarnings(before, withScore(before.score.score - drop + 1)).map((x) => x.code)).not.toContain('SCORE_DROP');
  });

  it('raises blue when the grade falls below the floor', () => {
    const next = portrait(okOutcomes());
    const w = riskWarnings({ ...before, score: { ...before.score, grade: 'BBB' } }, { ...next, score: { ...next.score, grade: 'BB' } });
    expect(w.map((x) => x.code)).toContain('GRADE_BELOW_FLOOR');
  });

  it('does not treat records as new when the source was missing in the previous portrait', () => {
    const r = cleanRecords();
    r.courts.enforcements = [{ caseNumber: 'E1', filedOn: '2025-01-01', amountFen: 1, status: 'ongoing' }];
    const prev = portrait({ ...okOutcomes(r), courts: { status: 'missing', reason: 'unavailable' } });
    const w = riskWarnings(prev, portrait(okOutcomes(r)));
    expect(w.map((x) => x.code)).not.toContain('NEW_ENFORCEMENT');
  });

  it('lists red before yellow before blue', () => {
    const r = cleanRecords();
    r.courts.enforcements = [{ caseNumber: 'E1', filedOn: '2026-06-01', amountFen: 1, status: 'ongoing' }];
    r.courts.lawsuits = [{ caseNumber: 'D1', filedOn: '2026-06-01', role: 'defendant', cause: 'x', amountFen: 1, status: 'pending' }];
    const w = riskWarnings(before, portrait(okOutcomes(r)));
    const order = w.map((x) => x.level);
    expect(order).toEqual([...order].sort((a, b) => ['red', 'yellow', 'blue'].indexOf(a) - ['red', 'yellow', 'blue'].indexOf(b)));
    expect(order).toContain('blue'); // enforcement + lawsuit cost well over 50 points
  });
});
