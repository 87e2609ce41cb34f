// Lifecycle tests: the time-skipping test server (days pass in seconds), a worker running the real
// workflows and activities, and a fresh PostgreSQL database seeded with an enterprise and banks.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { financingRequestWorkflowId, claimWorkflowId } from '../../domain/ids';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import { createNotificationDeps } from '../../notifications/deps';
import { openDatabase, type Database } from '../../prisma/database';
import { DEMO_ENTERPRISE_ID, seedDemoData } from '../../prisma/seed';
import { createWorker } from '../../worker/createWorker';
import path from 'node:path';
import { financingRequestWorkflow } from '../../workflows/financingRequest';
import type { FinancingRequestInput } from '../../workflows/state';
import { createTestDatabase, type TestDatabase } from './postgres';
import { timeSkippingTemporal } from './temporal';

export interface LifecycleHarness {
  env: TestWorkflowEnvironment;
  db: Database;
  database: TestDatabase;
  worker: Worker;
  taskQueue: string;
  /**
   * A plain client on the test server. The environment's own client locks time skipping around
   * its calls, and failed updates were seen to leave it locked, after which env.sleep waited real time.
   */
  client: Client;
  publish(overrides?: Partial<FinancingRequestInput>): Promise<{ id: string; handle: ReturnType<Client['workflow']['getHandle']> }>;
  claim(requestId: string, bankId: string): ReturnType<Client['workflow']['getHandle']>;
  close(): Promise<void>;
}

let counter = 0;
export const POOL_BANK_COUNT = 30;

export async function startLifecycleHarness(): Promise<LifecycleHarness> {
  const env = await timeSkippingTemporal();
  const database = await createTestDatabase('lb_life');
  const db = await openDatabase({ databaseUrl: database.url, migrate: true, poolSize: 20 });
  await seedDemoData(db.prisma);
  await db.prisma.bank.createMany({
    data: Array.from({ length: POOL_BANK_COUNT }, (_, i) => ({ id: `pool-bank-${String(i).padStart(2, '0')}`, name: `Pool Bank ${i}`, region: '330400' })),
    skipDuplicates: true,
  });
  // A broad product each: only banks with a fitting product are eligible for the pool.
  await db.prisma.product.createMany({
    data: Array.from({ length: POOL_BANK_COUNT }, (_, i) => ({
      id: `00000000-0000-4000-c000-${String(i + 1).padStart(12, '0')}`,
      bankId: `pool-bank-${String(i).padStart(2, '0')}`,
      name: `Pool Bank ${i} loan`,
      minAmountFen: 1_000_000n,
      maxAmountFen: 5_000_000_000n,
      minTermMonths: 1,
      maxTermMonths: 60,
      minAnnualRateBp: 400,
      maxAnnualRateBp: 800,
      guaranteeMethods: [],
    })),
    skipDuplicates: true,
  });
  await db.prisma.guaranteeInstitution.upsert({ where: { id: 'jx-guarantor' }, update: {}, create: { id: 'jx-guarantor', name: 'JX Guarantor' } });
  const taskQueue = `life-${Math.random().toString(36).slice(2, 8)}`;
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    deps: { prisma: db.prisma, notifications: createNotificationDeps({}, db.prisma) },
    visibilityModule: path.resolve(__dirname, 'noVisibility.ts'),
  });
  const running = worker.run();
  const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  return {
    env,
    db,
    database,
    worker,
    taskQueue,
    client,
    async publish(o = {}) {
      counter += 1;
      const id = `00000000-0000-4000-a000-${String(Date.now() % 1e8).padStart(8, '0')}${String(counter).padStart(4, '0')}`;
      const input: FinancingRequestInput = {
        id,
        enterpriseId: DEMO_ENTERPRISE_ID,
        idempotencyKey: `k-${id}`,
        amountFen: 200_000_000,
        termMonths: 12,
        purpose: 'working capital',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb'],
        fallbackToPool: false,
        dataConsent: true,
        offerSelection: 'enterprise_choice',
        policyVersion: CURRENT_LIFECYCLE_POLICY.version,
        requestHash: 'h',
        ...o,
      };
      const handle = await client.workflow.start(financingRequestWorkflow, { workflowId: financingRequestWorkflowId(id), taskQueue, args: [input] });
      return { id, handle };
    },
    claim(requestId, bankId) {
      return client.workflow.getHandle(claimWorkflowId(requestId, bankId));
    },
    async close() {
      worker.shutdown();
      await running;
      await db.close();
      await database.drop();
      await env.teardown();
    },
  };
}

export { eventually as until } from './eventually';
