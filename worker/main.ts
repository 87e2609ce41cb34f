// The worker as its own process (docker-compose, scaled with --scale worker=N). Needs an
// external Temporal (TEMPORAL_ADDRESS) and PostgreSQL (DATABASE_URL).
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { readEnv } from '../config/env';
import { assertProductionConfig } from '../config/production';
import { logger } from '../config/logger';
import { openDatabase } from '../prisma/database';
import { createNotificationDeps } from '../notifications/deps';
import { createWorker } from './createWorker';
import { registerSearchAttributes } from './searchAttributes';
import { ensureReportSchedule } from './reportSchedule';
import { DEFAULT_WORKER_METRICS_PORT, runtimeOptions, workerMetricsPort } from '../observability/runtime';

async function main() {
  const env = readEnv();
  Runtime.install(runtimeOptions({ metricsPort: workerMetricsPort(process.env, DEFAULT_WORKER_METRICS_PORT) }));
  if (!env.temporalAddress || !env.databaseUrl) throw new Error('worker/main needs TEMPORAL_ADDRESS and DATABASE_URL (npm start runs the embedded stack)');
  // Credit data from the real sources, not the local simulator by accident.
  assertProductionConfig('worker');
  const db = await openDatabase({ databaseUrl: env.databaseUrl, migrate: true });
  const admin = await Connection.connect({ address: env.temporalAddress });
  await registerSearchAttributes(admin, env.temporalNamespace);
  await ensureReportSchedule(admin, env.taskQueue, env.temporalNamespace);
  await admin.close();
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    deps: { prisma: db.prisma, notifications: createNotificationDeps(process.env, db.prisma) },
    workflowBundlePath: env.workflowBundlePath,
    options: env.workerMaxCachedWorkflows ? { maxCachedWorkflows: env.workerMaxCachedWorkflows } : {},
  });
  logger.info({ taskQueue: env.taskQueue }, 'worker running');
  await worker.run(); // returns after SIGINT/SIGTERM (the SDK's runtime handles them)
  await connection.close();
  await db.close();
}

main().catch((err) => {
  logger.error({ err }, 'worker failed');
  process.exit(1);
});
