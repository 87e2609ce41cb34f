// The loan-code form's fields: what a phone keyboard sends, normalised and validated, with a
// bilingual message per field. Amounts are typed in 万元 and converted to integer fen by string
// arithmetic (1 万元 = 1,000,000 fen), never through floats.
import { MAX_AMOUNT_FEN } from '../schemas/financingRequests';
import { creditCode, mobile } from '../schemas/enterprises';
import { publicMobileProblem } from '../../domain/identity';

export const FORM_FIELDS = ['companyName', 'creditCode', 'contactName', 'mobile', 'amountWan', 'termMonths', 'purpose'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** What the form shows back: the raw strings the user typed (re-rendered on an error). */
export type FormValues = Record<FormField, string> & { dataConsent: boolean; formToken: string };

export interface LoanCodeApplication {
  companyName: string;
  creditCode: string;
  contactName: string;
  contactMobile: string;
  amountFen: number;
  termMonths: number;
  purpose: string;
  dataConsent: boolean;
}

export type FieldErrors = Partial<Record<FormField, string>>;

const FEN_PER_WAN = 1_000_000n;

/** Full-width digits and punctuation (common on Chinese keyboards) to ASCII. */
const toHalfWidth = (s: string): string => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** "300", "12.5", "1,000" 万元 → fen; undefined unless a positive amount with at most 6 decimals. */
export function wanToFen(input: string): number | undefined {
  const s = toHalfWidth(input).replace(/[\s,]/g, '');
  const m = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return undefined;
  const fen = BigInt(m[1]!) * FEN_PER_WAN + BigInt((m[2] ?? '').padEnd(6, '0'));
  if (fen <= 0n || fen > BigInt(MAX_AMOUNT_FEN)) return undefined;
  return Number(fen);
}

/** 13912345678, 139 1234 5678, 86-139…, 0086… → +8613912345678; anything else is left for the E.164 check. */
export function normaliseMobile(input: string): string {
  const s = toHalfWidth(input).replace(/[\s\-()]/g, '');
  if (/^1\d{10}$/.test(s)) return `+86${s}`;
  if (/^861\d{10}$/.test(s)) return `+${s}`;
  if (/^00\d+$/.test(s)) return `+${s.slice(2)}`;
  return s;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/** The submitted body as the strings the form re-renders (repeated or missing fields become one string). */
export function formValues(body: unknown): FormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out = Object.fromEntries(FORM_FIELDS.map((f) => [f, str(b[f]).slice(0, 1000)])) as Record<FormField, string>;
  return { ...out, dataConsent: ['on', 'true', '1', 'yes'].includes(str(b.dataConsent)), formToken: str(b.formToken) };
}

const textLength = (s: string, min: number, max: number): boolean => {
  const n = [...s.trim()].length;
  return n >= min && n <= max;
};

/** Validates every field (all errors at once, so the user fixes them in one pass). */
export function validateApplication(v: FormValues): { ok: true; value: LoanCodeApplication } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!textLength(v.companyName, 2, 200)) errors.companyName = '请填写企业名称（2–200字） / Enter the company name (2–200 characters)';
  const code = creditCode.safeParse(toHalfWidth(v.creditCode).replace(/\s/g, ''));
  if (!code.success) errors.creditCode = `统一社会信用代码有误 / Unified social credit code: ${code.error.issues[0]?.message ?? 'invalid'}`;
  if (!textLength(v.contactName, 1, 100)) errors.contactName = '请填写联系人姓名 / Enter the contact person (up to 100 characters)';
  const phone = mobile.safeParse(normaliseMobile(v.mobile));
  if (!phone.success) errors.mobile = `手机号码有误 / Mobile number: ${phone.error.issues[0]?.message ?? 'invalid'}`;
  else if (publicMobileProblem(phone.data)) errors.mobile = '仅支持中国大陆手机号码（+86） / Only mainland China mobile numbers (+86) are accepted';
  const amountFen = wanToFen(v.amountWan);
  if (amountFen === undefined) errors.amountWan = '请填写融资金额（万元，最多6位小数） / Enter the amount in 万元 (CNY 10,000), e.g. 300 or 12.5';
  const term = /^\d{1,3}$/.test(toHalfWidth(v.termMonths).trim()) ? Number(toHalfWidth(v.termMonths).trim()) : NaN;
  if (!(term >= 1 && term <= 360)) errors.termMonths = '期限为1–360个月 / Term: 1–360 months';
  if (!textLength(v.purpose, 2, 500)) errors.purpose = '请填写资金用途（2–500字） / Enter the purpose (2–500 characters)';
  if (Object.keys(errors).length > 0 || !code.success || !phone.success || amountFen === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      companyName: v.companyName.trim(),
      creditCode: code.data,
      contactName: v.contactName.trim(),
      contactMobile: phone.data,
      amountFen,
      termMonths: term,
      purpose: v.purpose.trim(),
      dataConsent: v.dataConsent,
    },
  };
}
