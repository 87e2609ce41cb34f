// Builds the Temporal worker: the workflow bundle plus activities built from their dependencies.
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface WorkerConfig {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (Dockerfile builds one); otherwise workflows are bundled at start. */
  workflowBundlePath?: string;
  options?: Partial<WorkerOptions>;
}

export async function createWorker(cfg: WorkerConfig): Promise<Worker> {
  return Worker.create({
    connection: cfg.connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    ...(cfg.workflowBundlePath
      ? { workflowBundle: { codePath: cfg.workflowBundlePath } }
      : { workflowsPath: path.resolve(__dirname, '../workflows/index.ts') }),
    activities: createActivities(cfg.deps),
    ...cfg.options,
  });
}
