// A local Temporal dev server (the project's temporal CLI) and a worker running the test workflow
// with the real notification activities.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { RetryPolicy } from '@temporalio/common';
import type { NotificationActivities } from '../../../activities/notifications';
import type { DeliverResult } from './workflows';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { temporalCliPath } = require('../../../scripts/tools.js') as { temporalCliPath(): string };

/** Short intervals for tests; production uses notificationRetryPolicy (2 s doubling to 10 min). */
export const TEST_RETRY: RetryPolicy = {
  initialInterval: 200,
  backoffCoefficient: 2,
  maximumInterval: 2_000,
  nonRetryableErrorTypes: ['NotificationRejected', 'NotificationNotFound'],
};

export interface TestTemporal {
  env: TestWorkflowEnvironment;
  deliver(activities: NotificationActivities, ids: string[], opts?: { retry?: RetryPolicy; startToCloseMs?: number }): Promise<DeliverResult[]>;
  close(): Promise<void>;
}

export async function startTemporal(): Promise<TestTemporal> {
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalCliPath() } } });
  let bundle: WorkflowBundleWithSourceMap | undefined;
  return {
    env,
    async deliver(activities, ids, opts = {}) {
      bundle ??= await bundleWorkflowCode({
        workflowsPath: path.join(__dirname, 'workflows.ts'),
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
      });
      const taskQueue = `nt-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
      return worker.runUntil(
        env.client.workflow.execute('deliverNotificationsWorkflow', {
          taskQueue,
          workflowId: `nt-${randomUUID()}`,
          args: [ids, { retry: opts.retry ?? TEST_RETRY, startToCloseMs: opts.startToCloseMs ?? 10_000 }],
        }) as Promise<DeliverResult[]>,
      );
    },
    async close() {
      await env.teardown();
    },
  };
}
