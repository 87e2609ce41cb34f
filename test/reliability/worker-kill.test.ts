// kill -9 the worker with N requests in flight, start another: every request completes, and
// nothing is lost or done twice (requests, claims, loans, timeline, notification outbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  journeys,
  JOURNEY_STEPS,
  newStats,
  pool,
  runJourney,
  startReliabilityStack,
  type ReliabilityStack,
  type WorkerProcess,
  waitUntilSettled,
} from './harness';
import { assertNothingLostOrDuplicated } from './checks';
import { SIZES } from './profile';

/** Whole journeys in flight when the worker dies, and concurrent scripted clients (profile.ts). */
const N = SIZES.killN;
const CONCURRENCY = SIZES.killConcurrency;

let s: ReliabilityStack;
beforeAll(async () => {
  s = await startReliabilityStack();
});
afterAll(async () => {
  await s?.close();
});

describe('worker killed with SIGKILL mid-flight', () => {
  it(`${N} requests in flight, worker SIGKILLed, another started: all complete, nothing lost or duplicated`, async () => {
    const t0 = Date.now();
    let worker: WorkerProcess = await s.startWorker();
    const stats = newStats();
    const js = journeys(N, `kill-${Date.now().toString(36)}`);
    let done = 0;
    let killedAt: { steps: number; inFlight: number; at: number } | undefined;
    let killing: Promise<void> | undefined;
    // Kill when a third of all steps are done: requests are then spread over every stage.
    const killAfter = Math.floor((N * JOURNEY_STEPS) / 3);
    const onStep = () => {
      done += 1;
      if (done === killAfter && !killing) {
        // Published and not yet finished: the requests whose workflows the dead worker was running.
        const inFlight = js.filter((j) => j.id !== undefined && j.steps < JOURNEY_STEPS).length;
        killedAt = { steps: done, inFlight, at: Date.now() - t0 };
        killing = (async () => {
          await worker.kill('SIGKILL');
          worker = await s.startWorker();
        })();
      }
    };
    await pool(js, CONCURRENCY, (j) => runJourney(s, stats, j, onStep));
    await killing;
    const journeysDone = Date.now() - t0;
    expect(killedAt, 'the worker was killed mid-flight').toBeDefined();
    // With every journey running at once, (nearly) all N requests were open when the worker died.
    if (CONCURRENCY >= N) expect(killedAt!.inFlight, 'requests in flight at the kill').toBeGreaterThanOrEqual(Math.floor(N * 0.9));
    // Deliveries and closing steps that were running on the dead worker time out and are retried.
    await waitUntilSettled(s, js);
    await assertNothingLostOrDuplicated(s, js);
    console.log(
      `worker-kill: N=${N}, killed after ${killedAt!.steps}/${N * JOURNEY_STEPS} steps at ${(killedAt!.at / 1000).toFixed(1)} s with ${killedAt!.inFlight} requests unfinished; ` +
        `journeys done at ${(journeysDone / 1000).toFixed(1)} s, everything settled at ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `client retries ${stats.retries}, 503s ${stats.unavailable}, network errors ${stats.networkErrors}`,
    );
    expect(stats.serverErrors).toEqual([]);
  });
});
