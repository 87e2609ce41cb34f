// One bank's valid credentials used against another bank's claim, offer and portrait: every call
// is refused (403 or 404, problem+json, the other bank's objects not revealed), every refusal is
// audited (AccessAudit, PortraitReadAudit), and nothing about the other bank's claim changes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE_ID, DEMO_PRINCIPALS } from '../../prisma/seed';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';

const A = 'hecheng-rcb';
const B = 'suzhou-bank';
const bPrincipal = DEMO_PRINCIPALS.find((p) => p.role === 'bank' && p.bankId === B)!.id;

let s: TestStack;
let id: string;
beforeAll(async () => {
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 1_000_000, publicPerIpPerMinute: 1_000_000 } } });
  const key = `xbank-${randomUUID()}`;
  const pub = await s.api(
    'POST',
    '/v1/financing-requests',
    {
      amountFen: 150_000_000,
      termMonths: 12,
      purpose: 'cross-bank fixture',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: [A],
      dataConsent: true,
    },
    { ...as('enterprise'), 'Idempotency-Key': key },
  );
  expect(pub.status).toBe(201);
  id = pub.body.id;
  const hA = (k: string) => ({ ...as(`bank:${A}`), 'Idempotency-Key': `${key}-${k}` });
  await eventually(
    () => s.api('POST', `/v1/financing-requests/${id}/accept`, {}, hA('acc')),
    (r) => r.status === 200,
    30_000,
  );
  expect((await s.api('POST', `/v1/financing-requests/${id}/start-review`, {}, hA('rev'))).status).toBe(200);
  const approve = await s.api(
    'POST',
    `/v1/financing-requests/${id}/approve`,
    { approvedAmountFen: 150_000_000, annualRateBp: 420, termMonths: 12, repaymentMethod: 'equal_installment' },
    hA('app'),
  );
  expect(approve.status).toBe(200);
  // Accepting with data consent granted bank A the portrait.
  await eventually(
    () => s.db.prisma.portraitGrant.count({ where: { enterpriseId: DEMO_ENTERPRISE_ID, bankId: A } }),
    (n) => n > 0,
    30_000,
  );
});
afterAll(async () => {
  await s?.close();
});

describe("a bank's credentials against another bank's objects", () => {
  it("refuses bank B on bank A's claim, offer and portrait, audits every refusal, and changes nothing", async () => {
    const { prisma } = s.db;
    // A settled baseline: the request has recorded its 'approved' stage and its prompts, and nothing
    // moves for a second (the approval's own bookkeeping must not be mistaken for B's doing).
    const snapshot = async () => ({
      stage: (await prisma.financingRequest.findUniqueOrThrow({ where: { id } })).stage,
      events: await prisma.stageEvent.count({ where: { financingRequestId: id } }),
      outbox: await prisma.notification.count({ where: { financingRequestId: id } }),
      pending: await prisma.notification.count({ where: { financingRequestId: id, status: { in: ['pending', 'held'] } } }),
    });
    let before = await snapshot();
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await snapshot();
      // The snapshot's reads are not atomic: compare two in a row, and keep the later one.
      const settled = now.stage === 'approved' && now.pending === 0 && now.events === before.events && now.outbox === before.outbox;
      before = now;
      if (settled) break;
    }
    expect(before.stage).toBe('approved');
    const eventsBefore = before.events;
    const outboxBefore = before.outbox;
    const claimBefore = await prisma.claim.findUniqueOrThrow({ where: { financingRequestId_bankId: { financingRequestId: id, bankId: A } } });
    const since = new Date();
    const HB = (k: string) => ({ ...as(`bank:${B}`), 'Idempotency-Key': `xb-${k}-${randomUUID()}` });
    const offer = { approvedAmountFen: 1_000_000, annualRateBp: 3600, termMonths: 1, repaymentMethod: 'equal_installment' };
    const disburse = { amountFen: 1_000_000, annualRateBp: 3600, termMonths: 1, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' };
    const attempts: Array<{ what: string; method: string; path: string; body?: unknown; headers: Record<string, string>; auditedIn: 'access' | 'portrait' }> = [
      { what: "read A's request (claim and offer)", method: 'GET', path: `/v1/financing-requests/${id}`, headers: as(`bank:${B}`), auditedIn: 'access' },
      { what: "accept A's claim", method: 'POST', path: `/v1/financing-requests/${id}/accept`, body: {}, headers: HB('acc'), auditedIn: 'access' },
      { what: "review A's claim", method: 'POST', path: `/v1/financing-requests/${id}/start-review`, body: {}, headers: HB('rev'), auditedIn: 'access' },
      { what: "rewrite A's offer", method: 'POST', path: `/v1/financing-requests/${id}/approve`, body: offer, headers: HB('app'), auditedIn: 'access' },
      {
        what: "rewrite A's offer, naming A",
        method: 'POST',
        path: `/v1/financing-requests/${id}/approve`,
        body: { ...offer, bankId: A },
        headers: HB('app-a'),
        auditedIn: 'access',
      },
      {
        what: "decline A's claim",
        method: 'POST',
        path: `/v1/financing-requests/${id}/decline`,
        body: { reason: 'sabotage' },
        headers: HB('dec'),
        auditedIn: 'access',
      },
      {
        what: "disburse on A's claim",
        method: 'POST',
        path: `/v1/financing-requests/${id}/disburse`,
        body: disburse,
        headers: HB('disb'),
        auditedIn: 'access',
      },
      {
        what: "choose A's offer",
        method: 'POST',
        path: `/v1/financing-requests/${id}/choose-offer`,
        body: { bankId: A },
        headers: HB('choose'),
        auditedIn: 'access',
      },
      {
        what: 'read the portrait granted to A, as A',
        method: 'GET',
        path: `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?bankId=${A}`,
        headers: as(`bank:${B}`),
        auditedIn: 'access',
      },
      {
        what: 'read the portrait without a grant',
        method: 'GET',
        path: `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait`,
        headers: as(`bank:${B}`),
        auditedIn: 'portrait',
      },
      {
        what: "list the enterprise's grants",
        method: 'GET',
        path: `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-grants`,
        headers: as(`bank:${B}`),
        auditedIn: 'access',
      },
      {
        what: "change A's notification preferences",
        method: 'PUT',
        path: `/v1/notification-preferences/bank/${A}`,
        body: { channels: { sms: false } },
        headers: HB('prefs'),
        auditedIn: 'access',
      },
    ];
    for (const a of attempts) {
      const r = await s.api(a.method, a.path, a.body, a.headers);
      expect([403, 404], `${a.what}: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      expect(r.headers.get('content-type'), a.what).toMatch(/application\/problem\+json/);
      // Nothing of A's claim or offer in the answer.
      expect(JSON.stringify(r.body), a.what).not.toMatch(/approvedAmountFen|annualRateBp|"claims"/);
    }

    // Every refusal audited: AccessAudit rows for B's principal (path and status), or a refused
    // PortraitReadAudit row for the portrait read without a grant.
    const access = attempts.filter((a) => a.auditedIn === 'access');
    const rows = await eventually(
      () => prisma.accessAudit.findMany({ where: { principalId: bPrincipal, at: { gte: since } } }),
      (r) => access.every((a) => r.some((x) => x.method === a.method && x.path === a.path)),
      15_000,
    );
    for (const a of access) {
      const row = rows.find((x) => x.method === a.method && x.path === a.path)!;
      expect([403, 404], a.what).toContain(row.status);
      expect(row.role).toBe('bank');
      expect(row.reason.length, a.what).toBeGreaterThan(0);
    }
    const portraitRefusals = await prisma.portraitReadAudit.findMany({ where: { enterpriseId: DEMO_ENTERPRISE_ID, bankId: B, allowed: false } });
    expect(portraitRefusals.length).toBeGreaterThan(0);

    // Nothing changed on A's side: same claim, same offer, no new timeline entries or prompts, no claim for B.
    const claimAfter = await prisma.claim.findUniqueOrThrow({ where: { financingRequestId_bankId: { financingRequestId: id, bankId: A } } });
    expect({ ...claimAfter, updatedAt: null }).toEqual({ ...claimBefore, updatedAt: null });
    expect(await prisma.claim.count({ where: { financingRequestId: id, bankId: B } })).toBe(0);
    expect(await prisma.stageEvent.count({ where: { financingRequestId: id } })).toBe(eventsBefore);
    expect(await prisma.notification.count({ where: { financingRequestId: id } })).toBe(outboxBefore);
    expect(await prisma.loan.count({ where: { financingRequestId: id } })).toBe(0);

    // And A itself still may: the refusals above are about B, not a broken route.
    const own = await s.api('GET', `/v1/financing-requests/${id}`, undefined, as(`bank:${A}`));
    expect(own.status).toBe(200);
    expect(own.body.claims).toEqual([expect.objectContaining({ bankId: A, status: 'approved', offer: expect.objectContaining({ annualRateBp: 420 }) })]);
  });
});
