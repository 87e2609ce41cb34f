// npm run bench:lifecycle [-- --n 200 --concurrency 20]
// N financing requests through the full happy path on the embedded stack, driven by scripted
// enterprise, bank and guarantor actors through the public HTTP API; then, in the same run, a
// baseline workflow with the same number of activities and no logic. Prints throughput, p50/p95
// publish-to-disbursed latency, the baseline's figures and the ratio.
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { DEMO_BANKS, DEMO_KEYS } from '../prisma/seed';
import { baselineWorkflow } from './baselineWorkflow';
import { arg, benchStack, figure, percentile, pool } from './support';

const N = arg('n', 200);
const CONCURRENCY = arg('concurrency', 20);
/** Every GUARANTEE_EVERY-th request brings in the guarantee fund. */
const GUARANTEE_EVERY = 4;

async function main() {
  const stack = await benchStack();
  /** `who`: a demo principal (prisma/seed.ts DEMO_KEYS): the enterprise, `bank:<id>`, the guarantor. */
  const api = async (method: string, p: string, body: unknown, key: string, who: string) => {
    const r = await fetch(stack.apiUrl + p, {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${DEMO_KEYS[who]}` },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  /** Retries an action until the workflow is ready for it (claim started, offer chosen, …). */
  const act = async (p: string, body: unknown, key: string, who: string) => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const r = await api('POST', p, body, key, who);
      if (r.status === 200 || r.status === 201) return r.body;
      if (![404, 409].includes(r.status)) throw new Error(`${p} → ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`${p} never became possible`);
  };

  const latencies: number[] = [];
  const started = Date.now();
  await pool(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const bankId = DEMO_BANKS[i % DEMO_BANKS.length]!.id;
      const withGuarantee = i % GUARANTEE_EVERY === 0;
      const k = `bench-${process.pid}-${i}`;
      const t0 = Date.now();
      const pub = await api(
        'POST',
        '/v1/financing-requests',
        {
          amountFen: 100_000_000 + i,
          termMonths: 12,
          purpose: 'bench working capital',
          guaranteeMethod: withGuarantee ? 'guarantee' : 'credit',
          routing: 'directed',
          directedBankIds: [bankId],
          offerSelection: 'first_approval',
        },
        `${k}-pub`,
        'enterprise',
      );
      if (pub.status !== 201) throw new Error(`publish → ${pub.status} ${JSON.stringify(pub.body)}`);
      const base = `/v1/financing-requests/${pub.body.id}`;
      const bank = `bank:${bankId}`;
      await act(`${base}/accept`, {}, `${k}-acc`, bank);
      await act(`${base}/start-review`, {}, `${k}-rev`, bank);
      await act(
        `${base}/approve`,
        {
          approvedAmountFen: 100_000_000,
          annualRateBp: 435,
          termMonths: 12,
          repaymentMethod: 'equal_installment',
          ...(withGuarantee ? { guaranteeInstitutionId: 'jiaxing-guarantee-fund' } : {}),
        },
        `${k}-app`,
        bank,
      );
      if (withGuarantee) await act(`${base}/guarantees/${bankId}/approve`, { feeFen: 500_000 }, `${k}-g`, 'guaranteeInstitution');
      await act(
        `${base}/disburse`,
        { amountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' },
        `${k}-disb`,
        bank,
      );
      latencies.push(Date.now() - t0);
      await act(`${base}/rating`, { meetsNeed: 5, cost: 4, speed: 5, communication: 5 }, `${k}-rate`, 'enterprise');
    },
  );
  const elapsed = (Date.now() - started) / 1000;

  // Activities one happy-path request ran (request + claim workflows), for the baseline.
  const sample = await stack.db.prisma.financingRequest.findFirstOrThrow({ where: { idempotencyKey: `bench-${process.pid}-1-pub` } });
  let activityCount = 0;
  for (const wid of [sample.workflowId, `claim-${sample.id}:${DEMO_BANKS[1]!.id}`]) {
    const h = await stack.client.workflow.getHandle(wid).fetchHistory();
    activityCount += (h.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  }

  const baselineQueue = `${stack.worker.options.taskQueue}-baseline`;
  const baselineWorker = await Worker.create({
    connection: stack.worker.options.connection!,
    taskQueue: baselineQueue,
    workflowsPath: path.resolve(__dirname, 'baselineWorkflow.ts'),
    activities: { noop: async () => undefined },
  });
  const baseLatencies: number[] = [];
  const baseStart = Date.now();
  await baselineWorker.runUntil(
    pool(
      Array.from({ length: N }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const t0 = Date.now();
        await stack.client.workflow.execute(baselineWorkflow, { workflowId: `baseline-${process.pid}-${i}`, taskQueue: baselineQueue, args: [activityCount] });
        baseLatencies.push(Date.now() - t0);
      },
    ),
  );
  const baseElapsed = (Date.now() - baseStart) / 1000;

  figure('requests', N, 'requests');
  figure('concurrency', CONCURRENCY, 'clients');
  figure('database', stack.postgres ? 'embedded PostgreSQL' : 'DATABASE_URL');
  figure('activities_per_request', activityCount, 'activities');
  figure('lifecycle_p50_publish_to_disbursed', percentile(latencies, 50), 'ms');
  figure('lifecycle_p95_publish_to_disbursed', percentile(latencies, 95), 'ms');
  figure('baseline_throughput', N / baseElapsed, 'workflows/s');
  figure('baseline_p50', percentile(baseLatencies, 50), 'ms');
  figure('baseline_p95', percentile(baseLatencies, 95), 'ms');
  figure('ratio_p50_lifecycle_over_baseline', percentile(latencies, 50) / percentile(baseLatencies, 50), 'x');
  figure('ratio_throughput_baseline_over_lifecycle', N / baseElapsed / (N / elapsed), 'x');
  figure('lifecycle_throughput', N / elapsed, 'requests/s');
  await stack.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
