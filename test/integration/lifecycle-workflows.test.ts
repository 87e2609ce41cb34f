// The lifecycle workflows alone, with stubbed activities on the time-skipping server (as in
// Temporal's samples): what they record and decide, in milliseconds of workflow code and without a
// database. The full path with real activities is lifecycle.test.ts.
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransitionRecord } from '../../activities/types';
import { claimWorkflow } from '../../workflows/claim';
import { financingRequestWorkflow } from '../../workflows/financingRequest';
import { rejectUpdate } from '../../workflows/messages';
import type { ClaimInput, FinancingRequestInput } from '../../workflows/state';
import { replaceVisibility } from '../../worker/createWorker';
import { eventually } from '../support/eventually';
import { timeSkippingTemporal } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'stubbed-lifecycle';
/** Every recordTransition call, per request id. */
const recorded = new Map<string, TransitionRecord[]>();
let eligible: string[] = [];

const stubs = {
  async persistFinancingRequest() {},
  async recordTransition(r: TransitionRecord) {
    recorded.set(r.financingRequestId, [...(recorded.get(r.financingRequestId) ?? []), r]);
    return { notificationIds: [] };
  },
  async recordClaimNote() {
    return { notificationIds: [] };
  },
  async listEligibleBanks() {
    return eligible;
  },
  async grantPortraitAccess() {},
  async deliverNotification(id: string) {
    return { id, status: 'sent', providerMessageId: null };
  },
};

beforeAll(async () => {
  env = await timeSkippingTemporal();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: path.resolve(__dirname, '../../workflows/index.ts'),
    bundlerOptions: replaceVisibility(path.resolve(__dirname, '../support/noVisibility.ts')),
    activities: stubs,
  });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

let n = 0;
const requestId = () => `00000000-0000-4000-c000-${String(++n).padStart(12, '0')}`;
/** The request's claim on bank b1, once the request has started it. */
async function claimOfB1(id: string) {
  const claim = env.client.workflow.getHandle(`claim-${id}:b1`);
  await eventually(
    () => claim.describe(),
    () => true,
  );
  return claim;
}
const labels = (id: string) => (recorded.get(id) ?? []).map((r) => (r.claim ? `claim:${r.claim.status}` : (r.stage ?? r.event)));

describe('claim workflow, stubbed activities', () => {
  it('an offer nobody answers: two reminders, then expired at the acceptance deadline, bank and enterprise told', async () => {
    const id = requestId();
    const input: ClaimInput = {
      financingRequestId: id,
      enterpriseId: 'e1',
      bankId: 'b1',
      origin: 'directed',
      amountFen: 100_000_000,
      guaranteeMethod: 'credit',
      policyVersion: 'v1',
      requestWorkflowId: 'no-such-request',
      offerSelection: 'enterprise_choice',
    };
    const state = await env.client.workflow.execute(claimWorkflow, { taskQueue, workflowId: `claim-${id}`, args: [input] });
    expect(state.status).toBe('expired');
    expect(state.reason).toBe('deadline:acceptance');
    expect(labels(id)).toEqual(['claim:offered', 'reminder:acceptance', 'reminder:acceptance', 'claim:expired']);
    const expired = recorded.get(id)!.at(-1)!;
    expect(expired.notify?.map((x) => [x.templateId, x.recipient.type, x.urgent ?? false])).toEqual([
      ['claimExpired', 'bank', true],
      ['requestExpired', 'enterprise', false],
    ]);
  });
});

describe('financing request workflow, stubbed activities', () => {
  const publish = (id: string, over: Partial<FinancingRequestInput>): FinancingRequestInput => ({
    id,
    enterpriseId: 'e1',
    idempotencyKey: `k-${id}`,
    amountFen: 100_000_000,
    termMonths: 12,
    purpose: 'working capital',
    guaranteeMethod: 'credit',
    routing: 'directed',
    directedBankIds: ['b1'],
    fallbackToPool: false,
    dataConsent: false,
    offerSelection: 'enterprise_choice',
    policyVersion: 'v1',
    requestHash: 'h',
    ...over,
  });

  it('the only directed bank rejects, no fallback: closes unmatched and tells the enterprise', async () => {
    const id = requestId();
    const handle = await env.client.workflow.start(financingRequestWorkflow, { taskQueue, workflowId: `financingRequest-${id}`, args: [publish(id, {})] });
    await (await claimOfB1(id)).executeUpdate(rejectUpdate, { args: [{ bankId: 'b1', reason: 'outside our region' }] });
    const state = await handle.result();
    expect(state).toMatchObject({ stage: 'closed', closeReason: 'unmatched' });
    const closed = recorded.get(id)!.find((r) => r.stage === 'closed')!;
    expect(closed.notify?.map((x) => x.templateId)).toEqual(['requestExpired']);
  });

  it('with fallback the rejected request goes to the pool, the eligible banks are told, and it expires when the pool closes', async () => {
    const id = requestId();
    eligible = ['b2', 'b3'];
    const handle = await env.client.workflow.start(financingRequestWorkflow, {
      taskQueue,
      workflowId: `financingRequest-${id}`,
      args: [publish(id, { fallbackToPool: true })],
    });
    await (await claimOfB1(id)).executeUpdate(rejectUpdate, { args: [{ bankId: 'b1', reason: 'outside our region' }] });
    const state = await handle.result();
    expect(state).toMatchObject({ stage: 'closed', closeReason: 'expired', routing: 'pool' });
    const opened = recorded.get(id)!.find((r) => r.event === 'pool:opened')!;
    expect(opened.pool?.eligibleBankIds).toEqual(['b2', 'b3']);
    expect(opened.notify?.map((x) => x.recipient.id)).toEqual(['b2', 'b3']);
    expect(labels(id).filter((l) => !l?.startsWith('claim:'))).toEqual(['pool:opened', 'closed']);
  });
});
