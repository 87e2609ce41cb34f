// Observability and outage handling without the real stack: route-template metrics, request ids,
// the /metrics endpoint (token, database gauges), the 503 mapping of dependency outages, the input
// guard, and the environment switches.
import { redactPath } from '../../observability/requestLog';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardInput, inputProblem, MAX_JSON_DEPTH } from '../../api/inputGuard';
import { errorHandler, HttpProblem, notFoundHandler, sendProblem } from '../../api/problem';
import { unavailableDependency } from '../../api/unavailable';
import { logger } from '../../config/logger';
import { httpMetrics, metricsHandler, NO_ROUTE, registry } from '../../observability/metrics';
import { requestIdOf, requestLog } from '../../observability/requestLog';
import { runtimeOptions, workerMetricsPort } from '../../observability/runtime';
import { tracingMode } from '../../observability/tracing';
import type { PrismaClient } from '../../generated/prisma/client';

const quiet = logger.child({});
quiet.level = 'silent';

/** A fake Prisma answering the four scrape-time queries, or failing like an unreachable database. */
function fakePrisma(down = false): PrismaClient {
  const fail = async () => {
    throw Object.assign(new Error("Can't reach database server at db:5432"), { code: 'P1001' });
  };
  return {
    notification: {
      groupBy: down
        ? fail
        : async () => [
            { status: 'pending', _count: { _all: 7 } },
            { status: 'held', _count: { _all: 2 } },
          ],
      findFirst: down ? fail : async () => ({ notBefore: new Date(Date.now() - 90_000) }),
    },
    claim: { groupBy: down ? fail : async () => [{ status: 'accepted', _count: { _all: 3 } }] },
    financingRequest: {
      groupBy: down
        ? fail
        : async () => [
            { stage: 'closed', closeReason: 'completed', _count: { _all: 5 } },
            { stage: 'published', closeReason: null, _count: { _all: 1 } },
          ],
    },
  } as unknown as PrismaClient;
}

let base: string;
let close: () => Promise<void>;
const db = { down: false };

beforeAll(async () => {
  const app = express();
  app.use(httpMetrics(), requestLog(quiet));
  app.use(express.json());
  app.use(guardInput());
  app.get(
    '/metrics',
    metricsHandler({
      prisma: new Proxy({}, { get: (_t, k) => (fakePrisma(db.down) as never)[k] }) as PrismaClient,
      token: 'scrape-secret',
      refuse: (req, res) => sendProblem(res, new HttpProblem(401, 'unauthenticated', 'Metrics need the scrape token'), req.originalUrl),
    }),
  );
  const things = Router();
  things.get('/:id', (req, res) => void res.json({ id: req.params.id }));
  things.post('/', (req, res) => void res.status(201).json(req.body));
  things.get('/:id/db-down', () => {
    throw Object.assign(new Error('Connection terminated unexpectedly'), { clientVersion: '7.10.0' });
  });
  things.get('/:id/bug', () => {
    throw new TypeError('undefined is not a function');
  });
  app.use('/v1/things', things);
  app.use(notFoundHandler);
  app.use(errorHandler(quiet));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(async () => {
  await close();
});

async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => String(x.labels[k]) === val));
  return v?.value;
}

describe('HTTP metrics', () => {
  it('labels requests with the route template, never the raw path', async () => {
    await fetch(`${base}/v1/things/abc-123`);
    await fetch(`${base}/v1/things/def-456`);
    await fetch(`${base}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    await fetch(`${base}/no/such/path/${Math.random()}`);
    expect(await metricValue('loanbridge_http_requests_total', { method: 'GET', route: '/v1/things/:id', status: '200' })).toBe(2);
    expect(await metricValue('loanbridge_http_requests_total', { method: 'POST', route: '/v1/things', status: '201' })).toBe(1);
    expect(await metricValue('loanbridge_http_requests_total', { method: 'GET', route: NO_ROUTE, status: '404' })).toBeGreaterThanOrEqual(1);
    const text = await registry.metrics();
    expect(text).not.toMatch(/abc-123|def-456/);
    expect(text).toMatch(/loanbridge_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/things\/:id",status="200"\}/);
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await fetch(`${base}/v1/things/x`, { headers: { 'x-request-id': 'lb-trace-0001' } });
    expect(given.headers.get('x-request-id')).toBe('lb-trace-0001');
    const made = await fetch(`${base}/v1/things/x`, { headers: { 'x-request-id': 'bad id with spaces\r\n'.trim() } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf('x'.repeat(500))).not.toBe('x'.repeat(500));
  });
});

describe('GET /metrics', () => {
  it('needs the scrape token when METRICS_TOKEN is set', async () => {
    const anon = await fetch(`${base}/metrics`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-secret!' } })).status).toBe(401);
  });

  it('serves the outbox backlog, stuck claims and requests by outcome, collected on scrape', async () => {
    db.down = false;
    const r = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/^loanbridge_outbox_backlog\{status="pending"\} 7$/m);
    expect(text).toMatch(/^loanbridge_outbox_backlog\{status="held"\} 2$/m);
    expect(text).toMatch(/^loanbridge_outbox_oldest_pending_seconds (8\d|9\d)(\.\d+)?$/m);
    expect(text).toMatch(/^loanbridge_stuck_claims\{status="accepted"\} 3$/m);
    expect(text).toMatch(/^loanbridge_stuck_claims\{status="offered"\} 0$/m);
    expect(text).toMatch(/^loanbridge_financing_requests\{stage="closed",close_reason="completed"\} 5$/m);
    expect(text).toMatch(/^loanbridge_metrics_database_up 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
  });
});

describe('dependency outages', () => {
  it('answers 503 problem+json with Retry-After when the database is unreachable, 500 for a bug', async () => {
    const down = await fetch(`${base}/v1/things/x/db-down`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(down.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await down.json()) as { type: string }).type).toMatch(/\/database-unavailable$/);
    const bug = await fetch(`${base}/v1/things/x/bug`);
    expect(bug.status).toBe(500);
    expect(bug.headers.get('retry-after')).toBeNull();
  });

  it('tells outages from other errors', () => {
    expect(unavailableDependency(Object.assign(new Error("Can't reach database server"), { code: 'P1001' }))).toBe('database');
    expect(unavailableDependency(Object.assign(new Error('x'), { code: 'P2024' }))).toBe('database');
    expect(unavailableDependency(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(unavailableDependency(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('database');
    expect(
      unavailableDependency(new Error('wrapped', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) })),
    ).toBe('database');
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, metadata: {} });
    expect(unavailableDependency(Object.assign(new Error('Workflow Update failed'), { name: 'ServiceError', cause: grpc }))).toBe('temporal');
    expect(unavailableDependency(grpc)).toBe('temporal');
    const wftFailed = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.'), {
      code: 9,
      metadata: {},
    });
    expect(unavailableDependency(Object.assign(new Error('Workflow Update failed'), { name: 'ServiceError', cause: wftFailed }))).toBe('temporal');
    expect(unavailableDependency(Object.assign(new Error('9 FAILED_PRECONDITION: namespace is not active'), { code: 9, metadata: {} }))).toBeUndefined();
    expect(unavailableDependency(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBeUndefined();
    expect(unavailableDependency(new HttpProblem(404, 'not-found', 'No such thing'))).toBeUndefined();
    expect(unavailableDependency(new TypeError('x is not a function'))).toBeUndefined();
    expect(unavailableDependency(Object.assign(new Error('5 NOT_FOUND'), { code: 5, metadata: {} }))).toBeUndefined();
  });

  it('reports the database down on /metrics instead of failing the scrape', async () => {
    db.down = true;
    await new Promise((r) => setTimeout(r, 5100)); // past the scrape cache
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } })).text();
    expect(text).toMatch(/^loanbridge_metrics_database_up 0$/m);
    expect(text).toMatch(/^loanbridge_http_requests_total/m);
  }, 10_000);
});

describe('input guard', () => {
  it('refuses deep nesting and ill-formed text with 400 problem+json', async () => {
    const post = (raw: string) => fetch(`${base}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    const deep = await post('['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2));
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { type: string }).type).toMatch(/\/body-too-deep$/);
    for (const raw of ['{"a":"x\\u0000y"}', '{"a":"\\ud800"}', '{"a\\u0000":1}', '{"a":["ok","\\udfff"]}']) {
      const r = await post(raw);
      expect(r.status, raw).toBe(400);
      expect(((await r.json()) as { type: string }).type).toMatch(/\/invalid-text$/);
    }
    expect((await fetch(`${base}/v1/things/x?q=%00`)).status).toBe(400);
    expect((await post('{"a":"💥 emoji, 中文, עברית, e\\u0301"}')).status).toBe(201);
  });

  it('measures depth without recursion', () => {
    expect(inputProblem(JSON.parse('['.repeat(20_000) + ']'.repeat(20_000)))).toBe('too-deep');
    expect(inputProblem({ a: { b: [1, 2, { c: 'fine' }] } })).toBeUndefined();
  });
});

describe('environment switches', () => {
  it('reads WORKER_METRICS_PORT and OTEL_TRACING', () => {
    expect(workerMetricsPort({}, 9464)).toBe(9464);
    expect(workerMetricsPort({})).toBeUndefined();
    expect(workerMetricsPort({ WORKER_METRICS_PORT: '9500' }, 9464)).toBe(9500);
    expect(workerMetricsPort({ WORKER_METRICS_PORT: 'off' }, 9464)).toBeUndefined();
    expect(() => workerMetricsPort({ WORKER_METRICS_PORT: 'x' })).toThrow();
    expect(tracingMode({})).toBe('off');
    expect(tracingMode({ OTEL_TRACING: 'console' })).toBe('console');
    expect(() => tracingMode({ OTEL_TRACING: 'jaeger' })).toThrow();
    const o = runtimeOptions({ metricsPort: 9464 });
    expect(o.telemetryOptions?.metrics).toMatchObject({ prometheus: { bindAddress: '0.0.0.0:9464' } });
    expect(runtimeOptions({}).telemetryOptions?.metrics).toBeUndefined();
  });
});

describe('access log', () => {
  it('keeps tracking tokens and loan codes out of logged paths', () => {
    expect(redactPath('/t/t0123456789abcdef?x=1')).toBe('/t/[redacted]?x=1');
    expect(redactPath('/l/abc123')).toBe('/l/[redacted]');
    expect(redactPath('/v1/loan-codes/abc123/qr.png')).toBe('/v1/loan-codes/abc123/qr.png');
  });
});
