// The loan-code form's field rules: 万元 to integer fen without floats, phone-keyboard input, all errors at once.
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { formValues, normaliseMobile, validateApplication, wanToFen } from '../../api/pages/loanCodeFields';

const code17 = '91330402MA2B3C4D5';
const CODE = code17 + creditCodeCheckChar(code17)!;

describe('wanToFen', () => {
  it('converts 万元 to fen exactly', () => {
    expect(wanToFen('300')).toBe(300_000_000);
    expect(wanToFen('0.1')).toBe(100_000);
    expect(wanToFen('12.345678')).toBe(12_345_678);
    // 0.29 * 1e6 in floats is 289999.99999999994
    expect(wanToFen('0.29')).toBe(290_000);
    expect(wanToFen('1,000')).toBe(1_000_000_000);
    expect(wanToFen('３００．５')).toBe(300_500_000);
    expect(wanToFen('1000000')).toBe(1_000_000_000_000);
  });
  it('refuses zero, negatives, too many decimals, too large and junk', () => {
    for (const bad of ['', '0', '0.000000', '-5', '1.2345678', '1000000.000001', '1e3', 'abc', '.5', '5.']) expect(wanToFen(bad)).toBeUndefined();
  });
});

describe('normaliseMobile', () => {
  it('accepts what people type', () => {
    expect(normaliseMobile('139 1234 5678')).toBe('+8613912345678');
    expect(normaliseMobile('8613912345678')).toBe('+8613912345678');
    expect(normaliseMobile('0086-139-1234-5678')).toBe('+8613912345678');
    expect(normaliseMobile('+44 7700 900123')).toBe('+447700900123');
  });
});

describe('validateApplication', () => {
  const good = {
    formToken: 't',
    companyName: ' 嘉兴禾城机械有限公司 ',
    creditCode: CODE.toLowerCase(),
    contactName: '王伟',
    mobile: '13912345678',
    amountWan: '50.5',
    termMonths: '12',
    purpose: '流动资金',
    dataConsent: 'on',
  };
  it('normalises a valid application', () => {
    const r = validateApplication(formValues(good));
    expect(r).toEqual({
      ok: true,
      value: {
        companyName: '嘉兴禾城机械有限公司',
        creditCode: CODE,
        contactName: '王伟',
        contactMobile: '+8613912345678',
        amountFen: 50_500_000,
        termMonths: 12,
        purpose: '流动资金',
        dataConsent: true,
      },
    });
  });
  it('reports every bad field at once, bilingually', () => {
    const r = validateApplication(formValues({ ...good, creditCode: code17 + 'Z', mobile: '12345', amountWan: '0', termMonths: '400', companyName: 'A' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['amountWan', 'companyName', 'creditCode', 'mobile', 'termMonths']);
    expect(r.errors.creditCode).toMatch(/^统一社会信用代码有误 \/ /);
  });
  it('treats missing and repeated fields as strings', () => {
    const v = formValues({ companyName: ['a', 'b'], dataConsent: undefined });
    expect(v.companyName).toBe('a');
    expect(v.creditCode).toBe('');
    expect(v.dataConsent).toBe(false);
  });
});
