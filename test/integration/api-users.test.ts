// The API's users: onboarding with validation and supervisor review, what each role sees of
// requests (its own, never another bank's claim or offer), inboxes, cursor pagination, rate limits.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
beforeAll(async () => {
  // Suzhou style review on; a low per-principal limit so the rate-limit test stays short.
  s = await startTestStack({ apiConfig: { enterpriseReviewRequired: true, rateLimits: { perPrincipalPerMinute: 300, publicPerIpPerMinute: 20 } } });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const key = () => ({ 'Idempotency-Key': `u-${randomUUID()}` });
let serial = 0;
/** A valid unified social credit code (GB 32100-2015 check character computed). */
function creditCode(): string {
  serial += 1;
  const first17 = `91330400MA${String(Date.now() % 1e5).padStart(5, '0')}${String(serial).padStart(2, '0')}`;
  return first17 + creditCodeCheckChar(first17)!;
}
const registration = (code: string) => ({
  creditCode: code,
  name: '嘉兴测试纺织有限公司',
  contactName: '陈静',
  contactMobile: '+8613812345678',
  industry: 'C',
  region: '330400',
  registeredCapitalFen: 200_000_000,
  tags: ['high_tech'],
  user: { name: '陈静', email: `chen-${randomUUID().slice(0, 8)}@textile.example`, password: 'a-long-enough-password' },
});

describe('enterprise onboarding', () => {
  it('validates the credit code check character, the +86 mobile and the industry section, field by field', async () => {
    const good = creditCode();
    const wrongCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const r = await s.api(
      'POST',
      '/v1/enterprises',
      { ...registration(wrongCheck), contactMobile: '+861381234567', industry: 'Z' },
      { ...as('supervisor'), ...key() },
    );
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.contactMobile', 'body.creditCode', 'body.industry']);
    expect(r.body.errors.find((e: { field: string }) => e.field === 'body.creditCode').message).toMatch(/check character/);
    expect(r.body.stack).toBeUndefined();
    // Unknown fields are refused, not ignored.
    const extra = await s.api('POST', '/v1/enterprises', { ...registration(good), status: 'active' }, { ...as('supervisor'), ...key() });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].code).toBe('unrecognized_keys');
  });

  it('registers an enterprise pending review; it cannot publish until a supervisor approves it; retries do not duplicate', async () => {
    const code = creditCode();
    const body = registration(code);
    const k = key();
    const r = await s.api('POST', '/v1/enterprises', body, { ...as('supervisor'), ...k });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ creditCode: code, status: 'pending_review', tags: ['high_tech'] });
    const apiKey = r.body.user.apiKey as string;
    expect(apiKey).toMatch(/^lb_[a-z0-9]{12}_/);
    // The retry creates nothing; the API key was shown once and is not stored, so it says so.
    const again = await s.api('POST', '/v1/enterprises', body, { ...as('supervisor'), ...k });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/secret-shown-once$/);
    expect(again.body.id).toBe(r.body.id);
    expect(JSON.stringify(await s.db.prisma.idempotentResponse.findMany())).not.toContain(apiKey.split('_')[2]);
    // Stored answers expire: one older than a day is neither replayed nor kept.
    await s.db.prisma.idempotentResponse.updateMany({ data: { createdAt: new Date(Date.now() - 2 * 86_400_000) } });
    const oldKey = key();
    await s.api('POST', '/v1/api-keys', { name: 'expiry probe' }, { ...as('admin'), ...oldKey });
    expect(await s.db.prisma.idempotentResponse.count({ where: { createdAt: { lt: new Date(Date.now() - 86_400_000) } } })).toBe(0);
    expect(await s.db.prisma.enterprise.count({ where: { creditCode: code } })).toBe(1);
    const dup = await s.api('POST', '/v1/enterprises', body, { ...as('admin'), ...key() });
    expect(dup.status).toBe(409);
    expect(dup.body.enterpriseId).toBe(r.body.id);

    const me = { authorization: `Bearer ${apiKey}` };
    const publish = { amountFen: 50_000_000, termMonths: 6, purpose: 'raw materials', guaranteeMethod: 'credit', routing: 'pool' };
    const early = await s.api('POST', '/v1/financing-requests', publish, { ...me, ...key() });
    expect(early.status).toBe(403);
    expect(early.body.type).toMatch(/enterprise-not-active$/);

    const pending = await s.api('GET', '/v1/enterprises?status=pending_review', undefined, as('supervisor'));
    expect(pending.body.items.map((e: { id: string }) => e.id)).toContain(r.body.id);
    expect((await s.api('POST', `/v1/enterprises/${r.body.id}/review`, { decision: 'reject' }, { ...as('supervisor'), ...key() })).status).toBe(400);
    const ok = await s.api('POST', `/v1/enterprises/${r.body.id}/review`, { decision: 'approve' }, { ...as('supervisor'), ...key() });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('active');
    expect((await s.api('POST', `/v1/enterprises/${r.body.id}/review`, { decision: 'approve' }, { ...as('supervisor'), ...key() })).status).toBe(409);

    const published = await s.api('POST', '/v1/financing-requests', publish, { ...me, ...key() });
    expect(published.status).toBe(201);
    // Its own user reads it and itself; the demo enterprise does not see it.
    expect((await s.api('GET', `/v1/enterprises/${r.body.id}`, undefined, me)).status).toBe(200);
    expect((await s.api('GET', `/v1/enterprises/${r.body.id}`, undefined, as('enterprise'))).status).toBe(404);
    // Web sign-in with the user's password gives a token that acts as the same principal.
    const t = await s.api('POST', '/v1/auth/token', { email: body.user.email, password: body.user.password });
    expect(t.status).toBe(200);
    expect((await s.api('GET', '/v1/me', undefined, { authorization: `Bearer ${t.body.token}` })).body.enterpriseId).toBe(r.body.id);
  });
});

describe('what each role sees', () => {
  it('a bank sees only its own claim and offer; the enterprise sees all; lists page with a cursor', async () => {
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 220_000_000,
        termMonths: 12,
        purpose: 'two banks compete',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb', 'jiaxing-bank'],
      },
      { ...as('enterprise'), ...key() },
    );
    expect(pub.status).toBe(201);
    const id = pub.body.id as string;
    const base = `/v1/financing-requests/${id}`;
    const offer = { approvedAmountFen: 200_000_000, annualRateBp: 420, termMonths: 12, repaymentMethod: 'equal_installment' };
    for (const bank of ['hecheng-rcb', 'jiaxing-bank']) {
      const h = as(`bank:${bank}`);
      await eventually(
        () => s.api('POST', `${base}/accept`, {}, { ...h, ...key() }),
        (r) => r.status === 200,
      );
      expect((await s.api('POST', `${base}/start-review`, {}, { ...h, ...key() })).status).toBe(200);
      expect((await s.api('POST', `${base}/approve`, { ...offer, annualRateBp: bank === 'hecheng-rcb' ? 420 : 399 }, { ...h, ...key() })).status).toBe(200);
    }
    const full = await eventually(
      () => s.api('GET', base, undefined, as('enterprise')),
      (r) => r.body.claims?.filter((c: { offer: unknown }) => c.offer).length === 2,
    );
    expect(full.body.claims.map((c: { bankId: string }) => c.bankId).sort()).toEqual(['hecheng-rcb', 'jiaxing-bank']);
    const hecheng = await s.api('GET', base, undefined, as('bank:hecheng-rcb'));
    expect(hecheng.status).toBe(200);
    expect(hecheng.body.claims).toHaveLength(1);
    expect(hecheng.body.claims[0]).toMatchObject({ bankId: 'hecheng-rcb', offer: { annualRateBp: 420 } });
    expect(hecheng.body.directedBankIds).toEqual(['hecheng-rcb']);
    expect(JSON.stringify(hecheng.body)).not.toContain('jiaxing-bank');
    // The other bank's rate (399 bp) appears nowhere (a timestamp may contain the digits, so match the field).
    expect(JSON.stringify(hecheng.body)).not.toMatch(/"annualRateBp":399/);
    // A bank it never reached does not learn it exists.
    expect((await s.api('GET', base, undefined, as('bank:suzhou-bank'))).status).toBe(404);

    // The enterprise's inbox offers both; choosing is the enterprise's, through the API.
    const inbox = await s.api('GET', '/v1/inbox', undefined, as('enterprise'));
    expect(
      inbox.body.offersToChoose
        .filter((o: { id: string }) => o.id === id)
        .map((o: { bankId: string }) => o.bankId)
        .sort(),
    ).toEqual(['hecheng-rcb', 'jiaxing-bank']);

    // Lists: the bank's list holds the request, with its own claim only; cursor pages do not overlap.
    const second = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 10_000_000, termMonths: 3, purpose: 'a second request', guaranteeMethod: 'credit', routing: 'pool' },
      { ...as('enterprise'), ...key() },
    );
    expect(second.status).toBe(201);
    await eventually(
      () => s.db.prisma.financingRequest.count({ where: { id: second.body.id } }),
      (n) => n === 1,
    );
    const list = await s.api('GET', '/v1/financing-requests?limit=1', undefined, as('enterprise'));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await s.api('GET', `/v1/financing-requests?limit=1&cursor=${list.body.nextCursor}`, undefined, as('enterprise'));
    expect(next.body.items[0].id).not.toBe(list.body.items[0].id);
    const bankList = await s.api('GET', '/v1/financing-requests?stage=approved', undefined, as('bank:hecheng-rcb'));
    const mine = bankList.body.items.find((x: { id: string }) => x.id === id);
    expect(mine.claims.map((c: { bankId: string }) => c.bankId)).toEqual(['hecheng-rcb']);
    expect(
      (await s.api('GET', '/v1/financing-requests?stage=approved', undefined, as('bank:suzhou-bank'))).body.items.some((x: { id: string }) => x.id === id),
    ).toBe(false);
    expect((await s.api('GET', '/v1/financing-requests?cursor=garbage', undefined, as('enterprise'))).status).toBe(400);
  });

  it("a bank's inbox lists directed requests to answer and open-pool requests it may grab", async () => {
    const directed = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 80_000_000,
        termMonths: 12,
        purpose: 'directed to suzhou',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['suzhou-bank'],
      },
      { ...as('enterprise'), ...key() },
    );
    const pool = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 90_000_000, termMonths: 12, purpose: 'open to all banks', guaranteeMethod: 'credit', routing: 'pool' },
      { ...as('enterprise'), ...key() },
    );
    const inbox = await eventually(
      () => s.api('GET', '/v1/inbox', undefined, as('bank:suzhou-bank')),
      (r) => r.body.directed?.some((x: { id: string }) => x.id === directed.body.id) && r.body.pool?.some((x: { id: string }) => x.id === pool.body.id),
    );
    expect(inbox.body.role).toBe('bank');
    const inPool = inbox.body.pool.find((x: { id: string }) => x.id === pool.body.id);
    expect(inPool).toMatchObject({ slotsLeft: 3, enterpriseName: expect.stringContaining('嘉兴示例') });
    // Once it grabbed, the request leaves its pool list and shows among its claims.
    expect((await s.api('POST', `/v1/financing-requests/${pool.body.id}/grab`, {}, { ...as('bank:suzhou-bank'), ...key() })).status).toBe(200);
    const after = await eventually(
      () => s.api('GET', '/v1/inbox', undefined, as('bank:suzhou-bank')),
      (r) => r.body.claims.some((x: { id: string }) => x.id === pool.body.id),
    );
    expect(after.body.pool.some((x: { id: string }) => x.id === pool.body.id)).toBe(false);
    // Other banks still see 2 slots left.
    const other = await s.api('GET', '/v1/inbox', undefined, as('bank:jiaxing-bank'));
    expect(other.body.pool.find((x: { id: string }) => x.id === pool.body.id)?.slotsLeft).toBe(2);
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with RateLimit headers once a principal exceeds its budget', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestStack['api']>> | undefined;
    for (let i = 0; i < 320 && !limited; i++) {
      const r = await s.api('GET', '/v1/me', undefined, as('guaranteeInstitution'));
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(limited).toBeDefined();
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(290);
    expect(limited!.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(limited!.body.type).toMatch(/rate-limited$/);
    expect(limited!.headers.get('ratelimit-policy') ?? limited!.headers.get('ratelimit')).toBeTruthy();
    // Another principal is not affected.
    expect((await s.api('GET', '/v1/me', undefined, as('admin'))).status).toBe(200);
  });

  it('limits sign-in attempts per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await s.api('POST', '/v1/auth/token', { email: 'nobody@example.com', password: 'x' })).status);
    expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
    expect(codes).toContain(429);
  });

  it('ignores X-Forwarded-For unless a proxy is configured: a client cannot rotate its way past the per-IP limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++)
      codes.push((await s.api('POST', '/v1/auth/token', { email: 'nobody@example.com', password: 'x' }, { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
    expect(codes).toContain(429);
  });

  it('limits unauthenticated /v1 calls per IP and audits them once per address and minute, not once per call', async () => {
    const before = await s.db.prisma.accessAudit.count({ where: { principalId: null, status: 401 } });
    const codes: number[] = [];
    for (let i = 0; i < 80; i++) codes.push((await s.api('GET', '/v1/me', undefined, i % 2 ? {} : { authorization: `Bearer lb_nokey${i}_secret` })).status);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    await new Promise((r) => setTimeout(r, 300)); // audit writes are fire-and-forget
    expect((await s.db.prisma.accessAudit.count({ where: { principalId: null, status: 401 } })) - before).toBeLessThanOrEqual(1);
  });
});
