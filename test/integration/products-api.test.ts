// The credit supermarket on the real stack: banks publish products, everyone searches them,
// enterprises get ranked matches and apply, and a new product's matching run fills the bank's inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productMatchingWorkflow } from '../../workflows/productMatching';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s?.close();
});

const WAN = 1_000_000; // fen per 万元
const run = Math.random().toString(36).slice(2, 8);
const key = (k: string) => ({ 'Idempotency-Key': `${k}-${run}` });
const hecheng = as('bank:hecheng-rcb');
const jiaxing = as('bank:jiaxing-bank');
const suzhou = as('bank:suzhou-bank');
const icbc = as('bank:icbc-jiaxing');
const enterprise = as('enterprise');

/** Hecheng's tech loan: manufacturing and IT in Zhejiang, credit or guarantee, 50–800 万, 6–36 months. */
const techLoan = {
  name: '禾城科技贷 Tech loan',
  description: 'For manufacturers and software firms in Zhejiang',
  minAmountFen: 50 * WAN,
  maxAmountFen: 800 * WAN,
  minTermMonths: 6,
  maxTermMonths: 36,
  minAnnualRateBp: 385,
  maxAnnualRateBp: 520,
  guaranteeMethods: ['credit', 'guarantee'],
  industries: ['C', 'I'],
  regions: ['330000'],
};

async function publish(headers: Record<string, string>, k: string, body: Record<string, unknown>) {
  const r = await s.api('POST', '/v1/products', body, { ...headers, ...key(k) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; matchingWorkflowId: string | null; [k: string]: unknown };
}

let tech: { id: string };

describe('products', () => {
  it('a bank publishes a product; a retry answers the same; other roles and banks are refused', async () => {
    const created = await publish(hecheng, 'tech', techLoan);
    tech = created;
    expect(created).toMatchObject({
      bankId: 'hecheng-rcb',
      status: 'active',
      minAmountFen: 50 * WAN,
      guaranteeMethods: ['credit', 'guarantee'],
      popularity: { applications: 0, loans: 0 },
    });
    expect(created.matchingWorkflowId).toMatch(new RegExp(`^product-matching-${created.id}-\\d+$`));

    const retry = await s.api('POST', '/v1/products', techLoan, { ...hecheng, ...key('tech') });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(created.id);

    expect((await s.api('POST', '/v1/products', techLoan, { ...enterprise, ...key('tech-ent') })).status).toBe(403);
    expect((await s.api('POST', '/v1/products', { ...techLoan, bankId: 'jiaxing-bank' }, { ...hecheng, ...key('tech-other') })).status).toBe(403);
    const inverted = await s.api('POST', '/v1/products', { ...techLoan, minAmountFen: 900 * WAN }, { ...hecheng, ...key('tech-inv') });
    expect(inverted.status).toBe(400);
    expect(inverted.body.errors.map((e: { field: string }) => e.field)).toContain('body.minAmountFen');
    const unknown = await s.api('POST', '/v1/products', { ...techLoan, color: 'red' }, { ...hecheng, ...key('tech-unk') });
    expect(unknown.status).toBe(400);
    expect((await s.api('POST', '/v1/products', techLoan, hecheng)).status).toBe(400);
  });

  it('only the owning bank may change a product; suspended products are hidden from others', async () => {
    const foreign = await s.api('PATCH', `/v1/products/${tech.id}`, { status: 'suspended' }, jiaxing);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const suspended = await s.api('PATCH', `/v1/products/${tech.id}`, { status: 'suspended' }, hecheng);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', matchingWorkflowId: null });
    expect((await s.api('GET', `/v1/products/${tech.id}`, undefined, enterprise)).status).toBe(404);
    expect((await s.api('GET', `/v1/products/${tech.id}`, undefined, hecheng)).body.status).toBe('suspended');
    const applyWhileSuspended = await s.api(
      'POST',
      `/v1/products/${tech.id}/apply`,
      { amountFen: 300 * WAN, termMonths: 12, purpose: 'new CNC line', guaranteeMethod: 'credit' },
      { ...enterprise, ...key('apply-suspended') },
    );
    expect(applyWhileSuspended.status).toBe(409);
    expect(applyWhileSuspended.body.type).toMatch(/product-not-active$/);

    const inverted = await s.api('PATCH', `/v1/products/${tech.id}`, { minTermMonths: 48 }, hecheng);
    expect(inverted.status).toBe(422);
    expect(inverted.body.type).toMatch(/invalid-ranges$/);

    const reactivated = await s.api('PATCH', `/v1/products/${tech.id}`, { status: 'active' }, hecheng);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body.status).toBe('active');
    expect(reactivated.body.matchingWorkflowId).toMatch(/^product-matching-/);
    expect((await s.api('GET', `/v1/products/${tech.id}`, undefined, enterprise)).status).toBe(200);
  });

  it('an enterprise applies: a request directed to the product bank, claim origin product, in the bank inbox', async () => {
    const body = { amountFen: 300 * WAN, termMonths: 12, purpose: 'new CNC line', guaranteeMethod: 'credit', dataConsent: true };
    const applied = await s.api('POST', `/v1/products/${tech.id}/apply`, body, { ...enterprise, ...key('apply') });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body).toMatchObject({ productId: tech.id, bankId: 'hecheng-rcb', stage: 'published' });
    expect(applied.body.reasons).toContain('industry C is among C, I');
    const id = applied.body.id as string;

    const retry = await s.api('POST', `/v1/products/${tech.id}/apply`, body, { ...enterprise, ...key('apply') });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(id);

    const request = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, enterprise),
      (r) => r.body.claims?.length === 1,
    );
    expect(request.body).toMatchObject({ productId: tech.id, routing: 'directed', directedBankIds: ['hecheng-rcb'] });
    expect(request.body.claims[0]).toMatchObject({ bankId: 'hecheng-rcb', origin: 'product', status: 'offered' });

    const inbox = await s.api('GET', '/v1/inbox', undefined, hecheng);
    expect(inbox.status).toBe(200);
    expect(inbox.body.directed.find((x: { id: string }) => x.id === id)).toMatchObject({ productId: tech.id, claim: { origin: 'product', status: 'offered' } });
    // The directed request is the bank's business only.
    const elsewhere = await s.api('GET', '/v1/inbox', undefined, jiaxing);
    expect(elsewhere.body.directed.some((x: { id: string }) => x.id === id)).toBe(false);
  });

  it('a non-fitting application is refused with 422 listing the failed rules', async () => {
    const tooBig = await s.api(
      'POST',
      `/v1/products/${tech.id}/apply`,
      { amountFen: 2000 * WAN, termMonths: 48, purpose: 'warehouse', guaranteeMethod: 'mortgage' },
      { ...enterprise, ...key('apply-big') },
    );
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.type).toMatch(/product-not-fit$/);
    expect(tooBig.body.failedRules.map((r: { rule: string }) => r.rule)).toEqual(['amount', 'term', 'guaranteeMethod']);
    expect(tooBig.body.detail).toContain('amount CNY 20,000,000 is outside CNY 500,000–8,000,000');

    const farm = await publish(jiaxing, 'farm', {
      ...techLoan,
      name: '嘉兴银行 强农贷 Farm loan',
      industries: ['A'],
      requiredTags: ['agriculture_related'],
      minScore: 650,
    });
    const notFarm = await s.api(
      'POST',
      `/v1/products/${farm.id}/apply`,
      { amountFen: 300 * WAN, termMonths: 12, purpose: 'new CNC line', guaranteeMethod: 'credit' },
      { ...enterprise, ...key('apply-farm') },
    );
    expect(notFarm.status).toBe(422);
    expect(notFarm.body.failedRules.map((r: { rule: string }) => r.rule)).toEqual(['industry', 'score', 'tags']);
    expect(notFarm.body.metRules.map((r: { rule: string }) => r.rule)).toEqual(['amount', 'term', 'guaranteeMethod', 'region']);
    expect(await s.db.prisma.financingRequest.count({ where: { productId: farm.id } })).toBe(0);
    expect((await s.api('POST', `/v1/products/${farm.id}/apply`, { amountFen: 1 }, { ...hecheng, ...key('apply-bank') })).status).toBe(403);
  });

  it('search filters by the catalogue tiers, institution and guarantee method, and sorts by rate, amount and popularity', async () => {
    const big = await publish(icbc, 'big', {
      ...techLoan,
      name: '工行 大额经营贷 Large business loan',
      industries: [],
      regions: [],
      minAmountFen: 1000 * WAN,
      maxAmountFen: 10_000 * WAN,
      minAnnualRateBp: 310,
      maxAnnualRateBp: 340,
      guaranteeMethods: ['mortgage'],
    });
    const get = async (q: string) => {
      const r = await s.api('GET', `/v1/products?${q}`, undefined, enterprise);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as {
        items: { id: string; bankId: string; minAnnualRateBp: number; maxAmountFen: number; guaranteeMethods: string[] }[];
        total: number;
        nextOffset: number | null;
      };
    };
    const ids = (b: { items: { id: string }[] }) => b.items.map((x) => x.id);

    const byRate = await get('sort=rate&limit=100');
    expect(byRate.items.map((x) => x.minAnnualRateBp)).toEqual([...byRate.items.map((x) => x.minAnnualRateBp)].sort((a, b) => a - b));
    expect(ids(byRate)[0]).toBe(big.id);
    const byAmount = await get('sort=maxAmount&limit=100');
    expect(byAmount.items.map((x) => x.maxAmountFen)).toEqual([...byAmount.items.map((x) => x.maxAmountFen)].sort((a, b) => b - a));
    expect(ids(byAmount)[0]).toBe(big.id);

    expect(ids(await get('amountTier=gt1000'))).toContain(big.id);
    expect(ids(await get('amountTier=gt1000'))).not.toContain(tech.id);
    expect(ids(await get('amountTier=300-500'))).toEqual(expect.arrayContaining([tech.id]));
    expect(ids(await get('amountTier=300-500'))).not.toContain(big.id);
    expect(ids(await get('rateTier=0-3.5'))).toContain(big.id);
    expect(ids(await get('rateTier=0-3.5'))).not.toContain(tech.id);
    expect(ids(await get(`amountFen=${600 * WAN}&termTier=12-36`))).toContain(tech.id);
    expect(ids(await get(`amountFen=${900 * WAN}`))).not.toContain(tech.id);
    const mortgage = await get('guaranteeMethod=mortgage&limit=100');
    expect(mortgage.items.every((x) => x.guaranteeMethods.length === 0 || x.guaranteeMethods.includes('mortgage'))).toBe(true);
    expect(ids(mortgage)).toContain(big.id);
    expect(ids(mortgage)).not.toContain(tech.id);
    expect((await get('bankId=icbc-jiaxing')).items.every((x) => x.bankId === 'icbc-jiaxing')).toBe(true);
    expect((await s.api('GET', '/v1/products?amountTier=huge', undefined, enterprise)).status).toBe(400);

    // Popularity: the tech loan has one application; two more for the large loan put it first.
    for (const k of ['pop-1', 'pop-2']) {
      const r = await s.api(
        'POST',
        `/v1/products/${big.id}/apply`,
        { amountFen: 1500 * WAN, termMonths: 24, purpose: 'new plant', guaranteeMethod: 'mortgage' },
        { ...enterprise, ...key(k) },
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await eventually(
      () => s.db.prisma.financingRequest.count({ where: { productId: big.id } }),
      (n) => n === 2,
    );
    const popular = await get('limit=3');
    expect(ids(popular).slice(0, 2)).toEqual([big.id, tech.id]);
    expect(popular.items[0]).toMatchObject({ popularity: { applications: 2, loans: 0 } });
    expect(popular.nextOffset).toBe(3);
    const next = await get('limit=3&offset=3');
    expect(ids(next).some((id) => ids(popular).includes(id))).toBe(false);
    expect(next.total).toBe(popular.total);
  });

  it('an enterprise gets its eligible products ranked, with the reasons each fits', async () => {
    const r = await s.api('GET', `/v1/product-matches?amountFen=${300 * WAN}&termMonths=12&guaranteeMethod=credit`, undefined, enterprise);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const items = r.body.items as { product: { id: string; name: string }; rank: number; fit: number; reasons: string[] }[];
    const ranks = items.map((x) => x.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const techMatch = items.find((x) => x.product.id === tech.id)!;
    expect(techMatch.reasons).toEqual(
      expect.arrayContaining([
        'amount CNY 3,000,000 is within CNY 500,000–8,000,000',
        'guarantee method credit is among credit, guarantee',
        'industry C is among C, I',
        'region 330400 is in 330000',
        'popular: 1 applications, 0 loans',
      ]),
    );
    // The tech loan names the credit method and the amount sits mid-range: it outranks the broad demo products.
    expect(items[0]!.product.id).toBe(tech.id);
    // The farm loan and the mortgage-only large loan do not fit.
    expect(items.every((x) => !/Farm loan|Large business loan/.test(x.product.name))).toBe(true);
    expect(r.body.need).toMatchObject({ amountFen: 300 * WAN, termMonths: 12, guaranteeMethod: 'credit', financingRequestId: null });

    // Without a query the need is the latest open request: the large-loan applications (mortgage, 1500 万).
    const fromRequest = await s.api('GET', '/v1/product-matches', undefined, enterprise);
    expect(fromRequest.body.need).toMatchObject({ amountFen: 1500 * WAN, termMonths: 24, guaranteeMethod: 'mortgage' });
    expect(fromRequest.body.need.financingRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromRequest.body.items.map((x: { product: { id: string } }) => x.product.id)).not.toContain(tech.id);
    expect((await s.api('GET', '/v1/product-matches', undefined, hecheng)).status).toBe(403);
  });

  it('a newly published product is matched against open needs: ProductMatch rows, the bank inbox, one notification', async () => {
    const pool = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 1200 * WAN, termMonths: 18, purpose: 'equipment financing', guaranteeMethod: 'pledge', routing: 'pool' },
      { ...enterprise, ...key('pool') },
    );
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    const requestId = pool.body.id as string;
    // The same need sent point-to-point to one bank (no fallback to the pool): not mined for the others.
    const directed = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 1200 * WAN,
        termMonths: 18,
        purpose: 'equipment financing',
        guaranteeMethod: 'pledge',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb'],
      },
      { ...enterprise, ...key('directed') },
    );
    expect(directed.status, JSON.stringify(directed.body)).toBe(201);
    // Directed with fallback to the pool: still point-to-point until its bank lets it go, so not mined either.
    const fallback = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 1200 * WAN,
        termMonths: 18,
        purpose: 'equipment financing',
        guaranteeMethod: 'pledge',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb'],
        fallbackToPool: true,
      },
      { ...enterprise, ...key('fallback') },
    );
    expect(fallback.status, JSON.stringify(fallback.body)).toBe(201);
    await eventually(
      () => s.db.prisma.financingRequest.count({ where: { id: { in: [requestId, directed.body.id, fallback.body.id] } } }),
      (n) => n === 3,
    );

    const pledge = await publish(suzhou, 'pledge', {
      ...techLoan,
      name: '苏州银行 设备质押贷 Equipment pledge loan',
      minAmountFen: 1000 * WAN,
      maxAmountFen: 2000 * WAN,
      minTermMonths: 12,
      maxTermMonths: 24,
      guaranteeMethods: ['pledge'],
      industries: ['C'],
      regions: ['330400'],
    });
    const strict = await publish(jiaxing, 'strict', {
      ...techLoan,
      name: '嘉兴银行 优质企业贷',
      guaranteeMethods: ['pledge'],
      maxAmountFen: 2000 * WAN,
      minScore: 800,
    });

    const inbox = await eventually(
      () => s.api('GET', '/v1/inbox', undefined, suzhou),
      (r) => r.body.productMatches?.some((m: { id: string }) => m.id === requestId),
    );
    const item = inbox.body.productMatches.find((m: { id: string }) => m.id === requestId);
    expect(item).toMatchObject({ amountFen: 1200 * WAN, guaranteeMethod: 'pledge', match: { productId: pledge.id } });
    expect(item.match.score).toBeGreaterThan(0);
    expect(item.match.reasons).toContain('guarantee method pledge is among pledge');

    const result = await s.client.workflow.getHandle<typeof productMatchingWorkflow>(pledge.matchingWorkflowId!).result();
    expect(result.matched).toBeGreaterThanOrEqual(1);
    expect(result.notificationIds.length).toBeGreaterThan(0);
    const told = await s.db.prisma.notification.findMany({ where: { templateId: 'productMatchesFound', recipientId: 'suzhou-bank' } });
    expect(told.map((n) => n.channel)).toContain('inbox');
    expect(told[0]!.params).toMatchObject({ productName: '苏州银行 设备质押贷 Equipment pledge loan', bankName: expect.any(String) });

    // No score on record: the product requiring 800 matches nothing, and nobody is told.
    const none = await s.client.workflow.getHandle<typeof productMatchingWorkflow>(strict.matchingWorkflowId!).result();
    expect(none).toMatchObject({ matched: 0, newMatches: 0, notificationIds: [] });
    expect(await s.db.prisma.productMatch.count({ where: { productId: strict.id } })).toBe(0);
    expect(await s.db.prisma.productMatch.count({ where: { productId: pledge.id, financingRequestId: { in: [directed.body.id, fallback.body.id] } } })).toBe(0);
    expect((await s.api('GET', `/v1/financing-requests/${fallback.body.id}`, undefined, suzhou)).status).toBe(404);
  });
});
