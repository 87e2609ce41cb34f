import { describe, expect, it } from 'vitest';
import { canReadPortrait, redactPortrait } from '../../../domain/credit/access';
import { assemblePortrait } from '../../../domain/credit/portrait';
import { AS_OF, CODE, okOutcomes } from './fixtures';

const now = new Date('2026-06-15T10:00:00Z');
const grant = { bankId: 'bank-1', sections: ['registration', 'riskInformation', 'creditScore'], expiresAt: '2026-07-01T00:00:00Z', revokedAt: null };

describe('canReadPortrait', () => {
  it('allows the granted bank the requested sections within scope', () => {
    expect(canReadPortrait(grant, 'bank-1', ['registration', 'creditScore'], now)).toEqual({
      allowed: true,
      sections: ['registration', 'creditScore'],
      reason: 'granted',
      denied: [],
    });
  });
  it('gives every granted section when none is named', () => {
    expect(canReadPortrait(grant, 'bank-1', [], now).sections).toEqual(['registration', 'riskInformation', 'creditScore']);
  });
  it('refuses without a grant', () => {
    expect(canReadPortrait(undefined, 'bank-1', ['registration'], now)).toMatchObject({ allowed: false, sections: [], reason: 'no_grant' });
  });
  it('refuses another bank', () => {
    expect(canReadPortrait(grant, 'bank-2', ['registration'], now)).toMatchObject({ allowed: false, reason: 'wrong_bank' });
  });
  it('refuses an expired grant, including at the exact expiry instant', () => {
    expect(canReadPortrait(grant, 'bank-1', ['registration'], new Date('2026-07-01T00:00:00Z'))).toMatchObject({ allowed: false, reason: 'expired' });
    expect(canReadPortrait(grant, 'bank-1', ['registration'], new Date('2026-06-30T23:59:59Z')).allowed).toBe(true);
  });
  it('refuses a revoked grant from the revocation instant', () => {
    const revoked = { ...grant, revokedAt: new Date('2026-06-15T09:00:00Z') };
    expect(canReadPortrait(revoked, 'bank-1', ['registration'], now)).toMatchObject({ allowed: false, reason: 'revoked' });
    const later = { ...grant, revokedAt: '2026-06-16T00:00:00Z' };
    expect(canReadPortrait(later, 'bank-1', ['registration'], now).allowed).toBe(true);
  });
  it('refuses when every requested section is outside the grant', () => {
    expect(canReadPortrait(grant, 'bank-1', ['operations'], now)).toMatchObject({ allowed: false, reason: 'sections_outside_scope', denied: ['operations'] });
  });
  it('narrows a request that is partly outside the grant', () => {
    expect(canReadPortrait(grant, 'bank-1', ['operations', 'riskInformation'], now)).toEqual({
      allowed: true,
      sections: ['riskInformation'],
      reason: 'narrowed',
      denied: ['operations'],
    });
  });
  it('fails closed on an unparseable expiry', () => {
    expect(canReadPortrait({ ...grant, expiresAt: 'soon' }, 'bank-1', [], now)).toMatchObject({ allowed: false, reason: 'expired' });
  });
});

describe('redactPortrait', () => {
  it('keeps only allowed sections and the score only with creditScore', () => {
    const p = assemblePortrait({ creditCode: CODE, asOf: AS_OF, outcomes: okOutcomes() });
    const r = redactPortrait(p, ['registration']);
    expect(Object.keys(r.sections ?? {})).toEqual(['registration']);
    expect(r.score).toBeUndefined();
    expect(redactPortrait(p, ['creditScore']).score?.score).toBe(p.score.score);
  });
});
