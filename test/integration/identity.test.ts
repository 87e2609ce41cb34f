// Enterprise identity against the real stack: codes go through the outbox and the real twilio
// library to a Twilio-speaking server, and are read from the messages it received. Regression
// tests for each forgery of the loan-code form: a typed mobile that is not the registered one
// grants and publishes nothing; an unknown credit code cannot consent before verification (nor
// while awaiting review); non-mainland numbers are refused with a 4xx; the SMS budget holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { ONE_TIME_CODE_POLICY } from '../../domain/identity';
import { startFakeTwilio, type FakeTwilio } from '../../tools/fake-twilio';
import { eventually } from '../support/eventually';
import { codeFromTwilio, codeSmsCount } from '../support/sms';
import { as, startTestStack, type TestStack } from '../support/stack';

const BANK = 'bank:hecheng-rcb';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const PER_NUMBER_PER_DAY = 4;

function newCreditCode(): string {
  let body = '91330402';
  for (let i = 0; i < 9; i++) body += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return body + creditCodeCheckChar(body)!;
}
let mobileSeq = 0;
/** A fresh mainland mobile per test (budgets are per number). */
const newMobile = () => `+86137${String(Date.now() % 1_000_000).padStart(6, '0')}${String(mobileSeq++ % 100).padStart(2, '0')}`;
const key = (k: string) => ({ 'Idempotency-Key': `${k}-${Math.random().toString(36).slice(2, 10)}` });

let s: TestStack;
let fake: FakeTwilio;
let code: { id: string; url: string };

beforeAll(async () => {
  fake = await startFakeTwilio();
  s = await startTestStack({
    notificationEnv: { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fake.baseUrl },
    apiConfig: {
      rateLimits: { perPrincipalPerMinute: 5000, publicPerIpPerMinute: 1000 },
      oneTimeCodes: { resendIntervalMs: 0, perNumberPerHour: 100, perNumberPerDay: PER_NUMBER_PER_DAY, perIpPerHour: 10_000 },
    },
  });
  const created = await s.api('POST', '/v1/loan-codes', { label: 'identity' }, { ...as(BANK), ...key('code') });
  expect(created.status).toBe(201);
  code = created.body;
}, 120_000);
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

const formToken = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)?.[1];
const challengeOf = (html: string) => /name="challengeId" value="([^"]+)"/.exec(html)?.[1];

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${s.apiUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

/** Fills in the loan-code form; returns the answer (the code page on success). */
async function submitForm(fields: Record<string, string>) {
  const token = formToken(await (await fetch(code.url)).text())!;
  const res = await post(`/l/${code.id}`, {
    companyName: '嘉兴身份测试有限公司',
    contactName: '赵六',
    amountWan: '30',
    termMonths: '6',
    purpose: '流动资金',
    formToken: token,
    ...fields,
  });
  const html = await res.text();
  return { res, html, challengeId: challengeOf(html) };
}

async function registerBySupervisor(contactMobile: string) {
  const creditCode = newCreditCode();
  const r = await s.api(
    'POST',
    '/v1/enterprises',
    { creditCode, name: '嘉兴已登记企业有限公司', contactName: '钱七', contactMobile, industry: 'C', region: '330400', registeredCapitalFen: 100_000_000 },
    { ...as('supervisor'), ...key('ent') },
  );
  expect(r.status).toBe(201);
  return { id: r.body.id as string, creditCode };
}

const requestsOf = (enterpriseId: string) => s.db.prisma.financingRequest.findMany({ where: { enterpriseId } });
const sentTo = (mobile: string) => fake.messages.filter((m) => m.to === mobile);

describe('the loan-code form proves control of the registered mobile', () => {
  it('sends the code to the registered mobile, not the typed one; without it nothing is published or granted; wrong codes lock it', async () => {
    const registered = newMobile();
    const typed = newMobile();
    const e = await registerBySupervisor(registered);
    const first = await submitForm({ creditCode: e.creditCode, mobile: typed.slice(3), dataConsent: 'on' });
    expect(first.res.status).toBe(200);
    expect(first.html).toContain('id="registered-note"');
    expect(first.html).toContain(`${registered.slice(3, 6)}****${registered.slice(-4)}`);
    await codeFromTwilio(fake, registered);
    expect(sentTo(typed)).toHaveLength(0);

    // The squatter guesses: every wrong code is refused, and after 5 the code is dead even when right.
    for (let i = 0; i < 5; i++) {
      const wrong = await post(`/l/${code.id}/verify`, { challengeId: first.challengeId!, code: '000000' });
      expect(wrong.status).toBe(422);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    }
    const { code: right } = await codeFromTwilio(fake, registered);
    const locked = await post(`/l/${code.id}/verify`, { challengeId: first.challengeId!, code: right });
    expect(locked.status).toBe(429);
    expect(await requestsOf(e.id)).toHaveLength(0);
    expect(await s.db.prisma.portraitGrant.count({ where: { enterpriseId: e.id } })).toBe(0);
    expect(await s.db.prisma.loanCodeSubmission.count({ where: { enterpriseId: e.id } })).toBe(0);

    // The registered contact: reads the SMS, types it, and the request goes out with consent.
    const since = fake.messages.length;
    const second = await submitForm({ creditCode: e.creditCode, mobile: registered.slice(3), amountWan: '31', dataConsent: 'on' });
    expect(second.html).not.toContain('id="registered-note"');
    const sms = await codeFromTwilio(fake, registered, since);
    expect(sms.body).toMatch(/^【贷桥】验证码\d{6}，5分钟内有效/);
    const ok = await post(`/l/${code.id}/verify`, { challengeId: second.challengeId!, code: sms.code });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/t\//);
    const rows = await eventually(
      () => requestsOf(e.id),
      (r) => r.length === 1,
    );
    expect(rows[0]).toMatchObject({ dataConsent: true, directedBankIds: ['hecheng-rcb'], amountFen: 31_000_000n });
    // A used code is used: the stored hash is not the code, the outbox text is blanked.
    const stored = await s.db.prisma.oneTimeCode.findUniqueOrThrow({ where: { id: second.challengeId! } });
    expect(stored.codeHash).not.toContain(sms.code);
    expect(stored.consumedAt).not.toBeNull();
    const outbox = await s.db.prisma.notification.findFirstOrThrow({ where: { id: { startsWith: `otp:${second.challengeId}` } } });
    expect(JSON.stringify(outbox.params)).not.toContain(sms.code);
  });

  it('an unknown credit code creates an unverified enterprise that cannot consent before verification, nor while awaiting review', async () => {
    const mobile = newMobile();
    const creditCode = newCreditCode();
    const form = await submitForm({ creditCode, mobile: mobile.slice(3), dataConsent: 'on' });
    expect(form.res.status).toBe(200);
    const e = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
    expect(e).toMatchObject({ source: 'loan_code', status: 'active', mobileVerifiedAt: null, contactMobile: mobile });
    // Nothing is published, nothing granted, before the code.
    expect(await requestsOf(e.id)).toHaveLength(0);
    const wrong = await post(`/l/${code.id}/verify`, { challengeId: form.challengeId!, code: '123456' });
    expect([422, 429]).toContain(wrong.status);
    expect(await requestsOf(e.id)).toHaveLength(0);

    // Review on: the record waits for a supervisor. A verified mobile publishes to the code's bank, without consent.
    await s.db.prisma.enterprise.update({ where: { id: e.id }, data: { status: 'pending_review' } });
    const since = fake.messages.length;
    const again = await submitForm({ creditCode, mobile: mobile.slice(3), amountWan: '40', dataConsent: 'on' });
    const sms = await codeFromTwilio(fake, mobile, since);
    const ok = await post(`/l/${code.id}/verify`, { challengeId: again.challengeId!, code: sms.code });
    expect(ok.status).toBe(303);
    const rows = await eventually(
      () => requestsOf(e.id),
      (r) => r.length === 1,
    );
    expect(rows[0]).toMatchObject({ dataConsent: false, directedBankIds: ['hecheng-rcb'] });
    expect(await s.db.prisma.enterprise.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({
      status: 'pending_review',
      mobileVerifiedAt: expect.any(Date),
    });

    // Approved by a supervisor: now its verified contact's consent counts.
    const approved = await s.api('POST', `/v1/enterprises/${e.id}/review`, { decision: 'approve' }, { ...as('supervisor'), ...key('rev') });
    expect(approved.status).toBe(200);
    const since2 = fake.messages.length;
    const third = await submitForm({ creditCode, mobile: mobile.slice(3), amountWan: '41', dataConsent: 'on' });
    const sms2 = await codeFromTwilio(fake, mobile, since2);
    expect((await post(`/l/${code.id}/verify`, { challengeId: third.challengeId!, code: sms2.code })).status).toBe(303);
    const after = await eventually(
      () => requestsOf(e.id),
      (r) => r.length === 2,
    );
    expect(after.find((r) => r.amountFen === 41_000_000n)?.dataConsent).toBe(true);
  });

  it('refuses non-mainland numbers with a clear 4xx and sends them nothing', async () => {
    const before = fake.messages.length;
    const intl = await submitForm({ creditCode: newCreditCode(), mobile: '+14155550123', dataConsent: 'on' });
    expect(intl.res.status).toBe(422);
    expect(intl.html).toContain('data-field="mobile"');
    expect(intl.html).toContain('+86');
    const api = await s.api('POST', '/v1/enterprise-registrations', {
      creditCode: newCreditCode(),
      name: '海外号码测试有限公司',
      contactName: 'Lee',
      contactMobile: '+447700900123',
      industry: 'C',
      region: '330400',
    });
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(api.body.errors)).toContain('mainland');
    // An enterprise a supervisor registered with a foreign number gets no code through a public form.
    const foreign = await registerBySupervisor('+14155550177');
    const form = await submitForm({ creditCode: foreign.creditCode, mobile: '13912345678' });
    expect(form.res.status).toBe(422);
    expect(form.html).toContain('not a mainland');
    const signIn = await s.api('POST', '/v1/auth/sms-code', { creditCode: foreign.creditCode });
    expect(signIn.status).toBe(422);
    expect(signIn.body.type).toMatch(/mobile-not-mainland$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages.slice(before).filter((m) => !m.to.startsWith('+86'))).toHaveLength(0);
  });

  it(`holds the daily SMS budget per number: request ${PER_NUMBER_PER_DAY + 1} is refused and sends nothing`, async () => {
    const mobile = newMobile();
    const e = await registerBySupervisor(mobile);
    for (let i = 0; i < PER_NUMBER_PER_DAY; i++) expect((await s.api('POST', '/v1/auth/sms-code', { creditCode: e.creditCode })).status).toBe(202);
    const refused = await s.api('POST', '/v1/auth/sms-code', { creditCode: e.creditCode });
    expect(refused.status).toBe(429);
    expect(refused.body.type).toMatch(/sms-budget-exhausted$/);
    // The public form shares the number's budget.
    const form = await submitForm({ creditCode: e.creditCode, mobile: mobile.slice(3) });
    expect(form.res.status).toBe(429);
    expect(await codeSmsCount(s.db.prisma, e.id)).toBe(PER_NUMBER_PER_DAY);
    await eventually(
      async () => sentTo(mobile).length,
      (n) => n === PER_NUMBER_PER_DAY,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(mobile)).toHaveLength(PER_NUMBER_PER_DAY);
  });
});

describe('SMS sign-in, self-registration and supervisor corrections', () => {
  it('signs an enterprise in on a phone with a code to its registered mobile', async () => {
    const mobile = newMobile();
    const e = await registerBySupervisor(mobile);
    const since = fake.messages.length;
    const c = await s.api('POST', '/v1/auth/sms-code', { creditCode: e.creditCode });
    expect(c.status).toBe(202);
    expect(c.body.maskedMobile).toBe(`${mobile.slice(3, 6)}****${mobile.slice(-4)}`);
    const { code: sms } = await codeFromTwilio(fake, mobile, since);
    expect((await s.api('POST', '/v1/auth/sms-token', { challengeId: c.body.challengeId, code: sms === '999999' ? '000000' : '999999' })).status).toBe(422);
    const t = await s.api('POST', '/v1/auth/sms-token', { challengeId: c.body.challengeId, code: sms });
    expect(t.status).toBe(200);
    const me = await s.api('GET', '/v1/me', undefined, { authorization: `Bearer ${t.body.token}` });
    expect(me.body).toMatchObject({ role: 'enterprise', enterpriseId: e.id });
    // A code works once.
    expect((await s.api('POST', '/v1/auth/sms-token', { challengeId: c.body.challengeId, code: sms })).status).toBe(409);
    expect((await s.api('POST', '/v1/auth/sms-code', { creditCode: newCreditCode() })).status).toBe(404);
  });

  it('registers an enterprise by itself: idempotent, clear conflicts, verified by code, profile edits and tags confirmed by a supervisor', async () => {
    const mobile = newMobile();
    const creditCode = newCreditCode();
    const body = {
      creditCode,
      name: '嘉兴自助注册有限公司',
      contactName: '孙八',
      contactMobile: mobile,
      industry: 'I',
      region: '330402',
      registeredCapitalFen: 5_000_000_00,
    };
    const a = await s.api('POST', '/v1/enterprise-registrations', body);
    expect(a.status).toBe(202);
    const b = await s.api('POST', '/v1/enterprise-registrations', body);
    expect(b.body).toMatchObject({ enterpriseId: a.body.enterpriseId, challengeId: a.body.challengeId });
    expect(await codeSmsCount(s.db.prisma, a.body.enterpriseId)).toBe(1);
    const other = await s.api('POST', '/v1/enterprise-registrations', { ...body, contactMobile: newMobile() });
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/enterprise-claimed$/);
    // Not verified yet: no way to act (no principal), and consent is refused by the rules.
    const { code: sms } = await codeFromTwilio(fake, mobile);
    const v = await s.api('POST', '/v1/enterprise-registrations/verify', { challengeId: a.body.challengeId, code: sms });
    expect(v.status).toBe(200);
    expect(v.body.enterprise).toMatchObject({ id: a.body.enterpriseId, status: 'active', source: 'self' });
    const auth = { authorization: `Bearer ${v.body.token}` };
    expect((await s.api('POST', '/v1/enterprise-registrations', body)).status).toBe(409);

    const edit = await s.api('PATCH', `/v1/enterprises/${a.body.enterpriseId}/profile`, { email: 'cfo@example.com', proposedTags: ['high_tech'] }, auth);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ email: 'cfo@example.com', tags: [], proposedTags: ['high_tech'] });
    expect((await s.api('PATCH', `/v1/enterprises/${a.body.enterpriseId}/profile`, { contactMobile: newMobile() }, auth)).status).toBe(400);
    expect((await s.api('PATCH', `/v1/enterprises/${a.body.enterpriseId}/profile`, { email: 'x@example.com' }, as('enterprise'))).status).toBe(404);
    expect((await s.api('POST', `/v1/enterprises/${a.body.enterpriseId}/tags`, { tags: ['high_tech'] }, { ...auth, ...key('tags') })).status).toBe(403);
    const confirmed = await s.api('POST', `/v1/enterprises/${a.body.enterpriseId}/tags`, { tags: ['high_tech'] }, { ...as('supervisor'), ...key('tags') });
    expect(confirmed.body).toMatchObject({ tags: ['high_tech'], proposedTags: [] });
    const events = await s.api('GET', `/v1/enterprises/${a.body.enterpriseId}/identity-events`, undefined, auth);
    expect(events.body.items.map((x: { action: string }) => x.action)).toEqual(['tags_confirmed', 'profile_updated', 'mobile_verified']);
  });

  it('lets a supervisor take a squatted record back (sessions and grants end, audited) and release one without requests', async () => {
    // The squatter claims a company that is not on the platform yet, verifies its own phone and signs in.
    const squatter = newMobile();
    const creditCode = newCreditCode();
    const body = { creditCode, name: '被冒用企业有限公司', contactName: '冒用者', contactMobile: squatter, industry: 'C', region: '330400' };
    const reg = await s.api('POST', '/v1/enterprise-registrations', body);
    const { code: sms } = await codeFromTwilio(fake, squatter);
    const v = await s.api('POST', '/v1/enterprise-registrations/verify', { challengeId: reg.body.challengeId, code: sms });
    const auth = { authorization: `Bearer ${v.body.token}` };
    expect((await s.api('GET', '/v1/me', undefined, auth)).status).toBe(200);
    const grant = await s.api(
      'POST',
      `/v1/enterprises/${reg.body.enterpriseId}/portrait-grants`,
      { bankId: 'hecheng-rcb', sections: ['registration'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      { ...auth, ...key('grant') },
    );
    expect(grant.status).toBe(201);
    // A request published with consent while the squatter held the record.
    const published = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 50_000_000,
        termMonths: 12,
        purpose: '流动资金',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb'],
        dataConsent: true,
      },
      { ...auth, ...key('pub') },
    );
    expect(published.status).toBe(201);

    // The real company complains; the supervisor reassigns the record to its contact.
    const real = newMobile();
    const fixed = await s.api(
      'POST',
      `/v1/enterprises/${reg.body.enterpriseId}/contact`,
      { contactMobile: real, contactName: '真实联系人', squatted: true, reason: '营业执照核验：原联系人非本企业人员' },
      { ...as('supervisor'), ...key('fix') },
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ contactMobile: real });
    expect((await s.api('GET', '/v1/me', undefined, auth)).status).toBe(401);
    expect(await s.db.prisma.portraitGrant.findUniqueOrThrow({ where: { id: grant.body.id } })).toMatchObject({ revokedAt: expect.any(Date) });
    const e = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { id: reg.body.enterpriseId } });
    expect(e.mobileVerifiedAt).toBeNull();
    const events = await s.api('GET', `/v1/enterprises/${reg.body.enterpriseId}/identity-events`, undefined, as('supervisor'));
    expect(events.body.items[0]).toMatchObject({
      action: 'contact_reassigned',
      reason: '营业执照核验：原联系人非本企业人员',
      detail: { squatted: true, grantsRevoked: 1 },
    });
    expect(
      (await s.api('POST', `/v1/enterprises/${reg.body.enterpriseId}/contact`, { contactMobile: real, reason: 'x y' }, { ...as(BANK), ...key('b') })).status,
    ).toBe(403);
    // The bank accepts the squatter's request afterwards: the consent no longer opens the portrait.
    await eventually(
      () => s.db.prisma.claim.count({ where: { financingRequestId: published.body.id } }),
      (n) => n === 1,
    );
    expect((await s.api('POST', `/v1/financing-requests/${published.body.id}/accept`, {}, { ...as(BANK), ...key('acc') })).status).toBe(200);
    await eventually(
      () => s.db.prisma.claim.findFirstOrThrow({ where: { financingRequestId: published.body.id } }),
      (c) => c.status === 'accepted',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(await s.db.prisma.portraitGrant.count({ where: { financingRequestId: published.body.id } })).toBe(0);
    // The real contact signs in with its own phone.
    const since = fake.messages.length;
    const c = await s.api('POST', '/v1/auth/sms-code', { creditCode });
    const realSms = await codeFromTwilio(fake, real, since);
    expect((await s.api('POST', '/v1/auth/sms-token', { challengeId: c.body.challengeId, code: realSms.code })).status).toBe(200);

    // Released: a squatted record with no requests is deleted and the credit code is free again.
    const other = newCreditCode();
    const squat2 = await s.api('POST', '/v1/enterprise-registrations', { ...body, creditCode: other, contactMobile: newMobile() });
    const released = await s.api('POST', `/v1/enterprises/${squat2.body.enterpriseId}/release`, { reason: '冒用登记' }, { ...as('supervisor'), ...key('rel') });
    expect(released.status).toBe(200);
    expect(await s.db.prisma.enterprise.count({ where: { creditCode: other } })).toBe(0);
    expect((await s.api('POST', '/v1/enterprise-registrations', { ...body, creditCode: other, contactMobile: newMobile() })).status).toBe(202);
    // A record with requests is not deleted.
    const withRequests = await s.db.prisma.financingRequest.findFirstOrThrow({ select: { enterpriseId: true } });
    const refused = await s.api('POST', `/v1/enterprises/${withRequests.enterpriseId}/release`, { reason: '测试' }, { ...as('supervisor'), ...key('rel2') });
    expect(refused.status).toBe(409);
  });

  // Last in the file: it fills the platform-wide window.
  it('opens the circuit breaker when the platform sent too many codes in 10 minutes: 503 and no SMS', async () => {
    const e = await registerBySupervisor(newMobile());
    const recent = await s.db.prisma.oneTimeCode.count({ where: { createdAt: { gte: new Date(Date.now() - 10 * 60_000) } } });
    const fill = ONE_TIME_CODE_POLICY.globalPer10Minutes - recent;
    await s.db.prisma.oneTimeCode.createMany({
      data: Array.from({ length: fill }, () => ({
        id: randomUUID(),
        enterpriseId: randomUUID(),
        mobile: '+8613000000000',
        purpose: 'sign_in',
        codeHash: 'scrypt$x$y',
        expiresAt: new Date(Date.now() + 60_000),
      })),
    });
    const r = await s.api('POST', '/v1/auth/sms-code', { creditCode: e.creditCode });
    expect(r.status).toBe(503);
    expect(r.body.type).toMatch(/sms-circuit-open$/);
    expect(await codeSmsCount(s.db.prisma, e.id)).toBe(0);
  });
});
