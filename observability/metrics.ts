// Prometheus metrics (prom-client).
//
// API process (GET /metrics on the API port, see docs/operations.md):
//   loanbridge_http_requests_total{method,route,status}           request rate, by route *template*
//   loanbridge_http_request_duration_seconds{method,route,status} latency histogram
//   loanbridge_workflows_started_total{workflow_type,result}      workflow starts by this process's client
//   loanbridge_outbox_backlog{status}                             Notification rows pending / held (on scrape)
//   loanbridge_outbox_oldest_pending_seconds                      age of the oldest due, undelivered row
//   loanbridge_stuck_claims{status}                               live claims past their deadlineAt (on scrape)
//   loanbridge_financing_requests{stage,close_reason}             requests by stage and outcome (on scrape)
//   loanbridge_metrics_database_up                                1 when the scrape-time queries answered
//   + prom-client's default process metrics (memory, CPU, event-loop lag, GC)
// Worker process: the SDK's own metrics (temporal_workflow_completed / _failed / _canceled /
// _continue_as_new, temporal_activity_execution_failed, task latencies, sticky cache…) and
// loanbridge_activity_failures{activity_type,error_type}, on WORKER_METRICS_PORT through the
// SDK runtime's Prometheus exporter (observability/runtime.ts).
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Next, WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';
import type { PrismaClient } from '../generated/prisma/client';

/** The process-wide registry: HTTP and client metrics, default process metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'loanbridge_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'loanbridge_http_request_duration_seconds',
  help: 'HTTP request latency from arrival to the last byte written, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const workflowsStarted = new Counter({
  name: 'loanbridge_workflows_started_total',
  help: 'Workflow starts requested by this process, by type and result (started, already_started, error)',
  labelNames: ['workflow_type', 'result'] as const,
  registers: [registry],
});

/** Route label of requests no route matched (404s, and refusals before routing such as 401/429). */
export const NO_ROUTE = 'none';

const ROUTE = Symbol('loanbridge.route');

/**
 * The matched route as a template ("/v1/financing-requests/:id"), never the raw path: raw paths
 * would give every id its own time series. Express assigns `req.route` while `req.baseUrl` is the
 * mount path of the router that matched, so a setter on the request captures both at that moment.
 */
function captureRouteTemplate(req: Request): void {
  let current: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(v: { path?: unknown } | undefined) {
      current = v;
      const p = v?.path;
      if (typeof p === 'string') (req as unknown as Record<symbol, string>)[ROUTE] = joinRoute(req.baseUrl || '', p);
    },
  });
}

function joinRoute(base: string, p: string): string {
  const joined = (base + (p === '/' ? '' : p)).replace(/\/+$/, '');
  return joined || '/';
}

export function routeTemplate(req: Request): string {
  return (req as unknown as Record<symbol, string | undefined>)[ROUTE] ?? NO_ROUTE;
}

/** Express middleware: counts and times every request by method, route template and status. */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    captureRouteTemplate(req);
    res.once('finish', () => {
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

/** Counts workflow starts made through a Client (the API's publishes, product applications, loan codes). */
export class WorkflowStartMetricsInterceptor implements WorkflowClientInterceptor {
  async start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    try {
      const runId = await next(input);
      workflowsStarted.inc({ workflow_type: input.workflowType, result: 'started' });
      return runId;
    } catch (err) {
      workflowsStarted.inc({ workflow_type: input.workflowType, result: err instanceof WorkflowExecutionAlreadyStartedError ? 'already_started' : 'error' });
      throw err;
    }
  }
}

/** How long scrape-time database figures are reused, so several scrapers cost one set of queries. */
const DB_FIGURES_TTL_MS = 5_000;

interface DbFigures {
  backlog: Record<'pending' | 'held', number>;
  oldestPendingSeconds: number;
  stuck: Array<{ status: string; n: number }>;
  requests: Array<{ stage: string; closeReason: string; n: number }>;
}

/** Reads the outbox backlog, stuck claims and requests by stage/outcome (four indexed aggregate queries). */
export async function readDbFigures(prisma: PrismaClient, now = new Date()): Promise<DbFigures> {
  const [backlog, oldest, stuck, requests] = await Promise.all([
    prisma.notification.groupBy({ by: ['status'], where: { status: { in: ['pending', 'held'] } }, _count: { _all: true } }),
    prisma.notification.findFirst({ where: { status: 'pending', notBefore: { lte: now } }, orderBy: { notBefore: 'asc' }, select: { notBefore: true } }),
    prisma.claim.groupBy({
      by: ['status'],
      where: { status: { in: [...LIVE_CLAIM_STATUSES] }, deadlineAt: { lt: now } },
      _count: { _all: true },
    }),
    prisma.financingRequest.groupBy({ by: ['stage', 'closeReason'], _count: { _all: true } }),
  ]);
  const b = { pending: 0, held: 0 };
  for (const row of backlog) b[row.status as 'pending' | 'held'] = row._count._all;
  return {
    backlog: b,
    oldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.notBefore.getTime()) / 1000) : 0,
    stuck: stuck.map((r) => ({ status: r.status, n: r._count._all })),
    requests: requests.map((r) => ({ stage: r.stage, closeReason: r.closeReason ?? '', n: r._count._all })),
  };
}

/** A registry of the gauges computed from the database at scrape time (one per API instance). */
export function databaseGauges(prisma: PrismaClient): Registry {
  const reg = new Registry();
  let cached: { at: number; figures?: DbFigures; p?: Promise<DbFigures | undefined> } = { at: 0 };
  const figures = async (): Promise<DbFigures | undefined> => {
    if (cached.p && Date.now() - cached.at < DB_FIGURES_TTL_MS) return cached.p;
    const p = readDbFigures(prisma).catch(() => undefined);
    cached = { at: Date.now(), p };
    return p;
  };
  new Gauge({
    name: 'loanbridge_metrics_database_up',
    help: '1 when the scrape-time database queries answered, else 0',
    registers: [reg],
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'loanbridge_outbox_backlog',
    help: 'Notification outbox rows not yet delivered, by status (pending: due or retrying; held: quiet hours or batching)',
    labelNames: ['status'] as const,
    registers: [reg],
    async collect() {
      const f = await figures();
      if (!f) return;
      this.set({ status: 'pending' }, f.backlog.pending);
      this.set({ status: 'held' }, f.backlog.held);
    },
  });
  new Gauge({
    name: 'loanbridge_outbox_oldest_pending_seconds',
    help: 'Age of the oldest due, undelivered outbox row (0 when none)',
    registers: [reg],
    async collect() {
      const f = await figures();
      if (f) this.set(f.oldestPendingSeconds);
    },
  });
  new Gauge({
    name: 'loanbridge_stuck_claims',
    help: 'Live claims past their deadline (deadlineAt < now), by claim status; the deadline timer should have ended them',
    labelNames: ['status'] as const,
    registers: [reg],
    async collect() {
      const f = await figures();
      if (!f) return;
      this.reset();
      for (const s of LIVE_CLAIM_STATUSES) this.set({ status: s }, 0);
      for (const r of f.stuck) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'loanbridge_financing_requests',
    help: 'Financing requests by public stage and close reason (empty while open): started = sum, completed by outcome = stage="closed"',
    labelNames: ['stage', 'close_reason'] as const,
    registers: [reg],
    async collect() {
      const f = await figures();
      if (!f) return;
      this.reset();
      for (const r of f.requests) this.set({ stage: r.stage, close_reason: r.closeReason }, r.n);
    },
  });
  return reg;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics: the process registry plus the database gauges, in Prometheus text format.
 * With METRICS_TOKEN set, scrapers must send `Authorization: Bearer <token>` (else `refuse`
 * answers, the API's 401 problem+json); without it the endpoint is open, for a network where only
 * Prometheus reaches the API's port (docs/security.md, API8/API9).
 */
export function metricsHandler(opts: {
  prisma: PrismaClient;
  token?: string;
  refuse: (req: Request, res: Response) => void;
}): (req: Request, res: Response) => Promise<void> {
  const dbRegistry = databaseGauges(opts.prisma);
  return async (req, res) => {
    if (opts.token) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!m || !tokenMatches(m[1]!, opts.token)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        return opts.refuse(req, res);
      }
    }
    const body = (await registry.metrics()) + '\n' + (await dbRegistry.metrics());
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(body);
  };
}
