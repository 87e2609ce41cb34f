// /v1/supervision on the real stack: stuck orders from the database and the visibility crosscheck,
// per-bank figures and the ranking against hand-computed values, a bank's own row, supervisors'
// actions reaching live claim workflows, and a report built by the report workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays, businessHoursBetween } from '../../domain/calendar';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import { assessBanks } from '../../queries/assessment';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import { amountTier } from '../../domain/tiers';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { LOAN_DEADLINE } from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';
import { EXPECTED, EXPECTED_SCORES, HISTORY_PERIOD, seedStuckClaim, seedSupervisionHistory } from '../support/supervisionHistory';

let s: TestStack;
const taskQueue = `sup-${Math.random().toString(36).slice(2, 8)}`;
const HOUR = 3_600_000;
const now = Date.now();
let stuckId: string;
let idleId: string;

beforeAll(async () => {
  s = await startTestStack({ taskQueue });
  await seedSupervisionHistory(s.db.prisma);
  // Overdue by 30 h and unchanged for 8 days; and unchanged for 12 days with its deadline still ahead (idle: 2+ business days).
  stuckId = await seedStuckClaim(s.db.prisma, {
    n: 101,
    bank: 'jiaxing-bank',
    status: 'under_review',
    stage: 'under_review',
    amountFen: 500_000_000,
    deadlineAt: new Date(now - 30 * HOUR),
    lastChangeAt: new Date(now - 8 * 24 * HOUR),
    createdAt: new Date(now - 9 * 24 * HOUR),
  });
  idleId = await seedStuckClaim(s.db.prisma, {
    n: 102,
    bank: 'hecheng-rcb',
    status: 'accepted',
    stage: 'accepted',
    amountFen: 100_000_000,
    deadlineAt: new Date(now + 20 * HOUR),
    lastChangeAt: new Date(now - 12 * 24 * HOUR),
    createdAt: new Date(now - 13 * 24 * HOUR),
  });
});
afterAll(async () => {
  await s?.close();
});

const SUP = as('supervisor');
const ENT = as('enterprise');
const key = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
const period = `from=${HISTORY_PERIOD.periodStart}&to=${HISTORY_PERIOD.periodEnd}`;
type Item = { requestId: string; bankId: string | null; overdueByHours: number; reasons: string[]; deadlineAt: string; amountFen: number };
const ids = (items: Item[]) => items.map((i) => i.requestId);

describe('stuck orders', () => {
  it('lists an overdue claim with its overdue figure, and an idle one; filters and sorts', async () => {
    const all = await s.api('GET', '/v1/supervision/stuck', undefined, SUP);
    expect(all.status).toBe(200);
    const asOf = Date.parse(all.body.asOf);
    const overdue = all.body.items.find((i: Item) => i.requestId === stuckId);
    expect(overdue).toMatchObject({
      kind: 'claim',
      bankId: 'jiaxing-bank',
      claimStatus: 'under_review',
      stage: 'under_review',
      amountFen: 500_000_000,
      region: '330400',
    });
    expect(overdue.reasons).toEqual(['overdue', 'idle']);
    expect(overdue.overdueByHours).toBeCloseTo((asOf - (now - 30 * HOUR)) / HOUR, 2);
    expect(overdue.overdueByHours).toBeGreaterThanOrEqual(30);
    expect(overdue.ageHours).toBeCloseTo((asOf - (now - 9 * 24 * HOUR)) / HOUR, 2);
    expect(overdue.overdueByBusinessHours).toBeCloseTo(businessHoursBetween(new Date(now - 30 * HOUR), new Date(asOf), CURRENT_LIFECYCLE_POLICY.calendar), 2);
    const idle = all.body.items.find((i: Item) => i.requestId === idleId);
    expect(idle).toMatchObject({ overdueByHours: 0, reasons: ['idle'] });
    // Closed history is never stuck; the most overdue comes first.
    expect(ids(all.body.items)).not.toContain('00000000-0000-4000-b000-000000000001');
    expect(all.body.items[0].requestId).toBe(stuckId);

    const q = async (query: string) => ids((await s.api('GET', `/v1/supervision/stuck?${query}`, undefined, SUP)).body.items);
    expect(await q('bankId=jiaxing-bank')).toEqual([stuckId]);
    expect(await q('overdueOnly=true')).toEqual([stuckId]);
    expect(await q('stage=accepted')).toEqual([idleId]);
    expect(await q('minAmountFen=200000000')).toEqual([stuckId]);
    expect(await q('region=320500')).toEqual([]);
    expect(await q('sort=deadline')).toEqual([stuckId, idleId]);
    expect(await q('sort=idle')).toEqual([idleId, stuckId]);
    expect(await q('sort=amount&order=asc')).toEqual([idleId, stuckId]);

    // Cursor pagination: one item per page, same order, nothing twice.
    const first = await s.api('GET', '/v1/supervision/stuck?limit=1&sort=age', undefined, SUP);
    expect(first.body.items.map((i: Item) => i.requestId)).toEqual([idleId]);
    const second = await s.api('GET', `/v1/supervision/stuck?limit=1&sort=age&cursor=${first.body.nextCursor}`, undefined, SUP);
    expect(second.body.items.map((i: Item) => i.requestId)).toEqual([stuckId]);
    expect(second.body.asOf).toBe(first.body.asOf);

    const bad = await s.api('GET', '/v1/supervision/stuck?sort=nope', undefined, SUP);
    expect(bad.status).toBe(400);
  });

  it('is for supervisors and admins only', async () => {
    const bank = await s.api('GET', '/v1/supervision/stuck', undefined, as('bank:hecheng-rcb'));
    expect(bank.status).toBe(403);
    expect(bank.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await s.api('GET', '/v1/supervision/ranking', undefined, as('enterprise'))).status).toBe(403);
    expect((await s.api('GET', '/v1/supervision/stuck', undefined, as('admin'))).status).toBe(200);
    expect((await s.api('GET', '/v1/supervision/stuck')).status).toBe(401);
  });

  it('crosschecks with Temporal visibility: database-only, Temporal-only and agreeing items', async () => {
    // Overdue in both: a claim row past its deadline and a running workflow of that id whose
    // LoanDeadline passed. Only in Temporal: a running workflow with a passed LoanDeadline and no
    // row (an activity never wrote it). Both run on a task queue nobody polls, so they stay open.
    const bothId = await seedStuckClaim(s.db.prisma, {
      n: 150,
      bank: 'suzhou-bank',
      status: 'accepted',
      stage: 'accepted',
      amountFen: 80_000_000,
      deadlineAt: new Date(now - 10 * HOUR),
      lastChangeAt: new Date(now - 3 * 24 * HOUR),
      createdAt: new Date(now - 4 * 24 * HOUR),
    });
    const both = claimWorkflowId(bothId, 'suzhou-bank');
    const orphan = claimWorkflowId(`crosscheck-orphan-${now}`, 'jiaxing-bank');
    const started = await Promise.all(
      [both, orphan].map((workflowId) =>
        s.client.workflow.start('claimWorkflow', {
          workflowId,
          taskQueue: `nobody-${taskQueue}`,
          args: [],
          typedSearchAttributes: [{ key: LOAN_DEADLINE, value: new Date(now - 5 * HOUR) }],
        }),
      ),
    );
    try {
      const r = await eventually(
        () => s.api('GET', '/v1/supervision/stuck/crosscheck', undefined, SUP),
        (x) => x.status === 200 && x.body.temporal.count >= 2,
      );
      expect(r.body.visibilityQuery).toMatch(/LoanDeadline </);
      const ids = (xs: Array<{ workflowId: string }>) => xs.map((x) => x.workflowId);
      expect(ids(r.body.onlyInDatabase)).toContain(`claim-${stuckId}:jiaxing-bank`);
      expect(ids(r.body.onlyInDatabase)).not.toContain(both);
      expect(ids(r.body.onlyInTemporal)).toEqual([orphan]);
      expect(r.body.agree).toBe(1);
    } finally {
      await Promise.all(started.map((h) => h.terminate('crosscheck test done')));
    }
  });

  it('tags each published request with its region, bank ids and amount tier in Temporal visibility', async () => {
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 300_000_000, termMonths: 12, purpose: 'visibility', guaranteeMethod: 'credit', routing: 'directed', directedBankIds: ['hecheng-rcb'] },
      { ...as('enterprise'), 'Idempotency-Key': `vis-${now}` },
    );
    expect(pub.status).toBe(201);
    const enterprise = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { id: DEMO_ENTERPRISE_ID } });
    const query = `WorkflowId = '${financingRequestWorkflowId(pub.body.id)}' AND LoanRegion = '${enterprise.region}' AND LoanBankIds = 'hecheng-rcb' AND LoanAmountTier = '${amountTier(300_000_000)}'`;
    const found = await eventually(
      async () => {
        const out: string[] = [];
        for await (const wf of s.client.workflow.list({ query })) out.push(wf.workflowId);
        return out;
      },
      (x) => x.length === 1,
    );
    expect(found).toEqual([financingRequestWorkflowId(pub.body.id)]);
  });
});

describe('assessment and ranking', () => {
  it('gives median / p90 hours, missed share, grab win and approval rates, ratings and loans as computed by hand', async () => {
    const r = await s.api('GET', `/v1/supervision/assessment?${period}`, undefined, SUP);
    expect(r.status).toBe(200);
    expect(r.body.periodStart).toBe(HISTORY_PERIOD.periodStart);
    const bank = (id: string) => r.body.banks.find((b: { bankId: string }) => b.bankId === id);
    for (const [id, want] of Object.entries(EXPECTED)) expect(bank(id), id).toMatchObject(want);
    expect(bank('suzhou-bank')).toMatchObject({ poolEligible: 1, grabs: 0, grabWinRate: 0, claimsEnded: 0, missedShare: null });
    expect(bank('icbc-jiaxing')).toMatchObject({ claimsEnded: 0, poolEligible: 0, loans: { count: 0 } });
    // Dates mean Shanghai midnight: the same period.
    const byDate = await s.api('GET', '/v1/supervision/assessment?from=2026-03-02&to=2026-03-09', undefined, SUP);
    expect(byDate.body.periodStart).toBe(HISTORY_PERIOD.periodStart);
    expect(byDate.body.banks).toEqual(r.body.banks);
    expect((await s.api('GET', '/v1/supervision/assessment?from=2026-03-09&to=2026-03-02', undefined, SUP)).status).toBe(400);
  });

  it('answers from the pre-aggregated view exactly what the base tables give, for whole days and for partial days at the edges', async () => {
    const periods = [
      [HISTORY_PERIOD.periodStart, HISTORY_PERIOD.periodEnd],
      // Starts and ends mid-day in Shanghai: pool figures of the partial days come from the base tables.
      ['2026-03-02T03:30:00.000Z', '2026-03-06T09:15:00.000Z'],
      // Less than a day: no whole day at all.
      ['2026-03-03T01:00:00.000Z', '2026-03-03T12:00:00.000Z'],
    ];
    for (const [from, to] of periods) {
      const r = await s.api('GET', `/v1/supervision/assessment?from=${from}&to=${to}`, undefined, SUP);
      expect(r.status).toBe(200);
      expect(Date.parse(r.body.asOf)).toBeGreaterThan(0);
      const exact = await assessBanks(s.db.prisma, new Date(from!), new Date(to!));
      expect(r.body.banks, `${from} – ${to}`).toEqual(JSON.parse(JSON.stringify(exact)));
    }
  });

  it('ranks by the documented composite score; a bank sees only its own row and rank', async () => {
    const r = await s.api('GET', `/v1/supervision/ranking?${period}`, undefined, SUP);
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x: { bankId: string; rank: number | null }) => [x.bankId, x.rank])).toEqual([
      ['hecheng-rcb', 1],
      ['jiaxing-bank', 2],
      ['suzhou-bank', 3],
      ['icbc-jiaxing', null],
    ]);
    for (const [id, score] of Object.entries(EXPECTED_SCORES))
      expect(r.body.rows.find((x: { bankId: string }) => x.bankId === id).score, id).toBeCloseTo(score, 2);
    expect(r.body.rankedBanks).toBe(3);

    const me = await s.api('GET', `/v1/supervision/ranking/me?${period}`, undefined, as('bank:jiaxing-bank'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ rankedBanks: 3, row: { bankId: 'jiaxing-bank', rank: 2 } });
    expect(JSON.stringify(me.body)).not.toContain('hecheng-rcb');
    expect((await s.api('GET', `/v1/supervision/ranking/me?${period}`, undefined, SUP)).status).toBe(403);
  });
});

describe("supervisors' actions on live claims", () => {
  const claimOf = async (id: string, bankId: string) =>
    (await s.api('GET', `/v1/financing-requests/${id}`, undefined, SUP)).body.claims?.find((c: { bankId: string }) => c.bankId === bankId);

  it('nudge, extend the deadline once per step, release: each reaches the workflow, the timeline and the bank', async () => {
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 120_000_000, termMonths: 12, purpose: 'new kiln', guaranteeMethod: 'credit', routing: 'directed', directedBankIds: ['icbc-jiaxing'] },
      { ...ENT, 'Idempotency-Key': key('pub') },
    );
    expect(pub.status).toBe(201);
    const id: string = pub.body.id;
    const offered = await eventually(
      () => claimOf(id, 'icbc-jiaxing'),
      (c) => c?.status === 'offered' && c.deadlineAt,
    );
    const base = `/v1/supervision/claims/${id}/icbc-jiaxing`;

    const nudge = await s.api('POST', `${base}/nudge`, { reason: 'Please answer the enterprise today' }, { ...SUP, 'Idempotency-Key': key('nudge') });
    expect(nudge.status).toBe(200);
    expect(nudge.body).toMatchObject({ requestId: id, bankId: 'icbc-jiaxing', status: 'offered' });

    const extendKey = key('extend');
    const extend = await s.api(
      'POST',
      `${base}/extend-deadline`,
      { reason: 'public holiday at the branch', businessDays: 2 },
      { ...SUP, 'Idempotency-Key': extendKey },
    );
    expect(extend.status).toBe(200);
    const moved = addBusinessDays(new Date(offered.deadlineAt), 2, CURRENT_LIFECYCLE_POLICY.calendar).toISOString();
    expect(extend.body.deadlineAt).toBe(moved);
    expect((await claimOf(id, 'icbc-jiaxing')).deadlineAt).toBe(moved);
    // A retry with the same key is the same update; a second extension of this step is refused.
    const retry = await s.api(
      'POST',
      `${base}/extend-deadline`,
      { reason: 'public holiday at the branch', businessDays: 2 },
      { ...SUP, 'Idempotency-Key': extendKey },
    );
    expect(retry.status).toBe(200);
    expect(retry.body.deadlineAt).toBe(moved);
    const again = await s.api('POST', `${base}/extend-deadline`, { reason: 'once more' }, { ...SUP, 'Idempotency-Key': key('extend') });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/already-extended$/);
    expect((await s.api('POST', `${base}/extend-deadline`, { reason: 'x' }, { ...SUP, 'Idempotency-Key': key('extend') })).status).toBe(400);

    // An unanswered offer is not released (it expires by itself); an accepted claim is.
    const early = await s.api('POST', `${base}/release`, { reason: 'no answer' }, { ...SUP, 'Idempotency-Key': key('rel') });
    expect(early.status).toBe(409);
    expect(early.body.type).toMatch(/invalid-transition$/);
    const accept = await s.api('POST', `/v1/financing-requests/${id}/accept`, {}, { ...as('bank:icbc-jiaxing'), 'Idempotency-Key': key('acc') });
    expect(accept.status).toBe(200);
    const release = await s.api('POST', `${base}/release`, { reason: 'no progress after acceptance' }, { ...SUP, 'Idempotency-Key': key('rel') });
    expect(release.status).toBe(200);
    expect(release.body.status).toBe('released');
    const after = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, SUP),
      (r) => r.body.claims?.[0]?.status === 'released',
    );
    expect(after.body.claims[0]).toMatchObject({ status: 'released', reason: 'no progress after acceptance' });
    const supervisor = `supervisor:${(await s.db.prisma.principal.findFirstOrThrow({ where: { role: 'supervisor' } })).id}`;
    const timeline = after.body.timeline as { event: string; actor: string }[];
    expect(timeline.filter((e) => e.actor === supervisor).map((e) => e.event)).toEqual([
      'supervision:nudged',
      'supervision:deadline-extended',
      'claim:released',
    ]);
    // The bank was told each time (inbox rows at least).
    const told = await s.db.prisma.notification.findMany({
      where: { financingRequestId: id, recipientType: 'bank', recipientId: 'icbc-jiaxing', channel: 'inbox' },
    });
    expect(told.map((n) => n.templateId)).toEqual(expect.arrayContaining(['supervisorNudge', 'deadlineExtended', 'claimReleased']));
    // The claim has ended: further actions are refused.
    const closed = await s.api('POST', `${base}/nudge`, {}, { ...SUP, 'Idempotency-Key': key('nudge') });
    expect(closed.status).toBe(409);
    expect((await s.api('POST', `/v1/supervision/claims/${id}/suzhou-bank/nudge`, {}, { ...SUP, 'Idempotency-Key': key('nudge') })).status).toBe(404);
    expect((await s.api('POST', `${base}/nudge`, {}, { ...as('bank:icbc-jiaxing'), 'Idempotency-Key': key('nudge') })).status).toBe(403);
  });

  it('releasing a grab claim opens its slot to the pool again', async () => {
    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      { amountFen: 90_000_000, termMonths: 6, purpose: 'raw materials', guaranteeMethod: 'credit', routing: 'pool' },
      { ...ENT, 'Idempotency-Key': key('pool') },
    );
    const id: string = pub.body.id;
    await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}`, undefined, SUP),
      (r) => Boolean(r.body.poolClosesAt),
    );
    const grab = (bank: string) => s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...as(`bank:${bank}`), 'Idempotency-Key': key('grab') });
    for (const b of ['hecheng-rcb', 'jiaxing-bank', 'suzhou-bank']) expect((await grab(b)).status).toBe(200);
    expect((await grab('icbc-jiaxing')).body.type).toMatch(/slots-full$/);
    await eventually(
      () => claimOf(id, 'suzhou-bank'),
      (c) => c?.status === 'accepted',
    );
    const release = await s.api(
      'POST',
      `/v1/supervision/claims/${id}/suzhou-bank/release`,
      { reason: 'no contact with the enterprise' },
      { ...SUP, 'Idempotency-Key': key('rel') },
    );
    expect(release.status).toBe(200);
    const regrab = await eventually(
      () => grab('icbc-jiaxing'),
      (r) => r.status === 200,
    );
    expect(regrab.status).toBe(200);
    expect((await grab('suzhou-bank')).body.type).toMatch(/already-holds-claim$/);
  });
});

describe('reports', () => {
  it('the report workflow stores the period once; supervisors read it as HTML and PDF', async () => {
    const run = () =>
      s.client.workflow.execute('supervisionReportWorkflow', { taskQueue, workflowId: key('report'), args: [HISTORY_PERIOD] }) as Promise<{
        reportId: string;
        created: boolean;
      }>;
    const first = await run();
    expect(first).toMatchObject({ reportId: 'report-2026-03-02-2026-03-09', created: true });
    expect((await run()).created).toBe(false);
    const list = await s.api('GET', '/v1/supervision/reports', undefined, SUP);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([first.reportId]);
    const html = await fetch(`${s.apiUrl}/v1/supervision/reports/${first.reportId}.html`, { headers: SUP });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('禾城农商银行');
    const pdf = await fetch(`${s.apiUrl}/v1/supervision/reports/${first.reportId}.pdf`, { headers: SUP });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');
    expect((await s.api('GET', `/v1/supervision/reports/${first.reportId}.pdf`, undefined, as('bank:hecheng-rcb'))).status).toBe(403);
    expect((await s.api('GET', '/v1/supervision/reports/report-2020-01-01-2020-01-08.html', undefined, SUP)).status).toBe(404);
  });
});
