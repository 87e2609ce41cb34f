// The portrait workflow on Temporal's time-skipping test server, with the real activities calling
// the simulator over HTTP: full portrait, an outage, retries, a slow source, the deadline, cache.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryPortraitCache, createCreditActivities, type PortraitCache } from '../../../activities/credit';
import type { CreditPortrait } from '../../../domain/credit/portrait';
import { SOURCE_POLICIES } from '../../../domain/credit/source-policy';
import { createDataSourceClients } from '../../../datasources/clients';
import { simulatorConfig } from '../../../datasources/config';
import { syntheticCreditCodes } from '../../../datasources/simulator/generator';
import { startSimulator, type RunningSimulator } from '../../../datasources/simulator/server';
import type { CreditPortraitInput } from '../../../workflows/portrait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { temporalTestServerPath } = require('../../../scripts/tools.js') as { temporalTestServerPath(): string };

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
const [CODE] = syntheticCreditCodes(1, 'workflow-test');
const code = CODE!;

let env: TestWorkflowEnvironment;
let sim: RunningSimulator;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../../workflows/portrait.ts'), logger: quiet });
  sim = await startSimulator({});
});
afterAll(async () => {
  await sim?.close();
  await env?.teardown();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetCounts();
});

async function portrait(input: Partial<CreditPortraitInput> = {}, opts: { clientTimeoutMs?: number; cache?: PortraitCache } = {}): Promise<CreditPortrait> {
  const taskQueue = `portrait-${randomUUID()}`;
  const sources = createDataSourceClients(simulatorConfig(sim.url, { timeoutMs: opts.clientTimeoutMs ?? 2_000 }));
  // The time-skipping server's clock runs ahead of the wall clock; give the activities the same
  // clock the workflow sees, as they share one in production.
  const offset = (await env.currentTimeMs()) - Date.now();
  const now = () => new Date(Date.now() + offset);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createCreditActivities({ sources, cache: opts.cache, now }),
    // Do not wait for abandoned slow activities at shutdown.
    shutdownGraceTime: 100,
  });
  return worker.runUntil(
    env.client.workflow.execute('creditPortraitWorkflow', {
      taskQueue,
      workflowId: `portrait-${randomUUID()}`,
      // A portrait is minutes at most; a short run timeout also keeps the time-skipping server
      // from leaping to the 10-year default timer once the workflow is done.
      workflowExecutionTimeout: 120_000,
      args: [{ creditCode: code, ...input }],
    }) as Promise<CreditPortrait>,
  );
}

describe('creditPortraitWorkflow', () => {
  it('assembles the full portrait from all eight sources', async () => {
    const p = await portrait();
    expect(p.missing).toEqual([]);
    expect(p.completeness).toBe(1);
    expect(p.partial).toBe(false);
    expect(p.sections.registration?.creditCode).toBe(code);
    expect(p.score.score).toBeGreaterThanOrEqual(0);
    expect(['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'C']).toContain(p.score.grade);
  });

  it('completes without a source that is down, flagged partial with that source missing', async () => {
    sim.setFaults({ courts: { outage: true } });
    const p = await portrait();
    expect(p.missing).toEqual(['courts']);
    expect(p.sources.courts).toMatchObject({ status: 'missing', reason: 'unavailable' });
    expect(p.partial).toBe(true);
    expect(p.completeness).toBe(0.875);
    expect(p.sections.riskInformation.courts).toBeNull();
    // Retried up to the policy's attempts before giving up.
    expect(sim.requestCounts().courts).toBe(SOURCE_POLICIES.courts.retry.maximumAttempts);
  });

  it('retries a source that fails twice and then answers', async () => {
    sim.setFaults({ tax: { failNext: 2 } });
    const p = await portrait();
    expect(p.missing).toEqual([]);
    expect(p.sources.tax.status).toBe('fresh');
    expect(p.sections.operations.tax).not.toBeNull();
    expect(sim.requestCounts().tax).toBe(3);
    expect(sim.requestCounts().marketRegulation).toBe(1);
  });

  it('gives up on a source slower than its timeout and marks it timed out', async () => {
    sim.setFaults({ utilities: { latencyMs: 3_000 } });
    const p = await portrait({}, { clientTimeoutMs: 300 });
    expect(p.missing).toEqual(['utilities']);
    expect(p.sources.utilities).toMatchObject({ status: 'missing', reason: 'timeout' });
    expect(p.sections.operations.utilities).toBeNull();
  });

  it('does not retry a permanent not-found', async () => {
    sim.setFaults({});
    const badCode = code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
    const taskQueue = `portrait-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createCreditActivities({ sources: createDataSourceClients(simulatorConfig(sim.url)) }),
    });
    const p = await worker.runUntil(
      env.client.workflow.execute('creditPortraitWorkflow', {
        taskQueue,
        workflowId: `portrait-${randomUUID()}`,
        args: [{ creditCode: badCode }],
      }) as Promise<CreditPortrait>,
    );
    expect(p.missing).toHaveLength(8);
    expect(Object.values(p.sources).every((s) => s.reason === 'not_found')).toBe(true);
    expect(p.completeness).toBe(0);
    // The activity refuses an invalid code before any HTTP call.
    expect(Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('returns by the deadline with the sources it has, the slow one marked deadline', async () => {
    sim.setFaults({ creditBureau: { latencyMs: 4_000 } });
    const started = Date.now();
    // The deadline is in workflow time, which on this server runs ahead of the wall clock.
    const deadline = new Date((await env.currentTimeMs()) + 1_500).toISOString();
    const p = await portrait({ deadline }, { clientTimeoutMs: 10_000 });
    expect(p.missing).toEqual(['creditBureau']);
    expect(p.sources.creditBureau).toMatchObject({ status: 'missing', reason: 'deadline' });
    expect(p.completeness).toBe(0.875);
    expect(Date.now() - started).toBeLessThan(3_900);
  });

  it('refuses a deadline that is not a timestamp', async () => {
    await expect(portrait({ deadline: 'tomorrow' })).rejects.toThrow();
  });

  it('serves fresh cached records without calling the source, refreshes on request, and falls back to the cache when a source is down', async () => {
    const cache = new InMemoryPortraitCache();
    await portrait({}, { cache });
    sim.resetCounts();
    const cached = await portrait({}, { cache });
    expect(Object.values(sim.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(cached.sources.tax.fromCache).toBe(true);

    await portrait({ refresh: true }, { cache });
    expect(sim.requestCounts().tax).toBe(1);

    sim.setFaults({ honours: { outage: true } });
    const fallback = await portrait({ refresh: true }, { cache });
    expect(fallback.missing).toEqual([]);
    expect(fallback.sources.honours).toMatchObject({ status: 'fresh', fromCache: true });
  });
});
