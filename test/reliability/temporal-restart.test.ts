// The Temporal server stops (SIGTERM) and starts again on its SQLite file while requests are in
// flight: the worker and the API reconnect on their own, every request resumes and completes,
// nothing is lost or done twice. While the server is down the API answers 503 with Retry-After.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeys, JOURNEY_STEPS, newStats, pool, runJourney, startReliabilityStack, waitUntilSettled, who, type ReliabilityStack } from './harness';
import { assertNothingLostOrDuplicated } from './checks';
import { SIZES } from './profile';

const N = SIZES.restartN;
const CONCURRENCY = 20;
/** How long the server stays down. */
const DOWN_MS = 10_000;

let s: ReliabilityStack;
beforeAll(async () => {
  s = await startReliabilityStack({ persistTemporal: true });
});
afterAll(async () => {
  await s?.close();
});

describe('Temporal dev server restarted mid-flight (persisted to SQLite)', () => {
  it(`${N} requests in flight survive a server restart`, async () => {
    const t0 = Date.now();
    await s.startWorker();
    const stats = newStats();
    const js = journeys(N, `restart-${Date.now().toString(36)}`);
    let done = 0;
    let outage: Promise<{ whileDown: { status: number; retryAfter: string | null; type: string } }> | undefined;
    const restartAfter = Math.floor((N * JOURNEY_STEPS) / 3);
    const onStep = () => {
      done += 1;
      if (done === restartAfter && !outage)
        outage = (async () => {
          await s.stopTemporal();
          const down = Date.now();
          // The API cannot reach Temporal: a read that needs it (a request not in the database
          // yet is looked up in its workflow) answers 503 with Retry-After, not 500.
          const r = await s.api('GET', `/v1/financing-requests/${randomUUID()}`, undefined, who('enterprise'));
          await new Promise((res) => setTimeout(res, Math.max(0, DOWN_MS - (Date.now() - down))));
          await s.startTemporal();
          return { whileDown: { status: r.status, retryAfter: r.headers.get('retry-after'), type: String(r.body?.type) } };
        })();
    };
    await pool(js, CONCURRENCY, (j) => runJourney(s, stats, j, onStep));
    const o = await outage;
    expect(o, 'the server was restarted mid-flight').toBeDefined();
    expect(o!.whileDown).toMatchObject({ status: 503, type: expect.stringMatching(/temporal-unavailable$/) });
    expect(Number(o!.whileDown.retryAfter)).toBeGreaterThan(0);
    await waitUntilSettled(s, js);
    await assertNothingLostOrDuplicated(s, js);
    console.log(
      `temporal-restart: N=${N}, server down ${DOWN_MS / 1000} s after ${restartAfter}/${N * JOURNEY_STEPS} steps; settled at ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `client retries ${stats.retries}, 503s ${stats.unavailable}, network errors ${stats.networkErrors}`,
    );
    expect(stats.serverErrors).toEqual([]);
  });
});
