// Registering institutions and their users through the API, as an admin would: shared by the
// institution tests and the workbench's browser tests.
import { randomUUID } from 'node:crypto';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { as, type TestStack } from './stack';

/** A valid unified social credit code (GB 32100-2015) that no other test uses. */
export function newCreditCode(): string {
  const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const first17 = `91330400MA${digits.slice(0, 7)}`;
  return first17 + creditCodeCheckChar(first17)!;
}

export const slug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const key = () => ({ 'Idempotency-Key': `t-${randomUUID()}` });

export interface InstitutionUser {
  id: string;
  email: string;
  password: string;
  /** Authorization header from a signed-in token. */
  auth: Record<string, string>;
}

export async function registerBank(s: TestStack, o: { id?: string; name?: string; email: string; mobile?: string; region?: string }) {
  const r = await s.api(
    'POST',
    '/v1/banks',
    {
      id: o.id ?? slug('bank'),
      name: o.name ?? '测试农商银行',
      nameEn: 'Test Rural Commercial Bank',
      creditCode: newCreditCode(),
      kind: 'head_office',
      region: o.region ?? '330400',
      regions: [o.region ?? '330400'],
      email: o.email,
      mobile: o.mobile ?? '+8613800009999',
    },
    { ...as('admin'), ...key() },
  );
  if (r.status !== 201) throw new Error(`register bank: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; name: string };
}

export async function registerGuarantor(s: TestStack, o: { id?: string; name?: string; email: string; feeRateBp?: number }) {
  const r = await s.api(
    'POST',
    '/v1/guarantee-institutions',
    {
      id: o.id ?? slug('gi'),
      name: o.name ?? '测试融资担保有限公司',
      nameEn: 'Test Financing Guarantee Co.',
      creditCode: newCreditCode(),
      kind: 'head_office',
      region: '330400',
      email: o.email,
      mobile: '+8613800008888',
      isFund: true,
      feeRateBp: o.feeRateBp ?? 80,
    },
    { ...as('admin'), ...key() },
  );
  if (r.status !== 201) throw new Error(`register guarantor: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; name: string };
}

export async function signIn(s: TestStack, email: string, password: string): Promise<Record<string, string>> {
  const t = await s.api('POST', '/v1/auth/token', { email, password });
  if (t.status !== 200) throw new Error(`sign-in ${email}: ${t.status}`);
  return { authorization: `Bearer ${t.body.token}` };
}

/** Creates a user of the institution (as the platform admin unless `by` is given) and signs it in. */
export async function addUser(
  s: TestStack,
  segment: 'banks' | 'guarantee-institutions',
  institutionId: string,
  o: { role: 'officer' | 'approver' | 'admin'; name?: string; email?: string; mobile?: string },
  by: Record<string, string> = as('admin'),
): Promise<InstitutionUser> {
  const email = o.email ?? `${o.role}-${randomUUID().slice(0, 8)}@${institutionId}.example`;
  const password = `pw-${randomUUID()}`;
  const r = await s.api(
    'POST',
    `/v1/${segment}/${institutionId}/users`,
    { name: o.name ?? `${o.role} of ${institutionId}`, email, password, institutionRole: o.role, ...(o.mobile ? { mobile: o.mobile } : {}) },
    { ...by, ...key() },
  );
  if (r.status !== 201) throw new Error(`add user: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, email, password, auth: await signIn(s, email, password) };
}

export const WAN = 1_000_000;

/** A broad product, so the bank is eligible for ordinary pool requests. */
export async function broadProduct(s: TestStack, auth: Record<string, string>, name = '测试流动资金贷') {
  const r = await s.api(
    'POST',
    '/v1/products',
    {
      name,
      minAmountFen: 1 * WAN,
      maxAmountFen: 5000 * WAN,
      minTermMonths: 1,
      maxTermMonths: 60,
      minAnnualRateBp: 350,
      maxAnnualRateBp: 800,
    },
    { ...auth, ...key() },
  );
  if (r.status !== 201) throw new Error(`product: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
}

export async function publishPool(s: TestStack, purpose = 'pool request', extra: Record<string, unknown> = {}) {
  const r = await s.api(
    'POST',
    '/v1/financing-requests',
    { amountFen: 200 * WAN, termMonths: 12, purpose, guaranteeMethod: 'credit', routing: 'pool', dataConsent: true, ...extra },
    { ...as('enterprise'), ...key() },
  );
  if (r.status !== 201) throw new Error(`publish: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export { key as idempotency };
