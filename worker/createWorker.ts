// Builds the Temporal worker: the workflow bundle plus activities built from their dependencies.
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { workerObservability } from '../observability/tracing';

export interface WorkerConfig {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (Dockerfile builds one); otherwise workflows are bundled at start. */
  workflowBundlePath?: string;
  options?: Partial<WorkerOptions>;
  /** Replace workflows/visibility.ts by this module (the time-skipping server has no custom search attributes). */
  visibilityModule?: string;
}

/** A bundler hook that swaps workflows/visibility.ts for `replacement`. */
export function replaceVisibility(replacement: string) {
  return { webpackConfigHook: replaceModule(/[\\/]visibility$/, replacement) };
}

function replaceModule(pattern: RegExp, replacement: string) {
  return (config: any) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const webpack = require('webpack') as { NormalModuleReplacementPlugin: new (p: RegExp, r: string) => unknown };
    config.plugins = [...(config.plugins ?? []), new webpack.NormalModuleReplacementPlugin(pattern, replacement)];
    return config;
  };
}

/**
 * Activities running at once per worker. Kept below the database pool (prisma/database.ts,
 * DEFAULT_POOL_SIZE) so a burst of activities queues in Temporal instead of starving the pool.
 */
export const MAX_CONCURRENT_ACTIVITIES = 16;

export async function createWorker(cfg: WorkerConfig): Promise<Worker> {
  return Worker.create({
    connection: cfg.connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    ...(cfg.workflowBundlePath
      ? { workflowBundle: { codePath: cfg.workflowBundlePath } }
      : {
          workflowsPath: path.resolve(__dirname, '../workflows/index.ts'),
          ...(cfg.visibilityModule ? { bundlerOptions: replaceVisibility(cfg.visibilityModule) } : {}),
        }),
    activities: createActivities(cfg.deps),
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
    ...workerObservability({ prebuiltBundle: Boolean(cfg.workflowBundlePath) }),
    ...cfg.options,
  });
}
