// The periodic supervision report: the workflow on the time-skipping server builds the ranking of a
// period with seeded history, stores HTML and PDF once, and puts an e-mail to every supervisor in the
// outbox; the schedule created at start runs Mondays 09:00 Asia/Shanghai (described, and triggered
// with a worker polling, on a dev server).
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportId, reportPeriodBefore, SUPERVISION_CONFIG } from '../../domain/supervision';
import { createNotificationDeps } from '../../notifications/deps';
import { openDatabase, type Database } from '../../prisma/database';
import { seedDemoData } from '../../prisma/seed';
import { createWorker } from '../../worker/createWorker';
import { ensureReportSchedule } from '../../worker/reportSchedule';
import { supervisionReportWorkflow } from '../../workflows/supervisionReport';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { EXPECTED_SCORES, HISTORY_PERIOD, seedSupervisionHistory } from '../support/supervisionHistory';
import { localTemporal, timeSkippingTemporal } from '../support/temporal';

const CHIEF = 'chief@supervision.example';

describe('the report workflow (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let db: Database;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const taskQueue = `report-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    env = await timeSkippingTemporal();
    database = await createTestDatabase('lb_report');
    db = await openDatabase({ databaseUrl: database.url, migrate: true, poolSize: 10 });
    await seedDemoData(db.prisma);
    await seedSupervisionHistory(db.prisma);
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      deps: { prisma: db.prisma, notifications: createNotificationDeps({ SUPERVISOR_EMAILS: CHIEF }, db.prisma) },
      visibilityModule: path.resolve(__dirname, '../support/noVisibility.ts'),
    });
    running = worker.run();
    client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  }, 180_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.close();
    await database?.drop();
    await env?.teardown();
  });

  it('ranks the period, stores HTML and PDF once, and e-mails every supervisor', async () => {
    const result = await client.workflow.execute(supervisionReportWorkflow, { taskQueue, workflowId: 'report-1', args: [HISTORY_PERIOD] });
    expect(result).toMatchObject({ reportId: 'report-2026-03-02-2026-03-09', created: true, rankedBanks: 3, ...HISTORY_PERIOD });

    const row = await db.prisma.supervisionReport.findUniqueOrThrow({ where: { id: result.reportId } });
    expect(row.periodStart.toISOString()).toBe(HISTORY_PERIOD.periodStart);
    const ranking = row.ranking as { rows: { bankId: string; rank: number | null; score: number | null }[] };
    expect(ranking.rows.map((r) => [r.bankId, r.rank])).toEqual([
      ['hecheng-rcb', 1],
      ['jiaxing-bank', 2],
      ['suzhou-bank', 3],
      ['icbc-jiaxing', null],
    ]);
    for (const [bankId, score] of Object.entries(EXPECTED_SCORES)) expect(ranking.rows.find((r) => r.bankId === bankId)!.score, bankId).toBeCloseTo(score, 2);
    expect(row.html).toContain('<td>1</td><td>禾城农商银行 Hecheng Rural Commercial Bank');
    expect(row.html).toContain('2026-03-02 – 2026-03-08');
    expect(Buffer.from(row.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(row.pdf.length).toBeGreaterThan(1000);

    // One e-mail per supervisor address (SUPERVISOR_EMAILS and the supervisor principals), keyed by the report.
    const mails = await db.prisma.notification.findMany({ where: { templateId: 'periodicReport', channel: 'email' }, orderBy: { recipientId: 'asc' } });
    expect(mails.map((m) => m.recipientId)).toEqual([CHIEF, 'supervisor@loanbridge.example']);
    expect(mails.every((m) => m.recipientType === 'supervisor' && m.id.startsWith(`supervision-report:${result.reportId}|`))).toBe(true);
    expect(String((mails[0]!.params as { summary: string }).summary)).toMatch(/1\. 禾城农商银行.*\n2\. 嘉兴银行/);
    expect(String((mails[0]!.params as { summary: string }).summary)).toContain(`/v1/supervision/reports/${result.reportId}.pdf`);
    // Delivered through the outbox (the dev inbox transport here).
    await eventually(
      () => db.prisma.notification.findMany({ where: { templateId: 'periodicReport', channel: 'email' } }),
      (rows) => rows.every((r) => r.status === 'sent' || r.status === 'delivered'),
    );

    // A second run for the same period stores nothing new and mails nobody twice.
    const again = await client.workflow.execute(supervisionReportWorkflow, { taskQueue, workflowId: 'report-2', args: [HISTORY_PERIOD] });
    expect(again.created).toBe(false);
    expect(await db.prisma.supervisionReport.count()).toBe(1);
    expect(await db.prisma.notification.count({ where: { templateId: 'periodicReport', channel: 'email' } })).toBe(2);
  });
});

describe('the report schedule (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    env = await localTemporal();
    database = await createTestDatabase('lb_sched');
    db = await openDatabase({ databaseUrl: database.url, migrate: true, poolSize: 5 });
    await seedDemoData(db.prisma);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    await env?.teardown();
  });

  it('is created once and kept up to date: Mondays 09:00 Asia/Shanghai, starting the report workflow', async () => {
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    expect(await ensureReportSchedule(client, 'tq-a')).toBe('created');
    expect(await ensureReportSchedule(client, 'tq-b')).toBe('updated');
    const d = await client.schedule.getHandle(SUPERVISION_CONFIG.report.scheduleId).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars).toHaveLength(1);
    expect(d.spec.calendars![0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY' }],
      hour: [{ start: 9, end: 9 }],
      minute: [{ start: 0, end: 0 }],
    });
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'supervisionReportWorkflow', taskQueue: 'tq-b' });
    // The next runs are Mondays at 01:00 UTC = 09:00 in Shanghai.
    const next = d.info.nextActionTimes;
    expect(next.length).toBeGreaterThan(0);
    for (const t of next) {
      expect(t.getUTCDay()).toBe(1);
      expect(t.toISOString().slice(11, 19)).toBe('01:00:00');
    }
  });

  it('when it fires, its workflow reports the last whole period before the run and mails the supervisors', async () => {
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    const taskQueue = `sched-${Math.random().toString(36).slice(2, 8)}`;
    await ensureReportSchedule(client, taskQueue);
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      deps: { prisma: db.prisma, notifications: createNotificationDeps({ SUPERVISOR_EMAILS: CHIEF }, db.prisma) },
      visibilityModule: path.resolve(__dirname, '../support/noVisibility.ts'),
    });
    const expected = reportPeriodBefore(new Date());
    await worker.runUntil(async () => {
      // What the schedule does on Monday 09:00, now: the action exactly as configured (no explicit period).
      await client.schedule.getHandle(SUPERVISION_CONFIG.report.scheduleId).trigger();
      const row = await eventually(
        () => db.prisma.supervisionReport.findFirst({ where: { id: reportId(expected) } }),
        (r) => r !== null,
        60_000,
      );
      expect(row!.periodStart.toISOString()).toBe(expected.periodStart);
      expect(row!.periodEnd.toISOString()).toBe(expected.periodEnd);
      expect(Buffer.from(row!.pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const mails = await eventually(
        () => db.prisma.notification.findMany({ where: { templateId: 'periodicReport', channel: 'email' } }),
        (rows) => rows.length === 2 && rows.every((r) => r.status === 'sent' || r.status === 'delivered'),
        60_000,
      );
      expect(mails.map((m) => m.recipientId).sort()).toEqual([CHIEF, 'supervisor@loanbridge.example']);
      // The run came from the schedule: its workflow id is the configured one (plus the schedule's time suffix).
      const d = await client.schedule.getHandle(SUPERVISION_CONFIG.report.scheduleId).describe();
      expect(d.info.recentActions.at(-1)?.action.workflow.workflowId).toMatch(new RegExp(`^${SUPERVISION_CONFIG.report.workflowId}`));
    });
  });
});
