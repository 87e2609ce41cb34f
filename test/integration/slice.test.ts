// End to end through every layer: HTTP → Temporal workflow → activities → PostgreSQL → HTTP.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { financingRequestWorkflowId } from '../../domain/ids';
import { STAGES } from '../../domain/vocabulary';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { LOAN_STAGE } from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('../../scripts/tools.js') as { temporalCliPath(): string };

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s?.close();
});

const ENT = as('enterprise');
const publishBody = {
  amountFen: 300_000_000,
  termMonths: 12,
  purpose: 'working capital for a new production line',
  guaranteeMethod: 'credit',
  routing: 'directed',
  directedBankIds: ['hecheng-rcb', 'jiaxing-bank'],
};

describe('the thin slice', () => {
  it('reports database, Temporal and worker up', async () => {
    const h = await eventually(
      () => s.api('GET', '/healthz'),
      (r) => r.status === 200,
    );
    expect(h.status).toBe(200);
    expect(h.body.checks).toMatchObject({ database: { status: 'up' }, temporal: { status: 'up' }, worker: { status: 'up' } });
  });

  it('publishes, dedupes a retried publish, lets a directed bank accept, and shows the new stage everywhere', async () => {
    const key = `slice-${Date.now()}`;
    const first = await s.api('POST', '/v1/financing-requests', publishBody, { ...ENT, 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    // The enterprise gets the request's id and stage; Temporal identifiers are for operators.
    expect(Object.keys(first.body).sort()).toEqual(['id', 'stage']);
    const { id } = first.body;
    const workflowId = financingRequestWorkflowId(id);

    const retry = await s.api('POST', '/v1/financing-requests', publishBody, { ...ENT, 'Idempotency-Key': key });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(id);
    const conflicting = await s.api('POST', '/v1/financing-requests', { ...publishBody, amountFen: 1 }, { ...ENT, 'Idempotency-Key': key });
    expect(conflicting.status).toBe(422);
    expect(conflicting.body.type).toMatch(/idempotency-key-reused$/);

    const persisted = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, ENT),
      (r) => r.body.claims?.length === 2,
    );
    expect(persisted.body).toMatchObject({ id, stage: 'published', amountFen: 300_000_000 });
    expect(await s.db.prisma.financingRequest.count({ where: { enterpriseId: DEMO_ENTERPRISE_ID, idempotencyKey: key } })).toBe(1);

    const notDirected = await s.api('POST', `/v1/financing-requests/${id}/accept`, {}, { ...as('bank:suzhou-bank'), 'Idempotency-Key': `acc-${key}-x` });
    expect(notDirected.status).toBe(404);
    expect(notDirected.body.type).toMatch(/no-claim$/);
    expect(notDirected.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const accept = await s.api(
      'POST',
      `/v1/financing-requests/${id}/accept`,
      { bankId: 'hecheng-rcb' },
      { ...as('bank:hecheng-rcb'), 'Idempotency-Key': `acc-${key}` },
    );
    expect(accept.status).toBe(200);
    expect(accept.body.status).toBe('accepted');
    // Same Idempotency-Key again: the update id dedupes it, the same answer comes back.
    const acceptRetry = await s.api(
      'POST',
      `/v1/financing-requests/${id}/accept`,
      { bankId: 'hecheng-rcb' },
      { ...as('bank:hecheng-rcb'), 'Idempotency-Key': `acc-${key}` },
    );
    expect(acceptRetry.status).toBe(200);

    const after = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, ENT),
      (r) => r.body.stage === 'accepted',
    );
    expect(after.body.stage).toBe('accepted');
    expect(after.body.claims.find((c: { bankId: string }) => c.bankId === 'hecheng-rcb').status).toBe('accepted');
    expect(after.body.timeline.filter((e: { event: string }) => e.event === 'claim:accepted')).toHaveLength(1);

    // The Temporal UI reads the same stage from the workflow's search attribute.
    const desc = await eventually(
      () => s.client.workflow.getHandle(workflowId).describe(),
      (d) => d.typedSearchAttributes.get(LOAN_STAGE) === 'accepted',
    );
    expect(desc.typedSearchAttributes.get(LOAN_STAGE)).toBe('accepted');
    // And the outbox holds one prompt for the enterprise about the acceptance.
    const prompts = await eventually(
      () => s.db.prisma.notification.findMany({ where: { financingRequestId: id, templateId: 'requestAccepted' } }),
      (p) => p.length > 0,
    );
    expect(new Set(prompts.map((p) => p.channel)).size).toBe(prompts.length);
    expect(prompts.length).toBeGreaterThan(0);
  });

  it('refuses bad input with problem+json, never a 500', async () => {
    const cases: Array<[string, unknown, Record<string, string>, number, string]> = [
      ['no key', publishBody, { ...ENT }, 400, 'idempotency-key-required'],
      ['malformed json', '{"amountFen":', { ...ENT, 'Idempotency-Key': 'k-malformed-1' }, 400, 'malformed-json'],
      ['unknown field', { ...publishBody, hack: true }, { ...ENT, 'Idempotency-Key': 'k-unknown-1' }, 400, 'validation-failed'],
      ['negative amount', { ...publishBody, amountFen: -5 }, { ...ENT, 'Idempotency-Key': 'k-negative-1' }, 400, 'validation-failed'],
      ['float amount', { ...publishBody, amountFen: 1.5 }, { ...ENT, 'Idempotency-Key': 'k-float-1' }, 400, 'validation-failed'],
      ['unknown bank', { ...publishBody, directedBankIds: ['no-such-bank'] }, { ...ENT, 'Idempotency-Key': 'k-nobank-1' }, 422, 'unknown-bank'],
      [
        'another enterprise',
        { ...publishBody, enterpriseId: '00000000-0000-4000-8000-00000000beef' },
        { ...ENT, 'Idempotency-Key': 'k-other-ent' },
        403,
        'not-your-organisation',
      ],
      ['no credentials', publishBody, { 'Idempotency-Key': 'k-anon-0001' }, 401, 'unauthenticated'],
      ['a bank publishing', publishBody, { ...as('bank:hecheng-rcb'), 'Idempotency-Key': 'k-bank-0001' }, 403, 'forbidden'],
    ];
    for (const [name, body, headers, status, code] of cases) {
      const r = await s.api('POST', '/v1/financing-requests', body, headers);
      expect(r.status, name).toBe(status);
      expect(r.body.type, name).toMatch(new RegExp(`${code}$`));
    }
    const big = await s.api('POST', '/v1/financing-requests', { ...publishBody, purpose: 'x'.repeat(100_000) }, { ...ENT, 'Idempotency-Key': 'k-big-0001' });
    expect(big.status).toBe(413);
    const missing = await s.api('GET', '/v1/financing-requests/00000000-0000-4000-8000-00000000dead', undefined, ENT);
    expect(missing.status).toBe(404);
    const badId = await s.api('GET', '/v1/financing-requests/not-a-uuid', undefined, ENT);
    expect(badId.status).toBe(400);
  });

  it('serves an OpenAPI 3.1 document and docs page', async () => {
    const doc = await s.api('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/v1/financing-requests');
    const page = await fetch(`${s.apiUrl}/docs/`);
    expect(page.status).toBe(200);
  });
});

describe('the whole lifecycle through the API', () => {
  it('directed: publish → accept → review → approve → choose → disburse → rate → closed completed', async () => {
    const key = `full-${Date.now()}`;
    const h = (k: string) => ({ ...ENT, 'Idempotency-Key': `${key}-${k}` });
    const hb = (k: string) => ({ ...as('bank:jiaxing-bank'), 'Idempotency-Key': `${key}-${k}` });
    const pub = await s.api('POST', '/v1/financing-requests', { ...publishBody, directedBankIds: ['jiaxing-bank'] }, h('pub'));
    expect(pub.status).toBe(201);
    const id = pub.body.id as string;
    const base = `/v1/financing-requests/${id}`;
    const bank = { bankId: 'jiaxing-bank' };
    await eventually(
      () => s.api('POST', `${base}/accept`, bank, hb('acc')),
      (r) => r.status === 200,
    );
    expect((await s.api('POST', `${base}/start-review`, bank, hb('rev'))).status).toBe(200);
    const tooMuch = await s.api(
      'POST',
      `${base}/approve`,
      { ...bank, approvedAmountFen: 999_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment' },
      hb('app0'),
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.type).toMatch(/invalid-offer$/);
    expect(
      (
        await s.api(
          'POST',
          `${base}/approve`,
          { ...bank, approvedAmountFen: 250_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment' },
          hb('app'),
        )
      ).status,
    ).toBe(200);
    await eventually(
      () => s.api('GET', base, undefined, ENT),
      (r) => r.body.stage === 'approved',
    );
    expect((await s.api('POST', `${base}/choose-offer`, bank, h('choose'))).status).toBe(200);
    const disburse = { ...bank, amountFen: 250_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' };
    const d1 = await eventually(
      () => s.api('POST', `${base}/disburse`, disburse, hb('disb')),
      (r) => r.status === 200,
    );
    expect(d1.body.status).toBe('disbursed');
    const d2 = await s.api('POST', `${base}/disburse`, disburse, hb('disb-again'));
    expect(d2.status).toBe(409);
    await eventually(
      () => s.api('GET', base, undefined, ENT),
      (r) => r.body.stage === 'disbursed',
    );
    const badRating = await s.api('POST', `${base}/rating`, { meetsNeed: 6, cost: 4, speed: 5, communication: 5 }, h('rate0'));
    expect(badRating.status).toBe(400);
    expect((await s.api('POST', `${base}/rating`, { meetsNeed: 5, cost: 4, speed: 5, communication: 5, comment: '服务很好' }, h('rate'))).status).toBe(200);
    const done = await eventually(
      () => s.api('GET', base, undefined, ENT),
      (r) => r.body.stage === 'closed',
    );
    expect(done.body.closeReason).toBe('completed');
    expect(done.body.timeline.map((e: { event: string }) => e.event).filter((e: string) => (STAGES as readonly string[]).includes(e))).toEqual([
      'published',
      'accepted',
      'under_review',
      'approved',
      'disbursed',
      'closed',
    ]);
    expect(await s.db.prisma.loan.count({ where: { financingRequestId: id } })).toBe(1);

    // Recorded histories feed the replay test (test/integration/replay.test.ts): RECORD_HISTORIES=1 npm test
    if (process.env.RECORD_HISTORIES === '1') {
      const dir = path.resolve(__dirname, '../fixtures/histories');
      const recorded: Array<[string, string]> = [
        ['financingRequest-directed-happy', `financingRequest-${id}`],
        ['claim-directed-happy', `claim-${id}:jiaxing-bank`],
      ];
      for (const [name, wid] of recorded) {
        // The CLI writes the canonical proto JSON that historyFromJSON reads back.
        const json = execFileSync(tools.temporalCliPath(), ['workflow', 'show', '--address', s.temporalAddress, '--workflow-id', wid, '--output', 'json']);
        fs.writeFileSync(path.join(dir, `${name}.json`), json);
      }
    }
  });
});
