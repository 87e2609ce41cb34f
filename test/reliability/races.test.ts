// Races through the public API: 100 banks grabbing one pool request at once (exactly 3 win, 97
// are refused with 409 and why), and 50 identical publishes with one Idempotency-Key (one
// request). Each ends by checking nothing was lost or written twice.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import { GUARANTEE_METHODS } from '../../domain/vocabulary';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { eventually } from '../support/eventually';
import { as, asOrg, startTestStack, type TestStack } from '../support/stack';

const BANKS = 100;
const PUBLISHES = 50;

let s: TestStack;
beforeAll(async () => {
  // Scripted clients: lift the per-principal limit (the limit itself is tested in api-users.test.ts).
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 1_000_000, publicPerIpPerMinute: 1_000_000 } } });
});
afterAll(async () => {
  await s?.close();
});

const ENT = as('enterprise');

describe('grab race', () => {
  it(`${BANKS} banks grab one pool request at once: exactly 3 win, ${BANKS - 3} are refused with 409 and the reason`, async () => {
    const { prisma } = s.db;
    const run = randomUUID().slice(0, 8);
    const bankIds = Array.from({ length: BANKS }, (_, i) => `race-${run}-${String(i).padStart(3, '0')}`);
    await prisma.bank.createMany({ data: bankIds.map((id, i) => ({ id, name: `Race Bank ${i}`, region: '330400' })) });
    // Pool eligibility needs an active product that fits the request: one broad product per bank.
    await prisma.product.createMany({
      data: bankIds.map((bankId) => ({
        id: randomUUID(),
        bankId,
        name: `${bankId} working-capital loan`,
        minAmountFen: 1n,
        maxAmountFen: 100_000_000_000n,
        minTermMonths: 1,
        maxTermMonths: 360,
        minAnnualRateBp: 1,
        maxAnnualRateBp: 3600,
        guaranteeMethods: [...GUARANTEE_METHODS],
        status: 'active' as const,
      })),
    });
    const headers = new Map<string, Record<string, string>>();
    for (const bankId of bankIds) headers.set(bankId, await asOrg(prisma, { role: 'bank', bankId }));

    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 200_000_000, termMonths: 12, purpose: 'grab race', guaranteeMethod: 'credit', routing: 'pool' },
      { ...ENT, 'Idempotency-Key': `race-pool-${run}` },
    );
    expect(pub.status).toBe(201);
    const id = pub.body.id as string;
    // The pool is open once the request recorded who may grab it.
    const opened = await eventually(
      () => prisma.financingRequest.findUnique({ where: { id }, select: { eligibleBankIds: true, poolClosesAt: true } }),
      (r) => Boolean(r?.poolClosesAt) && bankIds.every((b) => r!.eligibleBankIds.includes(b)),
      60_000,
    );
    expect(opened!.eligibleBankIds).toEqual(expect.arrayContaining(bankIds));

    // All at once: the requests are built first, then fired together.
    const answers = await Promise.all(
      bankIds.map((bankId, i) => s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...headers.get(bankId)!, 'Idempotency-Key': `grab-${run}-${i}` })),
    );
    const won = bankIds.filter((_, i) => answers[i]!.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(won).toHaveLength(3);
    expect(refused).toHaveLength(BANKS - 3);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(r.body.type).toMatch(/\/slots-full$/);
      expect(r.body.detail).toMatch(/slots are taken/);
    }

    // A loser retrying, and a winner grabbing again, change nothing.
    const loser = bankIds.find((b) => !won.includes(b))!;
    expect((await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...headers.get(loser)!, 'Idempotency-Key': `grab-${run}-again` })).status).toBe(409);
    const again = await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...headers.get(won[0]!)!, 'Idempotency-Key': `grab-${run}-winner-2` });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/\/already-holds-claim$/);

    // Nothing lost, nothing twice: three claims (rows and workflows), each accepted once, each
    // winner told once per channel, the request's state agreeing with the database.
    const claims = await eventually(
      () => prisma.claim.findMany({ where: { financingRequestId: id } }),
      (c) => c.length === 3,
      60_000,
    );
    expect(claims.map((c) => c.bankId).sort()).toEqual([...won].sort());
    expect(claims.every((c) => c.origin === 'grab' && c.status === 'accepted')).toBe(true);
    for (const b of won) expect((await s.client.workflow.getHandle(claimWorkflowId(id, b)).describe()).status.name).toBe('RUNNING');
    for (const b of bankIds.filter((x) => !won.includes(x)).slice(0, 5))
      await expect(s.client.workflow.getHandle(claimWorkflowId(id, b)).describe()).rejects.toThrow();
    const events = await prisma.stageEvent.findMany({ where: { financingRequestId: id } });
    for (const b of won) expect(events.filter((e) => e.claimId === `${id}:${b}` && e.event === 'claim:accepted')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'accepted')).toHaveLength(1);
    const told = await eventually(
      () => prisma.notification.findMany({ where: { financingRequestId: id, templateId: 'grabWon' } }),
      (rows) => new Set(rows.map((r) => r.recipientId)).size === 3,
      60_000,
    );
    expect(new Set(told.map((r) => r.recipientId))).toEqual(new Set(won));
    expect(new Set(told.map((r) => `${r.recipientId}|${r.channel}`)).size).toBe(told.length);
    const state = await s.client.workflow.getHandle(financingRequestWorkflowId(id)).query<{ claims: Array<{ bankId: string }> }>('getState');
    expect(state.claims.map((c) => c.bankId).sort()).toEqual([...won].sort());

    // Each winner sees its own claim only, never the others' (API1/API3).
    const view = await s.api('GET', `/v1/financing-requests/${id}`, undefined, headers.get(won[0]!));
    expect(view.status).toBe(200);
    expect(view.body.claims.map((c: { bankId: string }) => c.bankId)).toEqual([won[0]]);
  });
});

describe('publish race', () => {
  it(`${PUBLISHES} identical publishes with one Idempotency-Key at once: one request`, async () => {
    const { prisma } = s.db;
    const key = `race-publish-${randomUUID()}`;
    const body = {
      amountFen: 120_000_000,
      termMonths: 24,
      purpose: 'publish race',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: ['hecheng-rcb', 'jiaxing-bank'],
    };
    const answers = await Promise.all(
      Array.from({ length: PUBLISHES }, () => s.api('POST', '/v1/financing-requests', body, { ...ENT, 'Idempotency-Key': key })),
    );
    const statuses = answers.map((a) => a.status);
    expect(answers.filter((a) => a.status >= 500).map((a) => a.body)).toEqual([]);
    expect(
      statuses.filter((st) => st === 201),
      statuses.join(','),
    ).toHaveLength(1);
    expect(
      statuses.filter((st) => st === 200),
      statuses.join(','),
    ).toHaveLength(PUBLISHES - 1);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as string[];
    for (const a of answers.filter((x) => x.status === 200)) expect(a.headers.get('idempotent-replayed')).toBe('true');

    // Nothing twice: one row, one workflow, two claims, one 'published' entry, no prompt repeated.
    await eventually(
      () => prisma.claim.count({ where: { financingRequestId: id } }),
      (n) => n === 2,
      60_000,
    );
    expect(await prisma.financingRequest.count({ where: { enterpriseId: DEMO_ENTERPRISE_ID, idempotencyKey: key } })).toBe(1);
    const runs = [];
    for await (const w of s.client.workflow.list({ query: `WorkflowId = '${financingRequestWorkflowId(id!)}'` })) runs.push(w);
    expect(runs).toHaveLength(1);
    const events = await prisma.stageEvent.findMany({ where: { financingRequestId: id } });
    expect(events.filter((e) => e.event === 'published')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'claim:offered')).toHaveLength(2);
    const rows = await prisma.notification.findMany({ where: { financingRequestId: id } });
    expect(new Set(rows.map((r) => `${r.recipientType}:${r.recipientId}|${r.channel}|${r.templateId}`)).size).toBe(rows.length);

    // The same key with another body is refused, not merged.
    const other = await s.api('POST', '/v1/financing-requests', { ...body, amountFen: 1_000_000 }, { ...ENT, 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/\/idempotency-key-reused$/);
  });
});
