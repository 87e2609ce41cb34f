// Rough memory cost of the worker's workflow cache (docs/operations.md, "The workflow cache"):
// a worker in its own process, N open directed requests published through the API (each a request
// and a claim workflow waiting on the acceptance deadline, so both stay cached), and the worker's
// resident memory and sticky-cache size before and after.
//   RELIABILITY_CACHE_N=1000 npx tsx test/reliability/cacheMemory.ts
import fs from 'node:fs';
import { freePort, journeys, newStats, act, pool, startReliabilityStack, waitFor } from './harness';

const N = Number(process.env.RELIABILITY_CACHE_N ?? 1000);

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]);
}

async function cacheSize(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(/^temporal_sticky_cache_size\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

async function settle(pid: number): Promise<number> {
  // RSS after the worker has been idle a while (GC and allocator settle); median of 5 samples.
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    samples.push(rssKiB(pid));
  }
  return samples.sort((a, b) => a - b)[2]!;
}

async function main() {
  const s = await startReliabilityStack();
  const port = await freePort();
  try {
    const worker = await s.startWorker({ WORKER_METRICS_PORT: String(port) });
    const stats = newStats();
    // Warm up: a few requests, so the baseline includes the loaded workflow code and pools.
    const warm = journeys(10, `warm-${Date.now().toString(36)}`);
    await pool(warm, 10, async (j) => {
      const pub = await act(
        s,
        stats,
        '/v1/financing-requests',
        { amountFen: 100_000_000, termMonths: 12, purpose: 'cache warm-up', guaranteeMethod: 'credit', routing: 'directed', directedBankIds: [j.bankId] },
        `${j.key}-pub`,
        'enterprise',
      );
      j.id = pub.body.id;
    });
    await waitFor(
      'warm-up claims',
      () => s.db.prisma.claim.count(),
      (n) => n >= warm.length,
      120_000,
    );
    const baseCache = await cacheSize(port);
    const baseRss = await settle(worker.pid);

    const t0 = Date.now();
    const js = journeys(N, `cache-${Date.now().toString(36)}`);
    await pool(js, 20, async (j) => {
      const pub = await act(
        s,
        stats,
        '/v1/financing-requests',
        { amountFen: 100_000_000, termMonths: 12, purpose: 'cache measurement', guaranteeMethod: 'credit', routing: 'directed', directedBankIds: [j.bankId] },
        `${j.key}-pub`,
        'enterprise',
      );
      j.id = pub.body.id;
    });
    await waitFor(
      'claims offered',
      () => s.db.prisma.claim.count(),
      (n) => n >= warm.length + N,
      600_000,
    );
    await waitFor(
      'outbox drained',
      () => s.db.prisma.notification.count({ where: { status: { in: ['pending'] } } }),
      (n) => n === 0,
      600_000,
    );
    const published = (Date.now() - t0) / 1000;
    const cache = await cacheSize(port);
    const rss = await settle(worker.pid);
    const cached = cache - baseCache;
    console.log(`requests: ${N} (published and offered in ${published.toFixed(0)} s)`);
    console.log(`cached_workflows: ${cache} (before ${baseCache})`);
    console.log(`worker_rss_before: ${(baseRss / 1024).toFixed(0)} MiB`);
    console.log(`worker_rss_after: ${(rss / 1024).toFixed(0)} MiB`);
    console.log(`rss_per_cached_workflow: ${((rss - baseRss) / Math.max(cached, 1)).toFixed(1)} KiB`);
  } finally {
    await s.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
