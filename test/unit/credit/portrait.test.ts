import { describe, expect, it } from 'vitest';
import { assemblePortrait, capitalBand, type SourceOutcomes } from '../../../domain/credit/portrait';
import { SOURCE_POLICIES } from '../../../domain/credit/source-policy';
import { AS_OF, CODE, cleanRecords, okOutcomes } from './fixtures';

describe('assemblePortrait', () => {
  it('builds all six sections and full completeness when every source answered', () => {
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: okOutcomes() });
    expect(p.completeness).toBe(1);
    expect(p.partial).toBe(false);
    expect(p.missing).toEqual([]);
    expect(p.sections.registration?.capitalBand).toBe('1to5M');
    expect(p.sections.relationshipNetwork?.shareholders).toHaveLength(1);
    expect(p.sections.operations.tax?.taxesPaid12mFen).toBe(12 * 30_000_00);
    expect(p.sections.operations.employment?.latestInsuredEmployees).toBe(30);
    expect(p.sections.assetsAndMortgages?.loansOutstandingFen).toBe(600_000_00);
    expect(p.sections.riskInformation.courts?.enforcements).toEqual([]);
    expect(p.score.score).toBeGreaterThan(0);
  });

  it('counts missing sources out of completeness and flags the portrait partial', () => {
    const outcomes: SourceOutcomes = { ...okOutcomes(), courts: { status: 'missing', reason: 'unavailable' }, tax: { status: 'missing', reason: 'timeout' } };
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes });
    expect(p.completeness).toBe(0.75); // 6 of 8 equally weighted sources
    expect(p.partial).toBe(true);
    expect(p.missing).toEqual(['tax', 'courts']);
    expect(p.sources.tax).toEqual({ status: 'missing', reason: 'timeout' });
    expect(p.sections.riskInformation.courts).toBeNull();
    expect(p.sections.operations.tax).toBeNull();
    // The rest of the portrait is still there.
    expect(p.sections.registration?.name).toBe('嘉兴恒丰制造有限公司');
  });

  it('treats a source absent from the outcomes as missing', () => {
    const { honours: _h, ...rest } = okOutcomes();
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: rest });
    expect(p.missing).toEqual(['honours']);
    expect(p.completeness).toBe(0.875);
  });

  it('marks a record older than its time-to-live stale (still used, listed in stale)', () => {
    const ttl = SOURCE_POLICIES.courts.cacheTtlMs;
    const old = new Date(AS_OF.getTime() - ttl - 1).toISOString();
    const justInside = new Date(AS_OF.getTime() - ttl).toISOString();
    const records = cleanRecords();
    const base = okOutcomes(records);
    const p = assemblePortrait({
      creditCode: CODE,
      asOf: AS_OF,
      outcomes: { ...base, courts: { status: 'ok', data: records.courts, fetchedAt: old, fromCache: true } },
    });
    expect(p.stale).toEqual(['courts']);
    expect(p.sources.courts.status).toBe('stale');
    expect(p.sections.riskInformation.courts).not.toBeNull();
    expect(p.partial).toBe(false);
    const q = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: { ...base, courts: { status: 'ok', data: records.courts, fetchedAt: justInside } } });
    expect(q.stale).toEqual([]);
  });

  it('derives the tax-grade-A honour from the tax source when the honours source is missing', () => {
    const records = cleanRecords();
    records.tax.taxCreditGrade = 'A';
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: { ...okOutcomes(records), honours: { status: 'missing', reason: 'unavailable' } } });
    expect(p.sections.honourTags.tags?.map((t) => t.code)).toEqual(['TAX_GRADE_A']);
  });

  it('with no sources at all has completeness 0 and a neutral score', () => {
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: {} });
    expect(p.completeness).toBe(0);
    expect(p.missing).toHaveLength(8);
    expect(p.sections.registration).toBeNull();
  });
});

describe('capitalBand', () => {
  it('puts the band edges (1 M, 5 M, 20 M CNY) in the lower band', () => {
    expect(capitalBand(1_000_000_00)).toBe('upTo1M');
    expect(capitalBand(1_000_000_01)).toBe('1to5M');
    expect(capitalBand(5_000_000_00)).toBe('1to5M');
    expect(capitalBand(20_000_000_00)).toBe('5to20M');
    expect(capitalBand(20_000_000_01)).toBe('over20M');
  });
});
