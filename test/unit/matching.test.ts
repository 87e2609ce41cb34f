import { describe, expect, it } from 'vitest';
import {
  checkEligibility,
  fitParts,
  fitScore,
  inRegions,
  MATCHING_CONFIG,
  popularityScore,
  rangeFit,
  rankProducts,
  regionPrefix,
  type EnterpriseProfile,
  type ProductRules,
} from '../../domain/matching';

const WAN = 1_000_000; // fen per 万元

const broad: ProductRules = {
  minAmountFen: 10 * WAN,
  maxAmountFen: 3000 * WAN,
  minTermMonths: 1,
  maxTermMonths: 36,
  guaranteeMethods: [],
  industries: [],
  regions: [],
  minScore: null,
  minRegisteredCapitalFen: null,
  maxRegisteredCapitalFen: null,
  firstLoanOnly: false,
  requiredTags: [],
};

const jiaxingMaker: EnterpriseProfile = { industry: 'C', region: '330402', registeredCapitalFen: 500 * WAN, tags: ['high_tech'], score: 700, hasLoan: false };
const need = { amountFen: 300 * WAN, termMonths: 12, guaranteeMethod: 'credit' as const };

describe('checkEligibility', () => {
  it('a broad product fits and names only the need rules as reasons', () => {
    const r = checkEligibility(broad, jiaxingMaker, need);
    expect(r.fit).toBe(true);
    expect(r.failed).toEqual([]);
    expect(r.met.map((c) => c.rule)).toEqual(['amount', 'term', 'guaranteeMethod']);
    expect(r.met[0]!.reason).toBe('amount CNY 3,000,000 is within CNY 100,000–30,000,000');
  });

  it('lists every failed rule with a reason', () => {
    const strict: ProductRules = {
      ...broad,
      maxAmountFen: 200 * WAN,
      maxTermMonths: 6,
      guaranteeMethods: ['mortgage'],
      industries: ['A'],
      regions: ['320500'],
      minScore: 750,
      minRegisteredCapitalFen: 1000 * WAN,
      firstLoanOnly: true,
      requiredTags: ['high_tech', 'agriculture_related'],
    };
    const r = checkEligibility(strict, { ...jiaxingMaker, hasLoan: true }, need);
    expect(r.fit).toBe(false);
    expect(r.failed.map((c) => c.rule)).toEqual(['amount', 'term', 'guaranteeMethod', 'industry', 'region', 'score', 'registeredCapital', 'firstLoan', 'tags']);
    expect(r.failed.find((c) => c.rule === 'score')!.reason).toBe('credit score 700 is below the minimum 750');
    expect(r.failed.find((c) => c.rule === 'tags')!.reason).toBe('lacks the tags agriculture_related');
    expect(r.failed.find((c) => c.rule === 'registeredCapital')!.reason).toBe('registered capital CNY 5,000,000 is outside at least CNY 10,000,000');
    expect(r.met).toEqual([]);
  });

  it('range edges are inclusive; a missing need field is not checked', () => {
    expect(checkEligibility(broad, jiaxingMaker, { amountFen: 10 * WAN, termMonths: 36 }).fit).toBe(true);
    expect(checkEligibility(broad, jiaxingMaker, { amountFen: 10 * WAN - 1 }).failed.map((c) => c.rule)).toEqual(['amount']);
    expect(checkEligibility(broad, jiaxingMaker).met).toEqual([]);
  });

  it('a minimum score refuses an enterprise without a score, and says so', () => {
    const r = checkEligibility({ ...broad, minScore: 600 }, { ...jiaxingMaker, score: null }, need);
    expect(r.fit).toBe(false);
    expect(r.failed[0]!.reason).toMatch(/no credit score on record/);
  });

  it('regions cover their subdivisions: province, city, district', () => {
    expect(regionPrefix('330000')).toBe('33');
    expect(regionPrefix('330400')).toBe('3304');
    expect(regionPrefix('330402')).toBe('330402');
    expect(inRegions('330402', ['330000'])).toBe(true);
    expect(inRegions('330402', ['330400'])).toBe(true);
    expect(inRegions('330402', ['330411'])).toBe(false);
    expect(inRegions('320500', ['330000', '320000'])).toBe(true);
  });

  it('capital bounds may be open on either side; first-loan products accept enterprises without loans', () => {
    const capped = { ...broad, maxRegisteredCapitalFen: 100 * WAN, firstLoanOnly: true };
    const r = checkEligibility(capped, jiaxingMaker, need);
    expect(r.failed.map((c) => c.reason)).toEqual(['registered capital CNY 5,000,000 is outside at most CNY 1,000,000']);
    expect(r.met.map((c) => c.rule)).toContain('firstLoan');
  });
});

describe('ranking', () => {
  it('range fit is 1 at the geometric centre and rangeEdgeFit at the edges', () => {
    expect(rangeFit(100, 10, 1000)).toBeCloseTo(1);
    expect(rangeFit(10, 10, 1000)).toBeCloseTo(MATCHING_CONFIG.rangeEdgeFit);
    expect(rangeFit(1000, 10, 1000)).toBeCloseTo(MATCHING_CONFIG.rangeEdgeFit);
    expect(rangeFit(5, 10, 1000)).toBe(0);
    expect(rangeFit(7, 7, 7)).toBe(1);
  });

  it('fit rewards a named guarantee method over "any" and a wider score margin', () => {
    const named = fitParts({ ...broad, guaranteeMethods: ['credit'] }, jiaxingMaker, need);
    const any = fitParts(broad, jiaxingMaker, need);
    expect(named.guarantee).toBe(1);
    expect(any.guarantee).toBe(MATCHING_CONFIG.anyGuaranteeFit);
    expect(fitScore(named)).toBeGreaterThan(fitScore(any));
    // 700 clears the reference 600 by half the margin span.
    expect(any.scoreMargin).toBeCloseTo(0.5);
    expect(fitParts({ ...broad, minScore: 700 }, jiaxingMaker, need).scoreMargin).toBe(0);
    expect(fitParts(broad, { ...jiaxingMaker, score: null }, need).scoreMargin).toBe(MATCHING_CONFIG.unknownScoreFit);
    const perfect = { amount: 1, term: 1, guarantee: 1, scoreMargin: 1 };
    expect(fitScore(perfect)).toBeCloseTo(100);
  });

  it('popularity grows with applications, loans count more, and saturates at 100', () => {
    expect(popularityScore({ applications: 0, loans: 0 })).toBe(0);
    expect(popularityScore({ applications: 10, loans: 5 })).toBeGreaterThan(popularityScore({ applications: 15, loans: 0 }));
    expect(popularityScore({ applications: 10_000, loans: 5_000 })).toBe(100);
  });

  it('ranks fitting products by fit and popularity, drops the ones that do not fit, explains each', () => {
    const products = [
      {
        id: 'tight',
        rules: { ...broad, minAmountFen: 100 * WAN, maxAmountFen: 900 * WAN, guaranteeMethods: ['credit' as const] },
        pop: { applications: 0, loans: 0 },
      },
      { id: 'popular-broad', rules: broad, pop: { applications: 120, loans: 40 } },
      { id: 'quiet-broad', rules: broad, pop: { applications: 0, loans: 0 } },
      { id: 'mortgage-only', rules: { ...broad, guaranteeMethods: ['mortgage' as const] }, pop: { applications: 500, loans: 200 } },
    ];
    const ranked = rankProducts(
      products,
      (p) => p.rules,
      (p) => p.pop,
      jiaxingMaker,
      need,
    );
    expect(ranked.map((r) => r.item.id)).toEqual(['popular-broad', 'tight', 'quiet-broad']);
    // Same rules, so popularity alone separates the broad ones.
    expect(ranked[0]!.fit).toBeCloseTo(ranked[2]!.fit);
    expect(ranked[1]!.fit).toBeGreaterThan(ranked[0]!.fit);
    expect(ranked[0]!.reasons).toContain('popular: 120 applications, 40 loans');
    expect(ranked[1]!.reasons).toContain('guarantee method credit is among credit');
    for (const r of ranked) expect(r.rank).toBeCloseTo(MATCHING_CONFIG.weights.fit * r.fit + MATCHING_CONFIG.weights.popularity * r.popularity);
  });

  it('the weights are a convex combination', () => {
    const w = MATCHING_CONFIG;
    expect(w.weights.fit + w.weights.popularity).toBeCloseTo(1);
    expect(Object.values(w.fitParts).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});
