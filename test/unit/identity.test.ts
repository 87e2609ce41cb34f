import { describe, expect, it } from 'vitest';
import { consentBlocker, initialStatus, maskMobile, publicMobileProblem } from '../../domain/identity';
import { ratingOpenWithoutLoan } from '../../domain/rating';
import { formValues, validateApplication } from '../../api/pages/loanCodeFields';

const day = 86_400_000;

describe('identity rules', () => {
  it('lets only an active enterprise with a vouched contact grant consent', () => {
    const verified = new Date();
    expect(consentBlocker({ status: 'active', source: 'api', mobileVerifiedAt: null })).toBeUndefined();
    expect(consentBlocker({ status: 'active', source: 'loan_code', mobileVerifiedAt: null })).toMatch(/not verified/);
    expect(consentBlocker({ status: 'active', source: 'self', mobileVerifiedAt: null })).toMatch(/not verified/);
    expect(consentBlocker({ status: 'active', source: 'loan_code', mobileVerifiedAt: verified })).toBeUndefined();
    expect(consentBlocker({ status: 'pending_review', source: 'loan_code', mobileVerifiedAt: verified })).toMatch(/pending_review/);
    expect(consentBlocker({ status: 'suspended', source: 'api', mobileVerifiedAt: verified })).toMatch(/suspended/);
    expect(initialStatus(true)).toBe('pending_review');
    expect(initialStatus(false)).toBe('active');
  });

  it('accepts only mainland mobiles on public forms and masks numbers', () => {
    expect(publicMobileProblem('+8613912345678')).toBeUndefined();
    for (const n of ['+14155550100', '+447700900123', '+85291234567', '+8612345678901', '+86139123456']) expect(publicMobileProblem(n), n).toMatch(/mainland/);
    expect(maskMobile('+8613912345678')).toBe('139****5678');
    const good = {
      companyName: '嘉兴测试有限公司',
      creditCode: '91330400MA2B3C4D56',
      contactName: '张三',
      amountWan: '10',
      termMonths: '12',
      purpose: '流动资金',
    };
    const intl = validateApplication(formValues({ ...good, mobile: '+14155550100' }));
    expect(intl.ok).toBe(false);
    if (!intl.ok) expect(intl.errors.mobile).toContain('+86');
    expect(validateApplication(formValues({ ...good, mobile: '0086 139 1234 5678' })).ok).toBe(true);
  });

  it('opens a rating without a loan for expired, unmatched and declined requests, for 30 days', () => {
    const closed = new Date('2026-11-01T00:00:00Z');
    expect(ratingOpenWithoutLoan('expired', closed, new Date(closed.getTime() + day))).toBe(true);
    expect(ratingOpenWithoutLoan('all_declined', closed, new Date(closed.getTime() + 29 * day))).toBe(true);
    expect(ratingOpenWithoutLoan('unmatched', closed, new Date(closed.getTime() + 31 * day))).toBe(false);
    expect(ratingOpenWithoutLoan('withdrawn', closed, closed)).toBe(false);
    expect(ratingOpenWithoutLoan('completed', closed, closed)).toBe(false);
    expect(ratingOpenWithoutLoan(null, closed, closed)).toBe(false);
  });
});
