// npm run bench:load [-- --seconds 300 --actors 12 --open 5000]
// Part 1, a mixed workload for a fixed time against the embedded stack: enterprises publish, banks
// accept, review, approve and disburse, enterprises rate, banks poll their inboxes and supervisors
// list requests — all through the authenticated HTTP API. Prints sustained lifecycle throughput,
// p50/p99 latency per route, errors, peak memory and the Temporal task backlog.
// Part 2, 5,000 open requests waiting on their acceptance deadlines: the process's resident memory
// with all of them started, then a fresh worker (empty workflow cache) queries every one of them —
// each query replays the workflow from its history, which proves it is resumable.
import v8 from 'node:v8';
import { DEMO_BANKS, DEMO_KEYS } from '../prisma/seed';
import { getStateQuery } from '../workflows/messages';
import { createWorker } from '../worker/createWorker';
import { createNotificationDeps } from '../notifications/deps';
import { arg, benchStack, figure, percentile, pool } from './support';

const SECONDS = arg('seconds', 300);
const ACTORS = arg('actors', 12);
const OPEN = arg('open', 5000);
const MiB = 1024 * 1024;

type Timings = Map<string, number[]>;

async function main() {
  const stack = await benchStack();
  const timings: Timings = new Map();
  let errors = 0;
  let retries = 0;

  /** One API call as a demo principal, timed under its route template. */
  async function call(route: string, method: string, path: string, who: string, body?: unknown, key?: string) {
    const t0 = performance.now();
    const r = await fetch(stack.apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${DEMO_KEYS[who]}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const list = timings.get(route) ?? [];
    list.push(performance.now() - t0);
    timings.set(route, list);
    return { status: r.status, body: text ? (JSON.parse(text) as any) : undefined };
  }
  /** An action retried until the workflow is ready for it (404/409 while the claim starts). */
  async function act(route: string, path: string, who: string, body: unknown, key: string) {
    for (let attempt = 0; attempt < 400; attempt++) {
      const r = await call(route, 'POST', path, who, body, key);
      if (r.status === 200 || r.status === 201) return r.body;
      if (![404, 409].includes(r.status)) {
        errors += 1;
        throw new Error(`${path} → ${r.status} ${JSON.stringify(r.body)}`);
      }
      retries += 1;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`${path} never became possible`);
  }

  // Memory and backlog sampled every second.
  let peakRss = 0;
  let peakHeap = 0;
  let peakBacklog = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    void backlog().then((b) => (peakBacklog = Math.max(peakBacklog, b)));
  }, 1000);
  async function backlog(): Promise<number> {
    try {
      const d = await stack.client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: stack.worker.options.taskQueue },
        taskQueueType: 1, // workflow tasks
        reportStats: true,
      });
      return Number(d.stats?.approximateBacklogCount ?? 0);
    } catch {
      return 0;
    }
  }

  // ---- part 1: mixed workload ----
  const deadline = Date.now() + SECONDS * 1000;
  let completed = 0;
  let seq = 0;
  const lifecycle = async () => {
    while (Date.now() < deadline) {
      const i = seq++;
      const bankId = DEMO_BANKS[i % DEMO_BANKS.length]!.id;
      const bank = `bank:${bankId}`;
      const k = `load-${process.pid}-${i}`;
      try {
        const pub = await call(
          'POST /v1/financing-requests',
          'POST',
          '/v1/financing-requests',
          'enterprise',
          {
            amountFen: 100_000_000 + i,
            termMonths: 12,
            purpose: 'load test working capital',
            guaranteeMethod: 'credit',
            routing: 'directed',
            directedBankIds: [bankId],
            offerSelection: 'first_approval',
          },
          `${k}-pub`,
        );
        if (pub.status !== 201) {
          errors += 1;
          continue;
        }
        const base = `/v1/financing-requests/${pub.body.id}`;
        await act('POST …/accept', `${base}/accept`, bank, {}, `${k}-acc`);
        await act('POST …/start-review', `${base}/start-review`, bank, {}, `${k}-rev`);
        const offer = { approvedAmountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment' };
        await act('POST …/approve', `${base}/approve`, bank, offer, `${k}-app`);
        const loan = { amountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' };
        await act('POST …/disburse', `${base}/disburse`, bank, loan, `${k}-disb`);
        await act('POST …/rating', `${base}/rating`, 'enterprise', { meetsNeed: 5, cost: 4, speed: 5, communication: 5 }, `${k}-rate`);
        completed += 1;
      } catch {
        // counted in errors; the actor goes on with the next request
      }
    }
  };
  const readers = async () => {
    let i = 0;
    while (Date.now() < deadline) {
      i += 1;
      const who = i % 3 === 0 ? 'supervisor' : `bank:${DEMO_BANKS[i % DEMO_BANKS.length]!.id}`;
      const r =
        who === 'supervisor'
          ? await call('GET /v1/financing-requests', 'GET', '/v1/financing-requests?limit=50', who)
          : await call('GET /v1/inbox', 'GET', '/v1/inbox', who);
      if (r.status !== 200) errors += 1;
      await new Promise((res) => setTimeout(res, 200));
    }
  };
  const t0 = Date.now();
  await Promise.all([...Array.from({ length: ACTORS }, lifecycle), readers(), readers()]);
  const elapsed = (Date.now() - t0) / 1000;

  figure('duration', elapsed, 's');
  figure('lifecycle_actors', ACTORS, 'clients');
  figure('database', stack.db.kind);
  for (const [route, list] of [...timings.entries()].sort()) {
    const name = route
      .replace(/[^a-z0-9]+/gi, '_')
      .replace(/^_|_$/g, '')
      .toLowerCase();
    figure(`${name}_calls`, list.length, 'calls');
    figure(`${name}_p50`, percentile(list, 50), 'ms');
    figure(`${name}_p99`, percentile(list, 99), 'ms');
  }
  figure('errors', errors, 'calls');
  figure('not_ready_retries', retries, 'calls');
  figure('peak_rss_api_worker_db_one_process', peakRss / MiB, 'MiB');
  figure('peak_heap_used', peakHeap / MiB, 'MiB');
  figure('peak_workflow_task_backlog', peakBacklog, 'tasks');
  figure('lifecycles_completed', completed, 'requests');
  const throughput = completed / elapsed;

  // ---- part 2: OPEN requests waiting on deadlines ----
  const openStart = Date.now();
  const ids: string[] = [];
  await pool(
    Array.from({ length: OPEN }, (_, i) => i),
    32,
    async (i) => {
      const r = await call(
        'POST /v1/financing-requests (open)',
        'POST',
        '/v1/financing-requests',
        'enterprise',
        {
          amountFen: 50_000_000,
          termMonths: 6,
          purpose: 'waits for its deadline',
          guaranteeMethod: 'credit',
          routing: 'directed',
          directedBankIds: [DEMO_BANKS[i % DEMO_BANKS.length]!.id],
        },
        `open-${process.pid}-${i}`,
      );
      if (r.status === 201) ids.push(r.body.id);
      else errors += 1;
    },
  );
  const openSeconds = (Date.now() - openStart) / 1000;
  // Let every first workflow task and activity finish, then measure after a full GC.
  await new Promise((res) => setTimeout(res, 10_000));
  (globalThis as { gc?: () => void }).gc?.();
  const rssOpen = process.memoryUsage().rss;
  const heapStats = v8.getHeapStatistics();

  // A fresh worker with an empty cache: every query replays the workflow from its history.
  const old = stack.worker;
  old.shutdown();
  await new Promise((res) => setTimeout(res, 2000));
  const fresh = await createWorker({
    connection: old.options.connection!,
    namespace: 'default',
    taskQueue: old.options.taskQueue,
    deps: { prisma: stack.db.prisma, notifications: createNotificationDeps({}, stack.db.prisma) },
  });
  let resumable = 0;
  let queryRetries = 0;
  await fresh.runUntil(
    pool(ids, 8, async (id) => {
      // A cold replay can outlast the server's query timeout on a busy machine: ask again.
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const s = await stack.client.workflow.getHandle(`financingRequest-${id}`).query(getStateQuery);
          if (s.stage === 'published' && s.claims.length === 1) resumable += 1;
          return;
        } catch {
          queryRetries += 1;
        }
      }
    }),
  );
  clearInterval(sampler);

  figure('open_requests_started', ids.length, 'requests');
  figure('open_requests_start_rate', ids.length / openSeconds, 'requests/s');
  figure('rss_with_open_requests_api_worker_db_one_process', rssOpen / MiB, 'MiB');
  figure('heap_used_with_open_requests', heapStats.used_heap_size / MiB, 'MiB');
  figure('cold_query_retries', queryRetries, 'queries');
  figure('open_requests_resumable_after_cold_worker', resumable, 'requests');
  figure('lifecycle_throughput', throughput, 'requests/s');
  await stack.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
