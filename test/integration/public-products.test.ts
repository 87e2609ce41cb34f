// The open credit supermarket: no sign-in, the signed-in search's tier filters and popularity order,
// only active products of active banks, no institution-internal fields, and a per-IP limit.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
const PUBLIC_PER_MINUTE = 10; // the route allows 3 × this per IP

beforeAll(async () => {
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 5000, publicPerIpPerMinute: PUBLIC_PER_MINUTE } } });
  // A policy product with an internal minimum score, a suspended one, and one of an inactive bank.
  await s.db.prisma.bank.create({ data: { id: 'closed-bank', name: 'Closed Bank', region: '330400', active: false } });
  const base = { minAmountFen: 1_000_000n, maxAmountFen: 250_000_000n, minTermMonths: 6, maxTermMonths: 24, minAnnualRateBp: 380, maxAnnualRateBp: 520 };
  await s.db.prisma.product.createMany({
    data: [
      { id: randomUUID(), bankId: 'hecheng-rcb', name: '公开测试 政策贷', ...base, guaranteeMethods: ['credit'], minScore: 640, policyProduct: true },
      { id: randomUUID(), bankId: 'hecheng-rcb', name: '公开测试 已暂停', ...base, guaranteeMethods: ['credit'], status: 'suspended' },
      { id: randomUUID(), bankId: 'closed-bank', name: '公开测试 停业银行', ...base, guaranteeMethods: ['credit'] },
    ],
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const ids = (b: { items: { id: string }[] }) => b.items.map((x) => x.id);

describe('GET /v1/public/products', () => {
  it('answers without sign-in, with the same filters and popularity order as the signed-in search', async () => {
    const queries = ['', '?amountTier=200-300', '?termTier=12-36&rateTier=3.5-4.5', '?guaranteeMethod=credit&sort=popularity', '?bankId=hecheng-rcb&sort=rate'];
    for (const q of queries) {
      const open = await s.api('GET', `/v1/public/products${q}`);
      expect(open.status, q).toBe(200);
      const signedIn = await s.api('GET', `/v1/products${q}&limit=100`.replace(/^([^?]*)&/, '$1?'), undefined, as('enterprise'));
      // The signed-in search also lists products of deactivated banks; the public one does not.
      const expected = signedIn.body.items.filter((x: { bankId: string }) => x.bankId !== 'closed-bank').map((x: { id: string }) => x.id);
      const openAll = await s.api('GET', `/v1/public/products${q}&limit=100`.replace(/^([^?]*)&/, '$1?'));
      expect(ids(openAll.body), q).toEqual(expected);
    }
    const all = await s.api('GET', '/v1/public/products?limit=100');
    const names = all.body.items.map((x: { name: string }) => x.name);
    expect(names).toContain('公开测试 政策贷');
    expect(names).not.toContain('公开测试 已暂停');
    expect(names).not.toContain('公开测试 停业银行');
    expect(all.body.items.length).toBeGreaterThan(1);
  });

  it('shows no institution-internal field', async () => {
    const r = await s.api('GET', '/v1/public/products?limit=100');
    const policy = r.body.items.find((x: { name: string }) => x.name === '公开测试 政策贷');
    expect(policy).toMatchObject({ bankName: expect.any(String), minAnnualRateBp: 380, guaranteeMethods: ['credit'], policyProduct: true });
    expect(policy.apply.endpoint).toBe(`/v1/products/${policy.id}/apply`);
    for (const item of r.body.items)
      for (const k of ['minScore', 'minRegisteredCapitalFen', 'maxRegisteredCapitalFen', 'status', 'popularity', 'createdAt', 'updatedAt'])
        expect(item).not.toHaveProperty(k);
    // status is not a public filter.
    expect((await s.api('GET', '/v1/public/products?status=suspended')).status).toBe(400);
  });

  it('is rate limited per IP with a problem+json 429', async () => {
    let limited: Awaited<ReturnType<TestStack['api']>> | undefined;
    for (let i = 0; i < PUBLIC_PER_MINUTE * 3 + 1 && !limited; i++) {
      const r = await s.api('GET', '/v1/public/products?limit=1');
      if (r.status === 429) limited = r;
    }
    expect(limited?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited?.body.type).toMatch(/rate-limited$/);
  });
});
