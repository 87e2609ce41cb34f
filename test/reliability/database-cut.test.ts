// The database connection is cut for 30 s (a TCP proxy between PostgreSQL and both the API and the
// worker drops every connection and refuses new ones) while requests are in flight: activities
// fail and retry until it is back, the API answers 503 problem+json with Retry-After meanwhile
// (and /healthz and /metrics say the database is down), and recovers on its own afterwards.
// Every request then completes; nothing is lost or done twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeys, JOURNEY_STEPS, newStats, pool, runJourney, startReliabilityStack, waitFor, waitUntilSettled, who, type ReliabilityStack } from './harness';
import { assertNothingLostOrDuplicated } from './checks';
import { SIZES } from './profile';

const N = SIZES.dbcutN;
const CONCURRENCY = 15;
const CUT_MS = 30_000;

let s: ReliabilityStack;
beforeAll(async () => {
  s = await startReliabilityStack();
});
afterAll(async () => {
  await s?.close();
});

interface DuringCut {
  list: { status: number; retryAfter: string | null; contentType: string | null; type: string };
  health: number;
  metricsDbUp: string | undefined;
  refusedConnections: number;
}

// About 2.5 minutes, most of it the activities' retry backoff; in both profiles (CI included).
describe('database connection cut for 30 s', () => {
  it(`${N} requests in flight: activities retry, the API answers 503 and recovers by itself`, async () => {
    const t0 = Date.now();
    await s.startWorker();
    const stats = newStats();
    const js = journeys(N, `dbcut-${Date.now().toString(36)}`);
    let done = 0;
    let cut: Promise<DuringCut> | undefined;
    let recoveredInMs = 0;
    const cutAfter = Math.floor((N * JOURNEY_STEPS) / 3);
    const onStep = () => {
      done += 1;
      if (done === cutAfter && !cut)
        cut = (async () => {
          s.proxy.cut();
          const cutAt = Date.now();
          await new Promise((r) => setTimeout(r, 2000));
          const list = await s.api('GET', '/v1/financing-requests?limit=5', undefined, who('enterprise'));
          const health = await s.api('GET', '/healthz');
          const metrics = await fetch(`${s.apiUrl}/metrics`).then((r) => r.text());
          const during: DuringCut = {
            list: {
              status: list.status,
              retryAfter: list.headers.get('retry-after'),
              contentType: list.headers.get('content-type'),
              type: String(list.body?.type),
            },
            health: health.status,
            metricsDbUp: /^loanbridge_metrics_database_up (\d)/m.exec(metrics)?.[1],
            refusedConnections: 0,
          };
          await new Promise((r) => setTimeout(r, Math.max(0, CUT_MS - (Date.now() - cutAt))));
          during.refusedConnections = s.proxy.stats().refused;
          s.proxy.restore();
          const back = Date.now();
          // Nobody restarts anything: the pools reconnect on the next query.
          await waitFor(
            'the API answering again',
            () => s.api('GET', '/v1/financing-requests?limit=5', undefined, who('enterprise')),
            (r) => r.status === 200,
            60_000,
            250,
          );
          recoveredInMs = Date.now() - back;
          return during;
        })();
    };
    await pool(js, CONCURRENCY, (j) => runJourney(s, stats, j, onStep));
    const during = await cut;
    expect(during, 'the connection was cut mid-flight').toBeDefined();
    expect(during!.list).toMatchObject({ status: 503, type: expect.stringMatching(/database-unavailable$/) });
    expect(during!.list.contentType).toMatch(/application\/problem\+json/);
    expect(Number(during!.list.retryAfter)).toBeGreaterThan(0);
    expect(during!.health).toBe(503);
    expect(during!.metricsDbUp).toBe('0');
    expect(during!.refusedConnections, 'API and worker kept trying to reconnect').toBeGreaterThan(0);
    expect(stats.unavailable, 'scripted clients met 503s during the cut').toBeGreaterThan(0);
    await waitUntilSettled(s, js);
    await assertNothingLostOrDuplicated(s, js);
    // Activities did fail while the database was away, and were retried (not given up).
    const failedRows = await s.db.prisma.notification.count({ where: { financingRequestId: { in: js.map((j) => j.id!) }, status: 'failed' } });
    expect(failedRows).toBe(0);
    console.log(
      `database-cut: N=${N}, cut ${CUT_MS / 1000} s after ${cutAfter}/${N * JOURNEY_STEPS} steps, ${during!.refusedConnections} connections refused meanwhile; ` +
        `API answering 200 again ${(recoveredInMs / 1000).toFixed(1)} s after the link came back; settled at ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `client retries ${stats.retries}, 503s ${stats.unavailable}, network errors ${stats.networkErrors}`,
    );
    expect(stats.serverErrors).toEqual([]);
  });
});
