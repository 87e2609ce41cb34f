// npm run bench:api [-- --concurrency 16 --duration 20 --warmup 2]
// HTTP throughput of publishing (POST /v1/financing-requests as the demo enterprise, directed to
// hecheng-rcb, a fresh Idempotency-Key per request: every call starts a workflow) against /healthz
// (database ping, Temporal frontend, task-queue pollers) as the ceiling of the API on this machine,
// both at the same fixed concurrency and duration, driven by autocannon.
//
// The load generator runs in a child process: in the API's own process it would share the event
// loop it is measuring. Between the phases the bench waits until the worker has recorded every
// published request, so the healthz phase does not run on top of the publish backlog.
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { DEMO_KEYS } from '../prisma/seed';
import { arg, benchStack, figure } from './support';

const CONCURRENCY = arg('concurrency', 16);
const DURATION_S = arg('duration', 20);
const WARMUP_S = arg('warmup', 2);

interface Load {
  url: string;
  kind: 'publish' | 'healthz';
  connections: number;
  duration: number;
  /** Makes the Idempotency-Keys of this run unique (warm-up and measured runs share the database). */
  keyPrefix: string;
}

interface Measured {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
}

const publishBody = JSON.stringify({
  amountFen: 100_000_000,
  termMonths: 12,
  purpose: 'bench:api working capital',
  guaranteeMethod: 'credit',
  routing: 'directed',
  directedBankIds: ['hecheng-rcb'],
});

/** Child side: fire the load, answer with the figures. */
async function runLoad(l: Load): Promise<Measured> {
  let n = 0;
  const requests: autocannon.Request[] =
    l.kind === 'publish'
      ? [
          {
            method: 'POST',
            path: '/v1/financing-requests',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_KEYS.enterprise}` },
            body: publishBody,
            setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `${l.keyPrefix}-${n++}` } }),
          },
        ]
      : [{ method: 'GET', path: '/healthz' }];
  const r = await autocannon({ url: l.url, connections: l.connections, duration: l.duration, requests });
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
  return { ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, durationS: r.duration, p50: r.latency.p50, p99: r.latency.p99, statusCodes };
}

/** Parent side: one load run in a child process (tsx's loader flags are inherited through execArgv). */
function load(l: Load): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as Measured));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(l);
  });
}

async function main() {
  const stack = await benchStack();
  const prisma = stack.db.prisma;
  const phase = async (kind: Load['kind']) => {
    const base = { url: stack.apiUrl, kind, connections: CONCURRENCY, keyPrefix: `bench-api-${process.pid}-${kind}` };
    const warm = WARMUP_S > 0 ? await load({ ...base, duration: WARMUP_S, keyPrefix: `${base.keyPrefix}-warm` }) : undefined;
    return { warmOk: warm?.ok ?? 0, ...(await load({ ...base, duration: DURATION_S })) };
  };

  const publish = await phase('publish');
  // Every 201 started a workflow: wait until the worker has written each request and its directed claim.
  const expected = publish.warmOk + publish.ok;
  const mine = { idempotencyKey: { startsWith: `bench-api-${process.pid}-publish` } };
  const drainStart = Date.now();
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const [requests, claims] = await Promise.all([prisma.financingRequest.count({ where: mine }), prisma.claim.count({ where: { financingRequest: mine } })]);
    if (requests >= expected && claims >= expected) break;
  }
  const drainS = (Date.now() - drainStart) / 1000;
  const healthz = await phase('healthz');

  const rps = (m: Measured) => m.ok / m.durationS;
  figure('concurrency', CONCURRENCY, 'connections');
  figure('duration', DURATION_S, 's');
  figure('database', stack.postgres ? 'embedded PostgreSQL' : 'DATABASE_URL');
  figure('publish_requests_ok', publish.ok, 'requests');
  figure('publish_backlog_recorded_after', drainS, 's');
  figure('publish_rps', rps(publish), 'requests/s');
  figure('publish_p50_ms', publish.p50, 'ms');
  figure('publish_p99_ms', publish.p99, 'ms');
  figure('publish_errors', publish.errors + publish.timeouts, 'errors');
  figure('publish_non2xx', publish.non2xx, 'responses');
  figure('healthz_rps', rps(healthz), 'requests/s');
  figure('healthz_p50_ms', healthz.p50, 'ms');
  figure('healthz_p99_ms', healthz.p99, 'ms');
  figure('healthz_errors', healthz.errors + healthz.timeouts, 'errors');
  figure('healthz_non2xx', healthz.non2xx, 'responses');
  if (publish.non2xx || healthz.non2xx)
    console.error(`status codes: publish ${JSON.stringify(publish.statusCodes)}, healthz ${JSON.stringify(healthz.statusCodes)}`);
  // Three decimals: publishing is a small fraction of the ceiling.
  figure('publish_to_healthz_ratio', (rps(publish) / rps(healthz)).toFixed(3), 'x');
  await stack.stop();
  process.exit(0);
}

if (process.argv.includes('--child')) {
  process.once('message', (l: Load) => {
    runLoad(l)
      .then((m) => process.send!(m, () => process.exit(0)))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
