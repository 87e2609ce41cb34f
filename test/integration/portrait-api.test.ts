// Credit portraits through the whole product: HTTP → access check → portrait workflow on Temporal →
// data-source simulator over HTTP → PostgreSQL, with every read audited; and the lifecycle granting
// access when a bank accepts a request published with data consent.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTRAIT_SECTIONS } from '../../domain/credit/portrait';
import { syntheticCreditCodes } from '../../datasources/simulator/generator';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { as, asOrg, startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

let s: TestStack;

/**
 * Each call is made by the party the route acts for: the bank named in `?bankId=` for portrait
 * reads, the enterprise in the path for grants and the read audit, the demo enterprise for
 * publishing, the bank in the body for claim actions. Cross-party refusals are tested in access-matrix.test.ts.
 */
async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const bank = /[?&]bankId=([a-z0-9-]+)/.exec(path)?.[1];
  const enterprise = /^\/v1\/enterprises\/([0-9a-f-]{36})\//.exec(path)?.[1];
  let auth: Record<string, string> = {};
  if (path.includes('/portrait?') && bank) auth = await asOrg(s.db.prisma, { role: 'bank', bankId: bank });
  else if (enterprise) auth = await asOrg(s.db.prisma, { role: 'enterprise', enterpriseId: enterprise });
  else if (path.startsWith('/v1/financing-requests') && (body as { bankId?: string } | undefined)?.bankId)
    auth = as(`bank:${(body as { bankId: string }).bankId}`);
  else if (path.startsWith('/v1/financing-requests')) {
    const requestId = /^\/v1\/financing-requests\/([0-9a-f-]{36})/.exec(path)?.[1];
    const enterpriseId = (requestId && publishedBy.get(requestId)) ?? (body as { enterpriseId?: string } | undefined)?.enterpriseId ?? DEMO_ENTERPRISE_ID;
    auth = await asOrg(s.db.prisma, { role: 'enterprise', enterpriseId });
    const r = await s.api(method, path, body, { ...auth, ...headers });
    if (method === 'POST' && path === '/v1/financing-requests' && r.body?.id) publishedBy.set(r.body.id, enterpriseId);
    return r;
  }
  return s.api(method, path, body, { ...auth, ...headers });
}
const publishedBy = new Map<string, string>();
const codes = syntheticCreditCodes(3, `portrait-api-${Date.now()}`);

async function newEnterprise(creditCode: string): Promise<string> {
  const id = randomUUID();
  await s.db.prisma.enterprise.create({
    data: {
      id,
      creditCode,
      name: `Test Enterprise ${creditCode}`,
      contactName: '李娜',
      contactMobile: '+8613900000009',
      industry: 'C',
      region: '330400',
      registeredCapitalFen: 300_000_000n,
    },
  });
  return id;
}

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const key = (p: string) => `${p}-${randomUUID()}`;

async function grant(enterpriseId: string, body: { bankId: string; sections: string[]; expiresAt: string }, k = key('grant')) {
  return api('POST', `/v1/enterprises/${enterpriseId}/portrait-grants`, body, { 'Idempotency-Key': k });
}

beforeAll(async () => {
  s = await startTestStack();
  expect(s.simulator).toBeDefined();
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('portrait API', () => {
  it('serves the portrait to a bank with a grant, narrowed to the granted sections, and audits the read', async () => {
    const g = await grant(DEMO_ENTERPRISE_ID, { bankId: 'hecheng-rcb', sections: [...PORTRAIT_SECTIONS], expiresAt: inDays(30) });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ enterpriseId: DEMO_ENTERPRISE_ID, bankId: 'hecheng-rcb', revokedAt: null, financingRequestId: null });

    const r = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=hecheng-rcb`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.sections).sort()).toEqual(PORTRAIT_SECTIONS.filter((x) => x !== 'creditScore').sort());
    expect(r.body.sections.registration.creditCode).toBe('91330400MA2B3C4D56');
    expect(r.body.score.score).toBeGreaterThanOrEqual(0);
    expect(r.body.score.score).toBeLessThanOrEqual(1000);
    expect(r.body.score.grade).toMatch(/\S/);
    expect(r.body.partial).toBe(false);
    expect(r.body.access).toMatchObject({ grantId: g.body.id, reason: 'granted' });
    // Stored: the portrait row and the cached source records.
    const row = await s.db.prisma.creditPortrait.findUniqueOrThrow({ where: { id: r.body.portraitId } });
    expect(row.score).toBe(r.body.score.score);
    expect(await s.db.prisma.sourceRecord.count({ where: { creditCode: '91330400MA2B3C4D56' } })).toBe(8);

    // Asking for sections: only those come back (the score only with creditScore).
    const some = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=hecheng-rcb&sections=registration,riskInformation`);
    expect(some.status).toBe(200);
    expect(Object.keys(some.body.sections).sort()).toEqual(['registration', 'riskInformation']);
    expect(some.body.score).toBeUndefined();
    expect(some.body.portraitId).toBe(r.body.portraitId); // reused, not rebuilt

    // A grant covering part of the request: narrowed, the rest listed as denied.
    const narrow = await grant(DEMO_ENTERPRISE_ID, { bankId: 'icbc-jiaxing', sections: ['registration'], expiresAt: inDays(5) });
    const n = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=icbc-jiaxing&sections=registration,creditScore`);
    expect(n.status).toBe(200);
    expect(Object.keys(n.body.sections)).toEqual(['registration']);
    expect(n.body.score).toBeUndefined();
    expect(n.body.access).toMatchObject({ grantId: narrow.body.id, reason: 'narrowed', denied: ['creditScore'] });

    const reads = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-reads?bankId=hecheng-rcb`);
    expect(reads.status).toBe(200);
    expect(reads.body.items[0]).toMatchObject({
      bankId: 'hecheng-rcb',
      grantId: g.body.id,
      allowed: true,
      reason: 'granted',
      sectionsRequested: ['registration', 'riskInformation'],
      sectionsReturned: ['registration', 'riskInformation'],
    });
    expect(reads.body.items).toHaveLength(2);
  }, 60_000);

  it('refuses a bank without a grant with 403 problem+json and audits the refusal', async () => {
    const r = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=suzhou-bank`);
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ type: expect.stringMatching(/portrait-access-denied$/), reason: 'no_grant' });
    expect(r.body.sections).toBeUndefined();
    const audit = await s.db.prisma.portraitReadAudit.findMany({ where: { enterpriseId: DEMO_ENTERPRISE_ID, bankId: 'suzhou-bank' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ allowed: false, reason: 'no_grant', grantId: null, sectionsReturned: [] });
  });

  it('refuses and audits after the grant is revoked; grants are idempotent per Idempotency-Key', async () => {
    const enterpriseId = await newEnterprise(codes[0]!);
    const k = key('g');
    const body = { bankId: 'jiaxing-bank', sections: ['registration', 'creditScore'], expiresAt: inDays(10) };
    const g = await grant(enterpriseId, body, k);
    expect(g.status).toBe(201);
    const again = await grant(enterpriseId, body, k);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(g.body.id);
    const conflicting = await grant(enterpriseId, { ...body, sections: ['registration'] }, k);
    expect(conflicting.status).toBe(422);
    expect((await grant(enterpriseId, body)).status).toBe(201); // another key: another grant
    expect((await api('POST', `/v1/enterprises/${enterpriseId}/portrait-grants`, body)).status).toBe(400); // no key
    expect((await grant(enterpriseId, { ...body, sections: ['nonsense'] })).status).toBe(400);
    expect((await grant(enterpriseId, { ...body, expiresAt: inDays(-1) })).status).toBe(422);
    expect((await grant(enterpriseId, { ...body, extra: 1 } as never)).status).toBe(400);

    const ok = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=jiaxing-bank`);
    expect(ok.status).toBe(200);

    // Revoke every grant of this bank.
    const grants = await api('GET', `/v1/enterprises/${enterpriseId}/portrait-grants`);
    for (const x of grants.body.items) {
      const rv = await api('POST', `/v1/enterprises/${enterpriseId}/portrait-grants/${x.id}/revoke`, {}, { 'Idempotency-Key': key('rv') });
      expect(rv.status).toBe(200);
      expect(rv.body.revokedAt).not.toBeNull();
    }
    const refused = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=jiaxing-bank`);
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('revoked');
    const reads = await api('GET', `/v1/enterprises/${enterpriseId}/portrait-reads`);
    expect(reads.body.items.map((x: { allowed: boolean; reason: string }) => [x.allowed, x.reason])).toEqual([
      [false, 'revoked'],
      [true, 'granted'],
    ]);
    expect(reads.body.items[0].grantId).toBeTruthy();

    // Another enterprise's grant cannot be revoked through this one.
    const other = await api('POST', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-grants/${g.body.id}/revoke`, {}, { 'Idempotency-Key': key('rv') });
    expect(other.status).toBe(404);
  }, 60_000);

  it('grants access when a directed bank accepts a request published with data consent; other banks stay refused', async () => {
    const enterpriseId = await newEnterprise(codes[1]!);
    const pub = await api(
      'POST',
      '/v1/financing-requests',
      {
        enterpriseId,
        amountFen: 100_000_000,
        termMonths: 12,
        purpose: 'working capital',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb', 'jiaxing-bank'],
        dataConsent: true,
      },
      { 'Idempotency-Key': key('pub') },
    );
    expect(pub.status).toBe(201);
    await eventually(
      () => api('GET', `/v1/financing-requests/${pub.body.id}`),
      (r) => r.body.claims?.length === 2,
    );
    // Directed but not accepted yet: no access.
    expect((await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=hecheng-rcb`)).status).toBe(403);

    const acc = await api('POST', `/v1/financing-requests/${pub.body.id}/accept`, { bankId: 'hecheng-rcb' }, { 'Idempotency-Key': key('acc') });
    expect(acc.status).toBe(200);
    const grantRow = await eventually(
      () => s.db.prisma.portraitGrant.findFirst({ where: { enterpriseId, bankId: 'hecheng-rcb' } }),
      (g) => g !== null,
    );
    expect(grantRow).toMatchObject({ financingRequestId: pub.body.id, sections: [...PORTRAIT_SECTIONS] });
    const days = (grantRow!.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);

    const r = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=hecheng-rcb`);
    expect(r.status).toBe(200);
    expect(r.body.score.grade).toMatch(/\S/);
    expect(r.body.access.grantId).toBe(grantRow!.id);

    for (const bank of ['jiaxing-bank', 'suzhou-bank']) {
      const no = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=${bank}`);
      expect(no.status).toBe(403);
    }
    expect(await s.db.prisma.portraitGrant.count({ where: { enterpriseId } })).toBe(1);

    // The consent was for this request: once the enterprise withdraws it, the bank's claim ends and so does the grant.
    expect((await api('POST', `/v1/financing-requests/${pub.body.id}/withdraw`, {}, { 'Idempotency-Key': key('wd') })).status).toBe(200);
    const revoked = await eventually(
      () => s.db.prisma.portraitGrant.findUniqueOrThrow({ where: { id: grantRow!.id } }),
      (g) => g.revokedAt !== null,
    );
    expect(revoked.revokedAt).not.toBeNull();
    const after = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=hecheng-rcb`);
    expect(after.status).toBe(403);
    expect(after.body.reason).toBe('revoked');
  }, 60_000);

  it('marks the portrait partial when a data source is down', async () => {
    const enterpriseId = await newEnterprise(codes[2]!);
    await grant(enterpriseId, { bankId: 'hecheng-rcb', sections: [...PORTRAIT_SECTIONS], expiresAt: inDays(1) });
    s.simulator!.setFaults({ courts: { outage: true } });
    try {
      const r = await api('GET', `/v1/enterprises/${enterpriseId}/portrait?bankId=hecheng-rcb`);
      expect(r.status).toBe(200);
      expect(r.body.partial).toBe(true);
      expect(r.body.missing).toEqual(['courts']);
      expect(r.body.sources.courts).toMatchObject({ status: 'missing', reason: 'unavailable' });
      expect(r.body.sections.riskInformation.courts).toBeNull();
      expect(r.body.completeness).toBeLessThan(1);
      const row = await s.db.prisma.creditPortrait.findUniqueOrThrow({ where: { id: r.body.portraitId } });
      expect(row.missing).toEqual(['courts']);
    } finally {
      s.simulator!.setFaults({});
    }
  }, 60_000);

  it('validates queries and documents the routes', async () => {
    // Only banks read portraits (the enterprise manages grants): the enterprise itself is refused by role.
    const own = await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait`);
    expect(own.status).toBe(403);
    expect(own.body.type).toMatch(/forbidden$/);
    expect((await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=hecheng-rcb&sections=registration,bogus`)).status).toBe(400);
    expect((await api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=hecheng-rcb&other=1`)).status).toBe(400);
    expect((await api('GET', `/v1/enterprises/not-a-uuid/portrait?bankId=hecheng-rcb`)).status).toBe(400);
    expect((await api('GET', `/v1/enterprises/${randomUUID()}/portrait?bankId=hecheng-rcb`)).status).toBe(404);
    const doc = await api('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/enterprises/{enterpriseId}/portrait',
        '/v1/enterprises/{enterpriseId}/portrait-grants',
        '/v1/enterprises/{enterpriseId}/portrait-grants/{grantId}/revoke',
        '/v1/enterprises/{enterpriseId}/portrait-reads',
      ]),
    );
  });
});
