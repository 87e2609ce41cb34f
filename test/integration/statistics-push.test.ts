// Platform statistics and precise push through the real stack. A small history is written straight
// into the database (five requests, hand-made claims, timeline events and loans); every expected
// figure below is computed by hand from that history, not by the code under test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
const WAN = 1_000_000; // fen per 万元
const code = (body17: string) => body17 + creditCodeCheckChar(body17)!;
const E = {
  e1: {
    id: randomUUID(),
    creditCode: code('91330402MA0000001'),
    name: '嘉兴一号精工有限公司',
    industry: 'C',
    region: '330402',
    tags: ['high_tech', 'tax_grade_a'],
  },
  e2: { id: randomUUID(), creditCode: code('91330411MA0000002'), name: '秀洲二号商贸有限公司', industry: 'F', region: '330411', tags: ['tax_grade_a'] },
  e3: { id: randomUUID(), creditCode: code('91330411MA0000003'), name: '秀洲三号机械有限公司', industry: 'C', region: '330411', tags: [] as string[] },
};
const R = { r1: randomUUID(), r2: randomUUID(), r3: randomUUID(), r4: randomUUID(), r5: randomUUID() };
const key = (k: string) => ({ 'Idempotency-Key': `${k}-${randomUUID()}` });
const sup = () => as('supervisor');

async function seedHistory() {
  const p = s.db.prisma;
  for (const e of Object.values(E))
    await p.enterprise.create({ data: { ...e, contactName: '测试', contactMobile: '+8613900000099', registeredCapitalFen: 100n * BigInt(WAN) } });
  const request = (
    id: string,
    enterpriseId: string,
    wan: number,
    termMonths: number,
    guaranteeMethod: any,
    createdAt: string,
    routing: 'directed' | 'pool',
    stage: any,
  ) =>
    p.financingRequest.create({
      data: {
        id,
        enterpriseId,
        idempotencyKey: `hist-${id}`,
        amountFen: BigInt(wan * WAN),
        termMonths,
        purpose: 'history',
        guaranteeMethod,
        routing,
        directedBankIds: [],
        fallbackToPool: false,
        dataConsent: false,
        stage,
        policyVersion: 'v1',
        workflowId: `financingRequest-${id}`,
        createdAt: new Date(createdAt),
      },
    });
  // R1: E1, 150万 mortgage, 12 months, published 2026-03-02 10:00 Shanghai; hecheng accepts, approves 120万 at 4.35 %, lends (first loan); jiaxing rejects.
  await request(R.r1, E.e1.id, 150, 12, 'mortgage', '2026-03-02T02:00:00Z', 'directed', 'closed');
  // R2: E2, 80万 credit, 6 months, published 2026-03-16 04:00 Shanghai (still the 15th in UTC); suzhou grabs, then declines.
  await request(R.r2, E.e2.id, 80, 6, 'credit', '2026-03-15T20:00:00Z', 'pool', 'closed');
  // R3: E3, 600万 guarantee, 36 months, 2026-04-10; icbc never answers (offer expired): not claimed.
  await request(R.r3, E.e3.id, 600, 36, 'guarantee', '2026-04-10T01:00:00Z', 'directed', 'closed');
  // R4: E1, 50万 credit, 3 months, 2026-04-20; hecheng approves 50万 at 4.80 % and lends (a credit loan, E1's second); jiaxing approves 40万, not chosen.
  await request(R.r4, E.e1.id, 50, 3, 'credit', '2026-04-20T03:00:00Z', 'directed', 'closed');
  // R5: E2, 1200万 pledge, 60 months, 2026-05-05 18:00 Shanghai; open in the pool, no claim.
  await request(R.r5, E.e2.id, 1200, 60, 'pledge', '2026-05-05T10:00:00Z', 'pool', 'published');

  const claim = (requestId: string, bankId: string, origin: any, status: any, offer?: { wan: number; bp: number }) =>
    p.claim.create({
      data: {
        id: `${requestId}:${bankId}`,
        financingRequestId: requestId,
        bankId,
        origin,
        status,
        ...(offer ? { approvedAmountFen: BigInt(offer.wan * WAN), annualRateBp: offer.bp, offerTermMonths: 12, repaymentMethod: 'equal_installment' } : {}),
      },
    });
  await claim(R.r1, 'hecheng-rcb', 'directed', 'disbursed', { wan: 120, bp: 435 });
  await claim(R.r1, 'jiaxing-bank', 'directed', 'rejected');
  await claim(R.r2, 'suzhou-bank', 'grab', 'declined');
  await claim(R.r3, 'icbc-jiaxing', 'directed', 'expired');
  await claim(R.r4, 'hecheng-rcb', 'directed', 'disbursed', { wan: 50, bp: 480 });
  await claim(R.r4, 'jiaxing-bank', 'directed', 'not_chosen', { wan: 40, bp: 520 });

  let n = 0;
  const event = (requestId: string, bankId: string | null, ev: string, at: string) =>
    p.stageEvent.create({
      data: {
        eventKey: `hist-${++n}`,
        financingRequestId: requestId,
        claimId: bankId ? `${requestId}:${bankId}` : null,
        event: ev,
        actor: 'system',
        at: new Date(at),
      },
    });
  await event(R.r1, 'hecheng-rcb', 'claim:offered', '2026-03-02T02:00:01Z');
  await event(R.r1, 'hecheng-rcb', 'claim:accepted', '2026-03-02T03:00:00Z');
  await event(R.r1, 'jiaxing-bank', 'claim:offered', '2026-03-02T02:00:01Z');
  await event(R.r1, 'jiaxing-bank', 'claim:rejected', '2026-03-02T04:00:00Z');
  await event(R.r2, 'suzhou-bank', 'claim:accepted', '2026-03-16T01:00:00Z');
  await event(R.r2, 'suzhou-bank', 'claim:declined', '2026-03-18T01:00:00Z');
  await event(R.r3, 'icbc-jiaxing', 'claim:offered', '2026-04-10T01:00:01Z');
  await event(R.r3, 'icbc-jiaxing', 'claim:expired', '2026-04-13T01:00:01Z');
  await event(R.r4, 'hecheng-rcb', 'claim:accepted', '2026-04-20T05:00:00Z');
  await event(R.r4, 'jiaxing-bank', 'claim:accepted', '2026-04-20T06:00:00Z');

  const loan = (requestId: string, wan: number, bp: number, firstLoan: boolean, creditLoan: boolean) =>
    p.loan.create({
      data: {
        id: `loan-${requestId}:hecheng-rcb`,
        claimId: `${requestId}:hecheng-rcb`,
        financingRequestId: requestId,
        bankId: 'hecheng-rcb',
        enterpriseId: E.e1.id,
        amountFen: BigInt(wan * WAN),
        annualRateBp: bp,
        termMonths: 12,
        repaymentMethod: 'equal_installment',
        disbursedOn: new Date('2026-03-05T00:00:00Z'),
        firstLoan,
        creditLoan,
      },
    });
  await loan(R.r1, 120, 435, true, false);
  await loan(R.r4, 50, 480, false, true);
}

beforeAll(async () => {
  s = await startTestStack();
  await seedHistory();
});
afterAll(async () => {
  await s?.close();
});

const byKey = (groups: any[], k: string) => groups.find((g) => g.key === k);

describe('GET /v1/statistics', () => {
  it('answers the hand-computed figures, rates included', async () => {
    const r = await s.api('GET', '/v1/statistics?to=2026-12-31', undefined, sup());
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({
      requests: 5,
      requestedFen: 2080 * WAN,
      claimed: 3,
      claimedFen: 280 * WAN,
      approved: 2,
      approvedFen: 170 * WAN,
      disbursed: 2,
      disbursedFen: 170 * WAN,
      firstLoanEnterprises: 1,
      creditLoans: 1,
      creditLoanFen: 50 * WAN,
      claimRate: 0.6,
      lendingRate: 0.4,
    });
    const b = r.body;
    expect(byKey(b.byIndustry, 'C')).toMatchObject({
      requests: 3,
      claimed: 2,
      disbursed: 2,
      claimRate: 0.6667,
      lendingRate: 0.6667,
      label: expect.stringContaining('制造业'),
    });
    expect(byKey(b.byIndustry, 'F')).toMatchObject({ requests: 2, claimed: 1, disbursed: 0, claimRate: 0.5, lendingRate: 0 });
    expect(byKey(b.byRegion, '330402')).toMatchObject({ requests: 2, requestedFen: 200 * WAN, disbursedFen: 170 * WAN });
    expect(byKey(b.byRegion, '330411')).toMatchObject({ requests: 3, claimed: 1, disbursed: 0 });
    expect(b.byAmountTier.map((g: any) => [g.key, g.requests])).toEqual([
      ['le100', 2],
      ['100-200', 1],
      ['200-300', 0],
      ['300-500', 0],
      ['500-1000', 1],
      ['gt1000', 1],
    ]);
    expect(b.byTermTier.map((g: any) => [g.key, g.requests])).toEqual([
      ['le3', 1],
      ['3-6', 1],
      ['6-12', 1],
      ['12-36', 1],
      ['gt36', 1],
    ]);
    expect(b.byRateTier.filter((g: any) => g.requests > 0).map((g: any) => [g.key, g.requests])).toEqual([
      ['3.5-4.5', 1],
      ['4.5-5.5', 1],
      ['none', 3],
    ]);
    expect(byKey(b.byGuaranteeMethod, 'credit')).toMatchObject({ requests: 2, claimed: 2, disbursed: 1, creditLoans: 1 });
    expect(byKey(b.byGuaranteeMethod, 'combination')).toMatchObject({ requests: 0, claimRate: null });
    expect(byKey(b.byBank, 'hecheng-rcb')).toMatchObject({
      requests: 2,
      requestedFen: 200 * WAN,
      claimed: 2,
      approved: 2,
      approvedFen: 170 * WAN,
      disbursed: 2,
      disbursedFen: 170 * WAN,
      firstLoanEnterprises: 1,
      creditLoans: 1,
      claimRate: 1,
      lendingRate: 1,
      name: expect.stringContaining('禾城'),
    });
    expect(byKey(b.byBank, 'jiaxing-bank')).toMatchObject({ requests: 2, claimed: 1, claimedFen: 50 * WAN, approved: 1, approvedFen: 40 * WAN, disbursed: 0 });
    expect(byKey(b.byBank, 'suzhou-bank')).toMatchObject({ requests: 1, claimed: 1, approved: 0 });
    expect(byKey(b.byBank, 'icbc-jiaxing')).toMatchObject({ requests: 1, claimed: 0, claimRate: 0 });
    expect(b.overTime.map((x: any) => [x.period, x.requests, x.disbursed])).toEqual([
      ['2026-03-01', 2, 1],
      ['2026-04-01', 2, 1],
      ['2026-05-01', 1, 0],
    ]);
  });

  it('buckets and filters by Asia/Shanghai days', async () => {
    const weeks = await s.api('GET', '/v1/statistics?from=2026-03-01&to=2026-05-31&bucket=week', undefined, sup());
    // R2 was published on Monday 16 March in Shanghai (Sunday 15th in UTC): its own week.
    expect(weeks.body.overTime.map((x: any) => x.period)).toEqual(['2026-03-02', '2026-03-16', '2026-04-06', '2026-04-20', '2026-05-04']);
    const day = await s.api('GET', '/v1/statistics?from=2026-03-16&to=2026-03-16&bucket=day', undefined, sup());
    expect(day.body.totals).toMatchObject({ requests: 1, claimed: 1, disbursed: 0, requestedFen: 80 * WAN });
    expect(day.body.overTime).toEqual([expect.objectContaining({ period: '2026-03-16', requests: 1 })]);
    const april = await s.api('GET', '/v1/statistics?from=2026-04-01&to=2026-04-30', undefined, sup());
    expect(april.body.totals).toMatchObject({ requests: 2, claimed: 1, disbursed: 1, claimRate: 0.5, lendingRate: 0.5 });
    expect((await s.api('GET', '/v1/statistics?from=2026-05-01&to=2026-04-01', undefined, sup())).status).toBe(400);
  });

  it('fresh=true waits for the pre-aggregated figures to catch up', async () => {
    const before = await s.api('GET', '/v1/statistics?to=2026-12-31', undefined, sup());
    const id = randomUUID();
    await s.db.prisma.financingRequest.create({
      data: {
        id,
        enterpriseId: E.e3.id,
        idempotencyKey: `hist-${id}`,
        amountFen: BigInt(10 * WAN),
        termMonths: 12,
        purpose: 'late',
        guaranteeMethod: 'other',
        routing: 'pool',
        directedBankIds: [],
        fallbackToPool: false,
        dataConsent: false,
        policyVersion: 'v1',
        workflowId: `financingRequest-${id}`,
        createdAt: new Date('2026-06-01T02:00:00Z'),
      },
    });
    const after = await s.api('GET', '/v1/statistics?to=2026-12-31&fresh=true', undefined, sup());
    expect(after.body.totals.requests).toBe(before.body.totals.requests + 1);
    expect(Date.parse(after.body.asOf)).toBeGreaterThan(Date.parse(before.body.asOf));
    await s.db.prisma.financingRequest.delete({ where: { id } });
    await s.api('GET', '/v1/statistics?fresh=true', undefined, sup());
  });

  it('is for supervisors and admins only', async () => {
    expect((await s.api('GET', '/v1/statistics', undefined, as('admin'))).status).toBe(200);
    for (const who of ['bank:hecheng-rcb', 'enterprise', 'guaranteeInstitution']) {
      const r = await s.api('GET', '/v1/statistics', undefined, as(who));
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await s.api('GET', '/v1/statistics')).status).toBe(401);
  });
});

describe('/v1/push-lists', () => {
  let byTag: string;

  it('builds a list by tags (any or all of them)', async () => {
    const any = await s.api('POST', '/v1/push-lists', { name: '纳税A级 tax grade A', tags: ['tax_grade_a'] }, { ...sup(), ...key('tags') });
    expect(any.status).toBe(201);
    expect(any.body).toMatchObject({ source: 'tags:tax_grade_a', entryCount: 2, unknownCreditCodes: [] });
    byTag = any.body.id;
    const all = await s.api(
      'POST',
      '/v1/push-lists',
      { name: 'tech and tax A', tags: ['high_tech', 'tax_grade_a'], match: 'all' },
      { ...sup(), ...key('all') },
    );
    expect(all.body).toMatchObject({ source: 'tags:high_tech+tax_grade_a', entryCount: 1 });
    const none = await s.api('POST', '/v1/push-lists', { name: 'nobody', tags: ['specialised_innovative'] }, { ...sup(), ...key('none') });
    expect(none.status).toBe(422);
    expect(none.body.type).toMatch(/empty-push-list$/);
  });

  it('builds a list from an uploaded CSV, reporting what it left out', async () => {
    const unknown = code('91330400MA9999999');
    const csv = [
      '统一社会信用代码,企业名称',
      `${E.e1.creditCode},${E.e1.name}`,
      `${E.e3.creditCode.toLowerCase()},别的名字`,
      unknown,
      'NOT-A-CODE',
      E.e1.creditCode,
      '',
    ].join('\n');
    const r = await s.api('POST', '/v1/push-lists?name=科技型企业名单', csv, { ...sup(), ...key('csv'), 'content-type': 'text/csv' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: '科技型企业名单',
      source: 'csv',
      entryCount: 2,
      unknownCreditCodes: [unknown],
      duplicates: 1,
      nameMismatches: [{ creditCode: E.e3.creditCode, given: '别的名字', registered: E.e3.name }],
    });
    expect(r.body.invalidRows).toEqual([expect.objectContaining({ line: 5, value: 'NOT-A-CODE' })]);
    const json = await s.api('POST', '/v1/push-lists', { name: 'JSON csv', csv: `${E.e2.creditCode}\n` }, { ...sup(), ...key('jcsv') });
    expect(json.body).toMatchObject({ entryCount: 1, source: 'csv' });
    const entries = await s.db.prisma.pushListEntry.findMany({ where: { pushListId: r.body.id } });
    expect(entries.map((e) => e.enterpriseId).sort()).toEqual([E.e1.id, E.e3.id].sort());
  });

  it('answers a retried create from its Idempotency-Key, and refuses banks', async () => {
    const k = key('retry');
    const a = await s.api('POST', '/v1/push-lists', { name: 'retry', tags: ['high_tech'] }, { ...sup(), ...k });
    const b = await s.api('POST', '/v1/push-lists', { name: 'retry', tags: ['high_tech'] }, { ...sup(), ...k });
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect((await s.api('POST', '/v1/push-lists', { name: 'x', tags: ['high_tech'] }, { ...as('bank:hecheng-rcb'), ...key('b') })).status).toBe(403);
    expect((await s.api('GET', '/v1/push-lists', undefined, as('bank:hecheng-rcb'))).status).toBe(403);
  });

  it('pushes to chosen banks, tells them through the outbox, and shows each bank only its lists', async () => {
    const pushed = await s.api('POST', `/v1/push-lists/${byTag}/push`, { bankIds: ['hecheng-rcb'] }, { ...sup(), ...key('push') });
    expect(pushed.status).toBe(201);
    expect(pushed.body).toMatchObject({ pushed: ['hecheng-rcb'], alreadyPushed: [] });
    expect(pushed.body.notificationIds.length).toBeGreaterThan(0);
    // The prompt is an outbox row for the bank, with the bank's name filled in, delivered by the
    // notification workflow (an SMS in quiet hours waits for their end).
    const bank = await s.db.prisma.bank.findUniqueOrThrow({ where: { id: 'hecheng-rcb' } });
    const done = (n: { status: string; notBefore: Date }) => n.status === 'delivered' || (n.status === 'held' && n.notBefore > new Date());
    const rows = await eventually(
      () => s.db.prisma.notification.findMany({ where: { id: { in: pushed.body.notificationIds } } }),
      (rows) => rows.length > 0 && rows.every((n) => n.recipientId === 'hecheng-rcb' && done(n)),
    );
    for (const n of rows) expect(n.params).toMatchObject({ bankName: bank.name, listName: expect.any(String) });
    const again = await s.api('POST', `/v1/push-lists/${byTag}/push`, { bankIds: ['hecheng-rcb'] }, { ...sup(), ...key('push2') });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ pushed: [], alreadyPushed: ['hecheng-rcb'] });
    expect((await s.api('POST', `/v1/push-lists/${byTag}/push`, { bankIds: ['no-such-bank'] }, { ...sup(), ...key('push3') })).status).toBe(422);

    const inbox = await s.api('GET', '/v1/push-lists/inbox', undefined, as('bank:hecheng-rcb'));
    expect(inbox.body.items).toEqual([expect.objectContaining({ id: byTag, entryCount: 2, acted: 0 })]);
    expect((await s.api('GET', '/v1/push-lists/inbox', undefined, as('bank:suzhou-bank'))).body.items).toEqual([]);
    expect((await s.api('GET', `/v1/push-lists/${byTag}`, undefined, as('bank:suzhou-bank'))).status).toBe(404);
    const seen = await s.api('GET', `/v1/push-lists/${byTag}`, undefined, as('bank:hecheng-rcb'));
    expect(seen.status).toBe(200);
    expect(seen.body.entries.map((e: any) => e.enterpriseId).sort()).toEqual([E.e1.id, E.e2.id].sort());
    expect(seen.body.targets.map((t: any) => t.bankId)).toEqual(['hecheng-rcb']);
    expect(seen.body.byEnterprise).toBeUndefined();
  });

  it('records what banks did, and shows the supervisor which bank acted on which enterprise', async () => {
    await s.api('POST', `/v1/push-lists/${byTag}/push`, { bankIds: ['jiaxing-bank', 'hecheng-rcb'] }, { ...sup(), ...key('push4') });
    const hecheng = as('bank:hecheng-rcb');
    const act = (who: Record<string, string>, enterpriseId: string, action: string, note?: string) =>
      s.api('POST', `/v1/push-lists/${byTag}/actions`, { enterpriseId, action, ...(note ? { note } : {}) }, { ...who, ...key('act') });
    expect((await act(hecheng, E.e1.id, 'viewed')).status).toBe(200);
    expect((await act(hecheng, E.e1.id, 'contacted', '已电话联系，下周走访')).status).toBe(200);
    expect((await act(as('bank:jiaxing-bank'), E.e2.id, 'request')).status).toBe(200);
    expect((await act(hecheng, E.e3.id, 'viewed')).status).toBe(422); // not on the list
    expect((await act(as('bank:suzhou-bank'), E.e1.id, 'viewed')).status).toBe(404); // not pushed to it
    expect((await act(hecheng, E.e2.id, 'bribed')).status).toBe(400);

    const view = await s.api('GET', `/v1/push-lists/${byTag}`, undefined, sup());
    expect(view.status).toBe(200);
    const t = Object.fromEntries(view.body.targets.map((x: any) => [x.bankId, x]));
    expect(t['hecheng-rcb'].actions[E.e1.id]).toMatchObject({ action: 'contacted', note: '已电话联系，下周走访' });
    expect(t['hecheng-rcb'].counts).toMatchObject({ contacted: 1, viewed: 0 });
    expect(t['jiaxing-bank'].actions[E.e2.id]).toMatchObject({ action: 'request' });
    expect(view.body.byEnterprise).toEqual(
      expect.arrayContaining([
        { enterpriseId: E.e1.id, actions: [expect.objectContaining({ bankId: 'hecheng-rcb', action: 'contacted' })] },
        { enterpriseId: E.e2.id, actions: [expect.objectContaining({ bankId: 'jiaxing-bank', action: 'request' })] },
      ]),
    );
    const lists = await s.api('GET', '/v1/push-lists', undefined, sup());
    const mine = lists.body.items.find((x: any) => x.id === byTag);
    expect(mine.banks).toEqual(
      expect.arrayContaining([expect.objectContaining({ bankId: 'hecheng-rcb', acted: 1 }), expect.objectContaining({ bankId: 'jiaxing-bank', acted: 1 })]),
    );
  });
});
