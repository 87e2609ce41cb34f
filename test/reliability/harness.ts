// The reliability tests' stack (no vitest import: cacheMemory.ts runs it under plain tsx; the
// assertions are in checks.ts), with every part in reach of a fault: a Temporal dev server the
// test can stop and start again (optionally persisted to a SQLite file), a fresh PostgreSQL
// database reached through a TCP proxy the test can cut, workers in child processes the test can
// SIGKILL, and the API in this process. Plus the actors and the "nothing lost, nothing twice" check.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { TokenSigner } from '../../api/auth/tokens';
import { apiConfigFrom } from '../../api/deps';
import { readEnv } from '../../config/env';
import { logger } from '../../config/logger';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import { clientInterceptors } from '../../observability/tracing';
import { openDatabase, type Database } from '../../prisma/database';
import { DEMO_KEYS, seedDemoData } from '../../prisma/seed';
import { startTemporalDevServer, type DevServer } from '../../scripts/temporalDevServer';
import { registerSearchAttributes } from '../../worker/searchAttributes';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startTcpProxy, type TcpProxy } from './tcpProxy';
import { apiCall, guardApiFetch, type ApiAnswer } from '../support/http';

const root = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let bundlePath: Promise<string> | undefined;
/** The workflow code bundled once per test file (as the Docker image does), so a worker starts in seconds. */
export function workflowBundle(): Promise<string> {
  bundlePath ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows/index.ts'), logger: { ...silentLogger } });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bundle-')), 'workflow-bundle.js');
    fs.writeFileSync(file, code);
    return file;
  })();
  return bundlePath;
}

const noop = () => undefined;
const silentLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ReliabilityStack {
  apiUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** The test's own database connection (direct, never through the proxy): for checks. */
  db: Database;
  database: TestDatabase;
  /** The proxy API and workers reach PostgreSQL through. */
  proxy: TcpProxy;
  client: Client;
  dev: DevServer;
  api(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** A worker in a child process; `env` adds variables (fault injection, workerProcess.ts). */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Stops the Temporal dev server (SIGTERM, then SIGKILL after 10 s). */
  stopTemporal(): Promise<void>;
  /** Starts it again on the same port and SQLite file (persisted stacks only). */
  startTemporal(): Promise<void>;
  close(): Promise<void>;
}

export type { ApiAnswer } from '../support/http';

export async function startReliabilityStack(o: { persistTemporal?: boolean } = {}): Promise<ReliabilityStack> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-rel-'));
  const temporalPort = await freePort();
  const devOptions = {
    port: temporalPort,
    headless: true,
    dbFile: o.persistTemporal ? path.join(scratch, 'temporal.db') : undefined,
    logFile: path.join(scratch, 'temporal.log'),
  };
  let dev = await startTemporalDevServer(devOptions);
  const database = await createTestDatabase('lb_rel');
  const db = await openDatabase({ databaseUrl: database.url, migrate: true, poolSize: 5 });
  await seedDemoData(db.prisma);
  const pgUrl = new URL(database.url);
  const proxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);

  const connection = await Connection.connect({ address: dev.address });
  await registerSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default', interceptors: clientInterceptors() });
  const taskQueue = `rel-${Math.random().toString(36).slice(2, 8)}`;

  const apiDb = await openDatabase({ databaseUrl: viaProxy.toString(), migrate: false });
  const env = readEnv({});
  const app = createApp({
    prisma: apiDb.prisma,
    temporal: client,
    namespace: 'default',
    taskQueue,
    temporalUiUrl: 'http://127.0.0.1:8233',
    log: logger,
    tokens: new TokenSigner(undefined),
    // Scripted actors poll far faster than people: lift the per-principal limit.
    config: { ...apiConfigFrom(env, false), rateLimits: { perPrincipalPerMinute: 10_000_000, publicPerIpPerMinute: 10_000_000 } },
    pingDatabase: async () => void (await apiDb.sql.query('SELECT 1')),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  guardApiFetch(apiUrl);
  const bundle = await workflowBundle();
  const workers = new Set<WorkerProcess>();

  const stack: ReliabilityStack = {
    apiUrl,
    temporalAddress: dev.address,
    taskQueue,
    db,
    database,
    proxy,
    client,
    get dev() {
      return dev;
    },
    api: (method, p, body, headers) => apiCall(apiUrl, method, p, body, headers),
    async startWorker(extraEnv = {}) {
      // node with tsx's loader, not the tsx launcher: the launcher forks, and SIGKILL would hit only the launcher.
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'workerProcess.ts')], {
        cwd: root,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: dev.address,
          DATABASE_URL: viaProxy.toString(),
          TEMPORAL_TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: bundle,
          LOG_LEVEL: process.env.RELIABILITY_WORKER_LOG_LEVEL ?? 'error',
          WORKER_METRICS_PORT: '',
          OTEL_TRACING: '',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes('worker ready')) {
            child.stdout!.off('data', onData);
            child.stdout!.resume();
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr} (its logs: test-results/logs/${child.pid}.log)`)));
      });
      const w: WorkerProcess = {
        pid: child.pid!,
        child,
        exited,
        async kill(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
          workers.delete(w);
        },
      };
      workers.add(w);
      return w;
    },
    async stopTemporal() {
      await dev.stop();
    },
    async startTemporal() {
      dev = await startTemporalDevServer(devOptions);
    },
    async close() {
      for (const w of [...workers]) await w.kill('SIGKILL');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await connection.close().catch(() => undefined);
      await apiDb.close().catch(() => undefined);
      await proxy.close();
      await db.close();
      await database.drop();
      await dev.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Authorization of a seeded demo principal (prisma/seed.ts DEMO_KEYS). */
export function who(name: string): Record<string, string> {
  const key = DEMO_KEYS[name];
  if (!key) throw new Error(`no demo principal ${name}`);
  return { authorization: `Bearer ${key}` };
}

/** Runs fn over items with at most `concurrency` at once. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export interface ActorStats {
  /** Answers that say "not yet / try again": 404 (claim not started), 409 (not in that step yet), 503 (a dependency down). */
  retries: number;
  /** 503 answers, each with Retry-After checked. */
  unavailable: number;
  /** Calls that failed at the network level (API reset mid-call). */
  networkErrors: number;
  /** Any 5xx other than 503: must stay 0. */
  serverErrors: Array<{ path: string; status: number; body: unknown }>;
}

export const newStats = (): ActorStats => ({ retries: 0, unavailable: 0, networkErrors: 0, serverErrors: [] });

/**
 * Posts an action until it succeeds, retrying what a real client retries: "not yet" (404, 409),
 * 503 (after its Retry-After, shortened for the test) and network errors. The same
 * Idempotency-Key every time, so a retry of an action that did happen is answered, not repeated.
 */
export async function act(
  s: ReliabilityStack,
  stats: ActorStats,
  p: string,
  body: unknown,
  key: string,
  as: string,
  o: { deadlineMs?: number; doneWhenClosed?: boolean } = {},
): Promise<ApiAnswer> {
  const until = Date.now() + (o.deadlineMs ?? 300_000);
  let tried = false;
  const seen: string[] = [];
  for (let attempt = 0; ; attempt++) {
    let r: ApiAnswer | undefined;
    try {
      r = await s.api('POST', p, body, { ...who(as), 'Idempotency-Key': key });
    } catch {
      stats.networkErrors += 1;
    }
    if (r && (r.status === 200 || r.status === 201)) return r;
    seen.push(r ? `${r.status}${r.body?.type ? ' ' + String(r.body.type).split('/').pop() : ''}` : 'network');
    // The last step of a journey closes the workflow: when an earlier attempt went through but its
    // answer was lost (503 while the worker was dead), the retry finds the workflow closed. Temporal
    // cannot answer a finished update id from a closed workflow, so the client reads the outcome.
    if (o.doneWhenClosed && tried && r?.status === 409 && String(r.body?.type).endsWith('/closed')) return r;
    if (!r || (r.status !== 404 && r.status !== 409)) tried = true;
    else if (r.status === 409 && /\/(closed|request-closed)$/.test(String(r.body?.type)))
      throw new Error(`${p}: closed before this step succeeded; answers: ${seen.join(', ')}`);
    if (r && r.status === 503) {
      stats.unavailable += 1;
      // A 503 must tell the client when to retry, as problem+json.
      if (!(Number(r.headers.get('retry-after')) > 0) || !/application\/problem\+json/.test(r.headers.get('content-type') ?? ''))
        stats.serverErrors.push({ path: p, status: r.status, body: { malformed503: r.body, retryAfter: r.headers.get('retry-after') } });
    } else if (r && r.status >= 500) stats.serverErrors.push({ path: p, status: r.status, body: r.body });
    else if (r && ![404, 409].includes(r.status)) throw new Error(`${p} → ${r.status} ${JSON.stringify(r.body)}`);
    stats.retries += 1;
    if (Date.now() > until) throw new Error(`${p} never succeeded: last ${r?.status} ${JSON.stringify(r?.body)}; answers: ${[...new Set(seen)].join(', ')}`);
    await new Promise((res) => setTimeout(res, Math.min(50 * 2 ** Math.min(attempt, 5), 1000)));
  }
}

const DEMO_BANK_IDS = ['hecheng-rcb', 'jiaxing-bank', 'suzhou-bank', 'icbc-jiaxing'];

export interface Journey {
  key: string;
  bankId: string;
  id?: string;
  /** Steps done, for the progress the fault is timed against. */
  steps: number;
}

export function journeys(n: number, prefix: string): Journey[] {
  return Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, bankId: DEMO_BANK_IDS[i % DEMO_BANK_IDS.length]!, steps: 0 }));
}

/** The whole happy path of one request through the API: publish → accept → review → approve → choose → disburse → rate. */
export async function runJourney(s: ReliabilityStack, stats: ActorStats, j: Journey, onStep: () => void = () => undefined): Promise<void> {
  const step = () => {
    j.steps += 1;
    onStep();
  };
  const pub = await act(
    s,
    stats,
    '/v1/financing-requests',
    {
      amountFen: 100_000_000,
      termMonths: 12,
      purpose: `reliability ${j.key}`,
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: [j.bankId],
      // The enterprise chooses (first_approval is covered by races-regression.test.ts).
      offerSelection: 'enterprise_choice',
    },
    `${j.key}-pub`,
    'enterprise',
  );
  j.id = pub.body.id as string;
  step();
  const base = `/v1/financing-requests/${j.id}`;
  const bank = `bank:${j.bankId}`;
  // The bank accepts what it was offered, as a real bank does: once the claim row says 'offered'
  // (its prompt is written in the same transaction). An accept that arrives earlier is covered by
  // races-regression.test.ts.
  await waitFor(
    `claim of ${j.bankId} on ${j.id} offered`,
    () => s.db.prisma.claim.count({ where: { financingRequestId: j.id, bankId: j.bankId } }),
    (n) => n > 0,
    300_000,
    200,
  );
  await act(s, stats, `${base}/accept`, {}, `${j.key}-acc`, bank);
  step();
  await act(s, stats, `${base}/start-review`, {}, `${j.key}-rev`, bank);
  step();
  await act(
    s,
    stats,
    `${base}/approve`,
    { approvedAmountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment' },
    `${j.key}-app`,
    bank,
  );
  step();
  // Choose once the request shows its 'approved' stage, as the enterprise sees it. Choosing and
  // disbursing while that record is still open is covered by races-regression.test.ts.
  await waitForStage(s, j.id, ['approved', 'disbursed', 'closed']);
  await waitForNoPendingRecord(s, j.id);
  await act(s, stats, `${base}/choose-offer`, { bankId: j.bankId }, `${j.key}-choose`, 'enterprise');
  step();
  await act(
    s,
    stats,
    `${base}/disburse`,
    { amountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' },
    `${j.key}-disb`,
    bank,
  );
  step();
  try {
    await act(s, stats, `${base}/rating`, { meetsNeed: 5, cost: 4, speed: 5, communication: 5 }, `${j.key}-rate`, 'enterprise', { doneWhenClosed: true });
  } catch (err) {
    const events = await s.db.prisma.stageEvent.findMany({ where: { financingRequestId: j.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const row = await s.db.prisma.financingRequest.findUnique({ where: { id: j.id } });
    throw new Error(`${(err as Error).message}; request ${row?.stage}/${row?.closeReason}; timeline ${events.map((e) => `${e.event}@${e.actor}`).join(' ')}`, {
      cause: err,
    });
  }
  step();
}

export const JOURNEY_STEPS = 7;

/** Waits until the request workflow has no recordTransition activity open (see runJourney). */
export async function waitForNoPendingRecord(s: ReliabilityStack, id: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const handle = s.client.workflow.getHandle(financingRequestWorkflowId(id));
  for (;;) {
    const d = await handle.describe().catch(() => undefined);
    const open = (d?.raw.pendingActivities ?? []).filter((a) => a.activityType?.name === 'recordTransition').length;
    if (d && open === 0) return;
    if (Date.now() > until) throw new Error(`request ${id} kept a recordTransition open`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls the request row (the test's own connection, not the API) until its stage is one of `stages`. */
export async function waitForStage(s: ReliabilityStack, id: string, stages: string[], timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await s.db.prisma.financingRequest.findUnique({ where: { id }, select: { stage: true } });
    if (row && stages.includes(row.stage)) return;
    if (Date.now() > until) throw new Error(`request ${id} never reached ${stages.join('|')} (at ${row?.stage})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until `check` holds, polling; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 240_000, everyMs = 1000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (err) {
      last = err as T;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last, (_k, v) => (typeof v === 'bigint' ? String(v) : v))?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Request and claim workflows of the journeys that are not closed yet. */
export async function openWorkflows(s: ReliabilityStack, js: Journey[]): Promise<string[]> {
  const open: string[] = [];
  await pool(js, 16, async (j) => {
    for (const wid of [financingRequestWorkflowId(j.id!), claimWorkflowId(j.id!, j.bankId)]) {
      const d = await s.client.workflow.getHandle(wid).describe();
      if (d.status.name !== 'COMPLETED') open.push(`${wid} ${d.status.name}`);
    }
  });
  return open;
}

/** Waits until the journeys' requests are closed, their outbox drained and their workflows completed (a fault delays all three). */
export async function waitUntilSettled(s: ReliabilityStack, js: Journey[], timeoutMs = 240_000): Promise<void> {
  const ids = js.map((j) => j.id!);
  await waitFor(
    'requests closed, outbox drained, workflows completed',
    async () => {
      const open = await s.db.prisma.financingRequest.count({ where: { id: { in: ids }, stage: { not: 'closed' } } });
      const undelivered = await s.db.prisma.notification.count({ where: { financingRequestId: { in: ids }, status: { in: ['pending', 'held'] } } });
      const workflows = open === 0 && undelivered === 0 ? await openWorkflows(s, js) : ['(not checked yet)'];
      return { open, undelivered, workflows };
    },
    (v) => v.open === 0 && v.undelivered === 0 && v.workflows.length === 0,
    timeoutMs,
  );
}
