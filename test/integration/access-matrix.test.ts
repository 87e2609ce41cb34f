// The access matrix: every operation of the OpenAPI document × every kind of caller, against real
// objects, asserting allowed or denied. The expectations below are written by hand (not read from
// the code that enforces them); an operation missing from them fails the test, so a new endpoint
// cannot ship unclassified. Bodies are empty ({}): routes check role and ownership before they
// validate, so a denied caller gets 401/403/404 and an allowed one gets past (200, 400, 409, 422…).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE_ID, DEMO_PRINCIPALS } from '../../prisma/seed';
import { createApiKey } from '../../api/auth/apiKeys';
import { eventually } from '../support/eventually';
import { as, asOrg, startTestStack, type TestStack } from '../support/stack';

const CALLERS = ['anonymous', 'enterprise', 'otherEnterprise', 'directedBank', 'otherBank', 'guarantor', 'supervisor', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
const ALL: Caller[] = [...CALLERS];
const SIGNED_IN: Caller[] = CALLERS.filter((c) => c !== 'anonymous');
const OVERSEERS: Caller[] = ['supervisor', 'admin'];
const BANKS: Caller[] = ['directedBank', 'otherBank'];

/**
 * Who may call each operation on the fixtures: the demo enterprise's request directed to
 * hecheng-rcb (directedBank), with a portrait grant to it; otherBank is suzhou-bank, which the
 * request never reached; otherEnterprise is a second enterprise.
 */
const EXPECTED: Record<string, Caller[]> = {
  'GET /healthz': ALL,
  'GET /openapi.json': ALL,
  'GET /problems/{type}': ALL,
  'GET /dashboard': ALL,
  'GET /dashboard/assets/{name}': ALL,
  'GET /metrics': ALL,
  'POST /v1/auth/token': ALL,
  'GET /v1/me': SIGNED_IN,
  'POST /v1/principals': ['admin'],
  'GET /v1/principals': ['admin'],
  'POST /v1/principals/{principalId}/deactivate': ['admin'],
  'POST /v1/principals/{principalId}/password': ['admin'],
  'POST /v1/api-keys': SIGNED_IN,
  'GET /v1/api-keys': SIGNED_IN,
  'DELETE /v1/api-keys/{id}': ['enterprise', 'admin'],
  'POST /v1/enterprises': OVERSEERS,
  'GET /v1/enterprises': OVERSEERS,
  'GET /v1/enterprises/{enterpriseId}': ['enterprise', 'directedBank', ...OVERSEERS],
  'POST /v1/enterprises/{enterpriseId}/review': OVERSEERS,
  'POST /v1/auth/sms-code': ALL,
  'POST /v1/auth/sms-token': ALL,
  'POST /v1/enterprise-registrations': ALL,
  'POST /v1/enterprise-registrations/verify': ALL,
  'PATCH /v1/enterprises/{enterpriseId}/profile': ['enterprise'],
  'POST /v1/enterprises/{enterpriseId}/tags': OVERSEERS,
  'POST /v1/enterprises/{enterpriseId}/contact': OVERSEERS,
  'POST /v1/enterprises/{enterpriseId}/release': OVERSEERS,
  'GET /v1/enterprises/{enterpriseId}/identity-events': ['enterprise', ...OVERSEERS],
  'GET /v1/ratings': [...BANKS, ...OVERSEERS],
  'GET /v1/public/products': ALL,
  'GET /v1/inbox': ['enterprise', 'otherEnterprise', ...BANKS, 'guarantor'],
  'GET /v1/financing-requests': SIGNED_IN,
  'POST /v1/financing-requests': ['enterprise', 'otherEnterprise'],
  'GET /v1/financing-requests/{id}': ['enterprise', 'directedBank', ...OVERSEERS],
  'POST /v1/financing-requests/{id}/withdraw': ['enterprise'],
  'POST /v1/financing-requests/{id}/choose-offer': ['enterprise'],
  'POST /v1/financing-requests/{id}/rating': ['enterprise'],
  'POST /v1/financing-requests/{id}/grab': BANKS,
  'POST /v1/financing-requests/{id}/accept': ['directedBank'],
  'POST /v1/financing-requests/{id}/reject': ['directedBank'],
  'POST /v1/financing-requests/{id}/start-review': ['directedBank'],
  'POST /v1/financing-requests/{id}/approve': ['directedBank'],
  'POST /v1/financing-requests/{id}/decline': ['directedBank'],
  'POST /v1/financing-requests/{id}/continue-without-guarantee': ['directedBank'],
  'POST /v1/financing-requests/{id}/disburse': ['directedBank'],
  'POST /v1/financing-requests/{id}/guarantees/{bankId}/approve': ['guarantor'],
  'POST /v1/financing-requests/{id}/guarantees/{bankId}/decline': ['guarantor'],
  'GET /v1/enterprises/{enterpriseId}/portrait': ['directedBank'],
  'POST /v1/enterprises/{enterpriseId}/portrait-grants': ['enterprise'],
  'GET /v1/enterprises/{enterpriseId}/portrait-grants': ['enterprise', ...OVERSEERS],
  'POST /v1/enterprises/{enterpriseId}/portrait-grants/{grantId}/revoke': ['enterprise'],
  'GET /v1/enterprises/{enterpriseId}/portrait-reads': ['enterprise', ...OVERSEERS],
  'POST /v1/webhook-endpoints': [...BANKS, 'guarantor', 'admin'],
  'GET /v1/webhook-endpoints': [...BANKS, 'guarantor', 'admin'],
  'GET /v1/webhook-deliveries': [...BANKS, 'guarantor', 'admin'],
  'POST /v1/webhook-deliveries/{id}/replay': [...BANKS, 'guarantor', 'admin'],
  'GET /v1/notifications/failed': OVERSEERS,
  'PUT /v1/notification-preferences/{recipientType}/{recipientId}': ['directedBank', 'admin'],
  'GET /v1/notification-preferences/{recipientType}/{recipientId}': ['directedBank', 'admin'],
  'POST /v1/loan-codes': BANKS,
  'GET /v1/loan-codes': BANKS,
  'GET /v1/loan-codes/{id}/qr.png': ['directedBank'],
  'GET /v1/loan-codes/{id}/qr.svg': ['directedBank'],
  'POST /v1/loan-codes/{id}/deactivate': ['directedBank'],
  'GET /l/{code}': ALL,
  'POST /l/{code}': ALL,
  'GET /t/{token}': ALL,
  'POST /l/{code}/verify': ALL,
  'POST /t/{token}/code': ALL,
  'POST /t/{token}/verify': ALL,
  'POST /t/{token}/choose': ALL,
  'POST /t/{token}/withdraw': ALL,
  'POST /t/{token}/rate': ALL,
  'POST /v1/products': BANKS,
  'GET /v1/products': SIGNED_IN,
  'GET /v1/products/{id}': SIGNED_IN,
  'PATCH /v1/products/{id}': ['directedBank'],
  'POST /v1/products/{id}/apply': ['enterprise', 'otherEnterprise'],
  'GET /v1/product-matches': ['enterprise', 'otherEnterprise'],
  'GET /v1/supervision/stuck': OVERSEERS,
  'GET /v1/supervision/stuck/crosscheck': OVERSEERS,
  'POST /v1/supervision/claims/{requestId}/{bankId}/nudge': OVERSEERS,
  'POST /v1/supervision/claims/{requestId}/{bankId}/extend-deadline': OVERSEERS,
  'POST /v1/supervision/claims/{requestId}/{bankId}/release': OVERSEERS,
  'GET /v1/supervision/assessment': OVERSEERS,
  'GET /v1/supervision/ranking': OVERSEERS,
  'GET /v1/supervision/ranking/me': BANKS,
  'GET /v1/supervision/reports': OVERSEERS,
  'GET /v1/supervision/reports/{id}.html': OVERSEERS,
  'GET /v1/supervision/reports/{id}.pdf': OVERSEERS,
  'GET /v1/statistics': OVERSEERS,
  'POST /v1/push-lists': OVERSEERS,
  'GET /v1/push-lists': OVERSEERS,
  'GET /v1/push-lists/inbox': BANKS,
  'GET /v1/push-lists/{id}': [...OVERSEERS, 'directedBank'],
  'POST /v1/push-lists/{id}/push': OVERSEERS,
  'POST /v1/push-lists/{id}/actions': ['directedBank'],
  'POST /v1/banks': OVERSEERS,
  'GET /v1/banks': OVERSEERS,
  'GET /v1/banks/{bankId}': ['directedBank', ...OVERSEERS],
  'PATCH /v1/banks/{bankId}': OVERSEERS,
  'POST /v1/banks/{bankId}/suspend': OVERSEERS,
  'POST /v1/banks/{bankId}/reactivate': OVERSEERS,
  'GET /v1/banks/{bankId}/audit': OVERSEERS,
  // Users: platform admins and the institution's own admins (the demo users have no institution role).
  'GET /v1/banks/{bankId}/users': ['admin'],
  'POST /v1/banks/{bankId}/users': ['admin'],
  'PATCH /v1/banks/{bankId}/users/{principalId}': ['admin'],
  'POST /v1/guarantee-institutions': OVERSEERS,
  'GET /v1/guarantee-institutions': OVERSEERS,
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}': ['guarantor', ...OVERSEERS],
  'PATCH /v1/guarantee-institutions/{guaranteeInstitutionId}': OVERSEERS,
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/suspend': OVERSEERS,
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/reactivate': OVERSEERS,
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}/audit': OVERSEERS,
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}/users': ['admin'],
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/users': ['admin'],
  'PATCH /v1/guarantee-institutions/{guaranteeInstitutionId}/users/{principalId}': ['admin'],
  'GET /v1/financing-requests/{id}/responsible-officer': ['directedBank'],
  // Only an institution admin reassigns; no caller here is one (institution-roles.test.ts covers it).
  'PUT /v1/financing-requests/{id}/responsible-officer': [],
  'GET /v1/directory/banks': SIGNED_IN,
  'GET /v1/directory/guarantee-institutions': SIGNED_IN,
};

/** Operations that change what later ones see run last, in this order. */
const LAST = ['DELETE /v1/api-keys/{id}', 'POST /v1/loan-codes/{id}/deactivate', 'POST /v1/financing-requests/{id}/withdraw'];

/** 404s that mean "you may not see this": a hidden object, or a claim the bank does not hold. */
const DENYING_404 = /\/(not-found|no-claim)$/;

let s: TestStack;
const headers = new Map<Caller, Record<string, string>>();
const params: Record<string, string> = {};
let otherEnterpriseId = '';

beforeAll(async () => {
  // The anonymous caller alone sends ~70 unauthenticated /v1 calls: above the default per-IP budget
  // for failed authentication (tested in api-users.test.ts), so this file raises it.
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 1200, publicPerIpPerMinute: 100 } } });
  const other = await s.db.prisma.enterprise.create({
    data: {
      id: randomUUID(),
      creditCode: '91330400MA2AX0TY3P',
      name: 'Other Enterprise',
      contactName: '赵敏',
      contactMobile: '+8613900000077',
      industry: 'F',
      region: '330400',
      registeredCapitalFen: 100_000_000n,
    },
  });
  otherEnterpriseId = other.id;
  headers.set('anonymous', {});
  headers.set('enterprise', as('enterprise'));
  headers.set('otherEnterprise', await asOrg(s.db.prisma, { role: 'enterprise', enterpriseId: other.id }));
  headers.set('directedBank', as('bank:hecheng-rcb'));
  headers.set('otherBank', as('bank:suzhou-bank'));
  headers.set('guarantor', as('guaranteeInstitution'));
  headers.set('supervisor', as('supervisor'));
  headers.set('admin', as('admin'));

  const pub = await s.api(
    'POST',
    '/v1/financing-requests',
    {
      amountFen: 150_000_000,
      termMonths: 12,
      purpose: 'access matrix fixture',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: ['hecheng-rcb'],
      dataConsent: true,
    },
    { ...as('enterprise'), 'Idempotency-Key': `matrix-${randomUUID()}` },
  );
  expect(pub.status).toBe(201);
  params.id = pub.body.id;
  await eventually(
    () => s.db.prisma.claim.count({ where: { financingRequestId: pub.body.id } }),
    (n) => n === 1,
  );
  const grant = await s.db.prisma.portraitGrant.create({
    data: {
      id: randomUUID(),
      enterpriseId: DEMO_ENTERPRISE_ID,
      bankId: 'hecheng-rcb',
      sections: ['registration'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const demoEnterprise = DEMO_PRINCIPALS.find((p) => p.role === 'enterprise')!;
  const spareKey = await createApiKey(s.db.prisma, demoEnterprise.id, 'spare');
  const throwaway = await s.db.prisma.principal.create({ data: { id: randomUUID(), name: 'matrix throwaway', role: 'bank', bankId: 'suzhou-bank' } });
  const code = await s.db.prisma.loanCode.create({ data: { id: `matrix${Date.now().toString(36)}`, bankId: 'hecheng-rcb', label: 'matrix' } });
  const tracking = await s.db.prisma.loanCodeSubmission.create({
    data: {
      id: randomUUID(),
      loanCodeId: code.id,
      enterpriseId: DEMO_ENTERPRISE_ID,
      financingRequestId: pub.body.id,
      trackingToken: `t${randomUUID().replace(/-/g, '')}`,
      dedupeKey: randomUUID(),
    },
  });
  const product = await s.db.prisma.product.findFirstOrThrow({ where: { bankId: 'hecheng-rcb', status: 'active' } });
  const report = await s.db.prisma.supervisionReport.create({
    data: {
      id: `matrix-${randomUUID()}`,
      periodStart: new Date('2026-01-05T00:00:00Z'),
      periodEnd: new Date('2026-01-12T00:00:00Z'),
      ranking: [],
      html: '<p>r</p>',
      pdf: Buffer.from('%PDF-1.4'),
    },
  });
  const supervisor = DEMO_PRINCIPALS.find((p) => p.role === 'supervisor')!;
  const pushList = await s.db.prisma.pushList.create({
    data: {
      id: randomUUID(),
      name: 'matrix list',
      source: 'tags:high_tech',
      supervisorId: supervisor.id,
      entries: { create: [{ enterpriseId: DEMO_ENTERPRISE_ID }] },
      targets: { create: [{ bankId: 'hecheng-rcb' }] },
    },
  });
  Object.assign(params, {
    type: 'not-found',
    name: 'app.js',
    productId: product.id,
    reportId: report.id,
    pushListId: pushList.id,
    requestId: pub.body.id,
    code: code.id,
    loanCodeId: code.id,
    token: tracking.trackingToken,
    enterpriseId: DEMO_ENTERPRISE_ID,
    bankId: 'hecheng-rcb',
    guaranteeInstitutionId: 'jiaxing-guarantee-fund',
    grantId: grant.id,
    recipientType: 'bank',
    recipientId: 'hecheng-rcb',
    apiKeyId: spareKey.id,
    principalId: throwaway.id,
    deliveryId: randomUUID(),
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'id' && template.startsWith('/v1/api-keys')) return params.apiKeyId!;
    if (name === 'id' && template.startsWith('/v1/webhook-deliveries')) return params.deliveryId!;
    if (name === 'id' && template.startsWith('/v1/loan-codes')) return params.loanCodeId!;
    if (name === 'id' && template.startsWith('/v1/products')) return params.productId!;
    if (name === 'id' && template.startsWith('/v1/supervision/reports')) return params.reportId!;
    if (name === 'id' && template.startsWith('/v1/push-lists')) return params.pushListId!;
    if (name === 'principalId' && template.includes('/users/'))
      return DEMO_PRINCIPALS.find((p) => (template.includes('/banks/') ? p.bankId === 'hecheng-rcb' : p.guaranteeInstitutionId === 'jiaxing-guarantee-fund'))!
        .id;
    const v = params[name];
    if (!v) throw new Error(`no fixture for {${name}} in ${template}`);
    return v;
  });
}

describe('access matrix', () => {
  it('classifies every documented operation', async () => {
    const doc = (await s.api('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.filter((op) => !EXPECTED[op])).toEqual([]);
    expect(Object.keys(EXPECTED).filter((op) => !ops.includes(op))).toEqual([]);
  });

  it('allows exactly the expected callers on every operation, and never answers 5xx', async () => {
    const ops = Object.keys(EXPECTED).sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b));
    const wrong: string[] = [];
    for (const op of ops) {
      const [method, template] = op.split(' ') as [string, string];
      const path = concretePath(template);
      for (const caller of CALLERS) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const r = await s.api(method, path, body, { ...headers.get(caller), 'Idempotency-Key': `matrix-${randomUUID()}` });
        if (r.status >= 500) wrong.push(`${op} as ${caller}: ${r.status} ${JSON.stringify(r.body)}`);
        const denied = r.status === 401 || r.status === 403 || (r.status === 404 && DENYING_404.test(String(r.body?.type)));
        const allowed = EXPECTED[op]!.includes(caller);
        if (allowed === denied) wrong.push(`${op} as ${caller}: expected ${allowed ? 'allowed' : 'denied'}, got ${r.status} ${r.body?.type ?? ''}`);
        if (denied && !String(r.headers.get('content-type')).includes('application/problem+json')) wrong.push(`${op} as ${caller}: denial is not problem+json`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it("answers actions with only what the caller's GET shows: a later grabber never sees a rival's claim, offer or the request hash", async () => {
    const key = () => ({ 'Idempotency-Key': `matrix-act-${randomUUID()}` });
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 80_000_000, termMonths: 12, purpose: 'action answers', guaranteeMethod: 'credit', routing: 'pool' },
      { ...as('enterprise'), ...key() },
    );
    expect(pub.status).toBe(201);
    const id = pub.body.id as string;
    await eventually(
      () => s.db.prisma.financingRequest.findUnique({ where: { id }, select: { poolClosesAt: true, eligibleBankIds: true } }),
      (r) => Boolean(r?.poolClosesAt) && ['suzhou-bank', 'jiaxing-bank'].every((b) => r!.eligibleBankIds.includes(b)),
      60_000,
    );
    const rival = as('bank:suzhou-bank');
    expect((await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...rival, ...key() })).status).toBe(200);
    expect((await s.api('POST', `/v1/financing-requests/${id}/start-review`, {}, { ...rival, ...key() })).status).toBe(200);
    const offer = { approvedAmountFen: 70_000_000, annualRateBp: 777, termMonths: 12, repaymentMethod: 'equal_installment' };
    const approved = await s.api('POST', `/v1/financing-requests/${id}/approve`, offer, { ...rival, ...key() });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ bankId: 'suzhou-bank', status: 'approved', offer: { annualRateBp: 777 } });
    // The request workflow knows the rival's offer before the next grab.
    await eventually(
      () => s.client.workflow.getHandle(`financingRequest-${id}`).query<{ claims: { offer?: unknown }[] }>('getState'),
      (st) => st.claims.some((c) => c.offer),
    );

    const later = as('bank:jiaxing-bank');
    const grab = await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...later, ...key() });
    expect(grab.status).toBe(200);
    const text = JSON.stringify(grab.body);
    expect(text).not.toContain('suzhou-bank');
    expect(text).not.toContain('777');
    expect(grab.body).not.toHaveProperty('requestHash');
    expect(grab.body).not.toHaveProperty('chosenBankId');
    expect(grab.body.claims.map((c: { bankId: string }) => c.bankId)).toEqual(['jiaxing-bank']);
    // Same claims as the caller's own GET of the request, once it caught up.
    const view = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, later),
      (r) => r.body.claims?.length === 1,
    );
    expect(view.body.claims.map((c: { bankId: string }) => c.bankId)).toEqual(grab.body.claims.map((c: { bankId: string }) => c.bankId));
    expect(JSON.stringify(view.body)).not.toContain('777');
    // The enterprise's own action answer shows every claim, as its GET does, but no hash either.
    const withdrawn = await s.api('POST', `/v1/financing-requests/${id}/withdraw`, {}, { ...as('enterprise'), ...key() });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).not.toHaveProperty('requestHash');
    expect(withdrawn.body.claims.map((c: { bankId: string }) => c.bankId).sort()).toEqual(['jiaxing-bank', 'suzhou-bank']);
  }, 120_000);

  it('hands Temporal identifiers and UI links to overseers only', async () => {
    for (const caller of ['enterprise', 'directedBank'] as const) {
      const one = await s.api('GET', `/v1/financing-requests/${params.id}`, undefined, headers.get(caller));
      expect(one.status, caller).toBe(200);
      expect(one.body, caller).not.toHaveProperty('workflowId');
      expect(one.body, caller).not.toHaveProperty('temporalUiUrl');
      const list = await s.api('GET', '/v1/financing-requests', undefined, headers.get(caller));
      expect(JSON.stringify(list.body), caller).not.toMatch(/workflowId|temporalUiUrl|requestHash/);
    }
    const sup = await s.api('GET', `/v1/financing-requests/${params.id}`, undefined, headers.get('supervisor'));
    expect(sup.body.workflowId).toBe(`financingRequest-${params.id}`);
    expect(sup.body.temporalUiUrl).toContain(encodeURIComponent(sup.body.workflowId));
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 10_000_000, termMonths: 6, purpose: 'no temporal ids', guaranteeMethod: 'credit', routing: 'pool' },
      { ...as('enterprise'), 'Idempotency-Key': `matrix-ids-${randomUUID()}` },
    );
    expect(pub.status).toBe(201);
    expect(Object.keys(pub.body).sort()).toEqual(['id', 'stage']);
  });

  it("shows an enterprise's contact details to a bank only while it holds a live accepted claim", async () => {
    const key = () => ({ 'Idempotency-Key': `matrix-pii-${randomUUID()}` });
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 60_000_000, termMonths: 12, purpose: 'contact details', guaranteeMethod: 'credit', routing: 'pool' },
      { ...headers.get('otherEnterprise'), ...key() },
    );
    expect(pub.status).toBe(201);
    const id = pub.body.id as string;
    await eventually(
      () => s.db.prisma.financingRequest.findUnique({ where: { id }, select: { poolClosesAt: true, eligibleBankIds: true } }),
      (r) => Boolean(r?.poolClosesAt) && r!.eligibleBankIds.includes('jiaxing-bank'),
      60_000,
    );
    const bank = as('bank:jiaxing-bank');
    const profile = () => s.api('GET', `/v1/enterprises/${otherEnterpriseId}`, undefined, bank);
    // Merely eligible: name, industry and region.
    const eligible = await profile();
    expect(eligible.status).toBe(200);
    expect(Object.keys(eligible.body).sort()).toEqual(['id', 'industry', 'name', 'region']);
    // Holding an accepted claim: the contact details too.
    expect((await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...bank, ...key() })).status).toBe(200);
    const holding = await eventually(profile, (r) => r.body.contactMobile !== undefined);
    expect(holding.body).toMatchObject({ contactName: '赵敏', contactMobile: '+8613900000077' });
    // Once the claim ends (the enterprise withdrew), back to the summary.
    expect((await s.api('POST', `/v1/financing-requests/${id}/withdraw`, {}, { ...headers.get('otherEnterprise'), ...key() })).status).toBe(200);
    const ended = await eventually(profile, (r) => r.body.contactMobile === undefined);
    expect(Object.keys(ended.body).sort()).toEqual(['id', 'industry', 'name', 'region']);
  }, 120_000);

  it("applies a branch user's region to actions, enterprise profiles, portraits, loan codes and bank-wide settings", async () => {
    // A Suzhou-branch officer of the directed bank; the fixture's enterprise is in Jiaxing (330400).
    const branch = await asOrg(s.db.prisma, { role: 'bank', bankId: 'hecheng-rcb', region: '320500' });
    const key = () => ({ 'Idempotency-Key': `matrix-region-${randomUUID()}` });
    const outcomes = {
      read: (await s.api('GET', `/v1/financing-requests/${params.id}`, undefined, branch)).status,
      action: (await s.api('POST', `/v1/financing-requests/${params.id}/start-review`, {}, { ...branch, ...key() })).status,
      profile: (await s.api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}`, undefined, branch)).status,
      portrait: (await s.api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?sections=registration`, undefined, branch)).status,
      qr: (await s.api('GET', `/v1/loan-codes/${params.loanCodeId}/qr.svg`, undefined, branch)).status,
      deactivate: (await s.api('POST', `/v1/loan-codes/${params.loanCodeId}/deactivate`, {}, { ...branch, ...key() })).status,
      webhook: (
        await s.api(
          'POST',
          '/v1/webhook-endpoints',
          { recipientType: 'bank', recipientId: 'hecheng-rcb', url: 'https://8.8.8.8/hook' },
          { ...branch, ...key() },
        )
      ).status,
      preferences: (await s.api('PUT', '/v1/notification-preferences/bank/hecheng-rcb', { locale: 'en' }, { ...branch, ...key() })).status,
    };
    expect(outcomes).toEqual({ read: 404, action: 404, profile: 404, portrait: 404, qr: 404, deactivate: 404, webhook: 403, preferences: 403 });
    const codes = await s.api('GET', '/v1/loan-codes', undefined, branch);
    expect(codes.body.items.map((c: { id: string }) => c.id)).not.toContain(params.loanCodeId);
    // The whole-bank officer is unaffected.
    expect((await s.api('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}`, undefined, headers.get('directedBank'))).status).toBe(200);
  });

  it('does not tell a bank which rival the enterprise chose, which API key ids exist, or why a dependency is down', async () => {
    await s.db.prisma.stageEvent.create({
      data: { eventKey: `matrix-chosen-${randomUUID()}`, financingRequestId: params.id!, event: 'offer:chosen:suzhou-bank', actor: 'system', at: new Date() },
    });
    const events = async (caller: Caller) =>
      ((await s.api('GET', `/v1/financing-requests/${params.id}`, undefined, headers.get(caller))).body.timeline as { event: string }[]).map((e) => e.event);
    expect(await events('enterprise')).toContain('offer:chosen:suzhou-bank');
    expect(await events('directedBank')).not.toContain('offer:chosen:suzhou-bank');

    const demoKey = as('admin').authorization!.replace(/^Bearer /, '');
    const [, id] = /^lb_([a-z0-9]+)_/.exec(demoKey)!;
    const wrongSecret = await s.api('GET', '/v1/me', undefined, { authorization: `Bearer lb_${id}_${'A'.repeat(43)}` });
    const unknownId = await s.api('GET', '/v1/me', undefined, { authorization: `Bearer lb_zzzzzzzzzzzz_${'A'.repeat(43)}` });
    expect(wrongSecret.status).toBe(401);
    expect(unknownId.body.detail).toBe(wrongSecret.body.detail);

    const health = await s.api('GET', '/healthz');
    for (const c of Object.values(health.body.checks as Record<string, object>)) expect(Object.keys(c)).toEqual(['status']);
  });

  it('ends credentials: a token dies with its key, keys are capped, admins reset passwords and deactivate principals', async () => {
    const admin = as('admin');
    const k = () => ({ 'Idempotency-Key': `matrix-cred-${randomUUID()}` });
    const email = `officer-${randomUUID().slice(0, 8)}@bank.example`;
    const made = await s.api(
      'POST',
      '/v1/principals',
      { role: 'bank', name: 'officer', bankId: 'jiaxing-bank', email, password: 'first-password-123' },
      { ...admin, ...k() },
    );
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    // A token exchanged for a key is refused once the key is revoked.
    const viaKey = await s.api('POST', '/v1/auth/token', { apiKey: made.body.apiKey.key });
    const bearer = { authorization: `Bearer ${viaKey.body.token}` };
    expect((await s.api('GET', '/v1/me', undefined, bearer)).status).toBe(200);
    expect((await s.api('DELETE', `/v1/api-keys/${made.body.apiKey.id}`, undefined, admin)).status).toBe(200);
    expect((await s.api('GET', '/v1/me', undefined, bearer)).status).toBe(401);
    // At most 10 unrevoked keys.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await s.api('POST', '/v1/api-keys', { name: `k${i}`, principalId: id }, { ...admin, ...k() })).status);
    expect(statuses.slice(0, 10).every((x) => x === 201)).toBe(true);
    expect(statuses[10]).toBe(409);
    // Password reset by an admin: the old password stops working.
    expect((await s.api('POST', `/v1/principals/${id}/password`, { password: 'second-password-456' }, admin)).status).toBe(200);
    expect((await s.api('POST', '/v1/auth/token', { email, password: 'first-password-123' })).status).toBe(401);
    const signedIn = await s.api('POST', '/v1/auth/token', { email, password: 'second-password-456' });
    expect(signedIn.status).toBe(200);
    // Deactivation: every key revoked, every token refused.
    expect((await s.api('POST', `/v1/principals/${id}/deactivate`, {}, admin)).status).toBe(200);
    expect((await s.api('GET', '/v1/me', undefined, { authorization: `Bearer ${signedIn.body.token}` })).status).toBe(401);
    const keys = await s.api('GET', `/v1/api-keys?principalId=${id}`, undefined, admin);
    expect(keys.body.items.every((x: { revokedAt: string | null }) => x.revokedAt !== null)).toBe(true);
  });

  it('audits refusals with who, what and why', async () => {
    const refusals = await s.db.prisma.accessAudit.findMany({ where: { path: { startsWith: `/v1/financing-requests/${params.id}` } } });
    expect(refusals.some((a) => a.role === 'bank' && a.status === 404)).toBe(true);
    expect(refusals.some((a) => a.role === 'supervisor' && a.status === 403)).toBe(true);
    expect(await s.db.prisma.accessAudit.count({ where: { principalId: null, status: 401 } })).toBeGreaterThan(0);
  });

  it('refuses revoked keys, expired or forged tokens, and deactivated principals', async () => {
    const admin = as('admin');
    const created = await s.api('POST', '/v1/api-keys', { name: 'to revoke' }, { ...admin, 'Idempotency-Key': `k-${randomUUID()}` });
    expect(created.status).toBe(201);
    const mine = { authorization: `Bearer ${created.body.key}` };
    expect((await s.api('GET', '/v1/me', undefined, mine)).status).toBe(200);
    expect((await s.api('DELETE', `/v1/api-keys/${created.body.id}`, undefined, admin)).status).toBe(200);
    const revoked = await s.api('GET', '/v1/me', undefined, mine);
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);

    const token = await s.api('POST', '/v1/auth/token', { email: 'supervisor@loanbridge.example', password: 'supervisor-demo-password' });
    expect(token.status).toBe(200);
    expect((await s.api('GET', '/v1/me', undefined, { authorization: `Bearer ${token.body.token}` })).body.role).toBe('supervisor');
    const forged = token.body.token.slice(0, -4) + (token.body.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await s.api('GET', '/v1/me', undefined, { authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await s.api('POST', '/v1/auth/token', { email: 'supervisor@loanbridge.example', password: 'wrong' })).status).toBe(401);

    const p = await s.api(
      'POST',
      '/v1/principals',
      { role: 'bank', name: 'temp officer', bankId: 'jiaxing-bank' },
      { ...admin, 'Idempotency-Key': `p-${randomUUID()}` },
    );
    expect(p.status).toBe(201);
    const officer = { authorization: `Bearer ${p.body.apiKey.key}` };
    expect((await s.api('GET', '/v1/me', undefined, officer)).body.bankId).toBe('jiaxing-bank');
    await s.db.prisma.principal.update({ where: { id: p.body.id }, data: { active: false } });
    expect((await s.api('GET', '/v1/me', undefined, officer)).status).toBe(401);
  });
});
