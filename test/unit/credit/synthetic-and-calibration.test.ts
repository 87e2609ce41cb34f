import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../../../domain/creditCode';
import { syntheticCreditCodes } from '../../../datasources/simulator/generator';
import { auc, gradesMonotone, ks } from '../../../domain/credit/calibration';

describe('credit code', () => {
  it('accepts a published real code and rejects a wrong check character', () => {
    // 91350100M000100Y43 is the example in GB 32100-2015 commentary.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
  });
  it('generates valid, distinct synthetic codes deterministically', () => {
    const a = syntheticCreditCodes(200, 's');
    expect(new Set(a).size).toBe(200);
    expect(a.every(isValidCreditCode)).toBe(true);
    expect(syntheticCreditCodes(200, 's')).toEqual(a);
    expect(creditCodeCheckChar(a[0]!.slice(0, 17))).toBe(a[0]!.charAt(17));
  });
});

describe('calibration statistics', () => {
  it('AUC is 1 for perfect separation, 0.5 for ties, and KS 1 for perfect separation', () => {
    const perfect = [
      { score: 1, defaulted: true },
      { score: 2, defaulted: true },
      { score: 3, defaulted: false },
      { score: 4, defaulted: false },
    ];
    expect(auc(perfect)).toBe(1);
    expect(ks(perfect)).toBe(1);
    expect(
      auc([
        { score: 1, defaulted: true },
        { score: 1, defaulted: false },
      ]),
    ).toBe(0.5);
    expect(auc(perfect.map((p) => ({ ...p, defaulted: !p.defaulted })))).toBe(0);
  });
  it('detects non-monotone grade default rates', () => {
    const row = (grade: 'AAA' | 'AA', defaultRate: number) => ({ grade, count: 10, defaults: 0, defaultRate, meanPd: 0 });
    expect(gradesMonotone([row('AAA', 0.01), row('AA', 0.02)])).toBe(true);
    expect(gradesMonotone([row('AAA', 0.03), row('AA', 0.02)])).toBe(false);
  });
});
