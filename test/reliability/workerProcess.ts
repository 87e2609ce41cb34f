// A worker in its own process, for the reliability tests to SIGKILL: `tsx test/reliability/workerProcess.ts`
// with TEMPORAL_ADDRESS, DATABASE_URL, TEMPORAL_TASK_QUEUE and (to start in a second, not a
// bundling's worth) WORKFLOW_BUNDLE_PATH. The same parts as worker/main.ts — createWorker with the
// real activities on PostgreSQL, the SDK runtime of observability/runtime.ts — minus migrations and
// schedules, which the test did. Prints one line `worker ready <pid>` once it polls.
import { NativeConnection, Runtime, type ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { ActivityObserver } from '../../observability/activityObserver';
import { createNotificationDeps } from '../../notifications/deps';
import { runtimeOptions, workerMetricsPort } from '../../observability/runtime';
import { openDatabase } from '../../prisma/database';
import { createWorker } from '../../worker/createWorker';

/**
 * Fault injection for races-regression.test.ts: RELIABILITY_DELAY_OFFER_CHOSEN_MS holds the request's
 * `offer:chosen` record that long before it runs, as a slow database or a dead worker would.
 */
const delayChosenMs = Number(process.env.RELIABILITY_DELAY_OFFER_CHOSEN_MS ?? 0);

function delayOfferChosen(ms: number) {
  return (ctx: { info: { activityType: string } }): { inbound: ActivityInboundCallsInterceptor } => ({
    inbound: {
      async execute(input, next) {
        const arg = input.args[0] as { event?: string } | undefined;
        if (ctx.info.activityType === 'recordTransition' && arg?.event?.startsWith('offer:chosen')) await new Promise((r) => setTimeout(r, ms));
        return next(input);
      },
    },
  });
}

async function main() {
  const address = process.env.TEMPORAL_ADDRESS;
  const databaseUrl = process.env.DATABASE_URL;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE;
  if (!address || !databaseUrl || !taskQueue) throw new Error('workerProcess needs TEMPORAL_ADDRESS, DATABASE_URL and TEMPORAL_TASK_QUEUE');
  Runtime.install(runtimeOptions({ metricsPort: workerMetricsPort(process.env) }));
  const db = await openDatabase({ databaseUrl, migrate: false });
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    deps: {
      prisma: db.prisma,
      notifications: createNotificationDeps(
        { NOTIFICATION_STORES: process.env.NOTIFICATION_STORES, NOTIFY_QUIET_HOURS: process.env.NOTIFY_QUIET_HOURS },
        db.prisma,
      ),
    },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH || undefined,
    options: {
      // As worker/main.ts: the production cap on the workflow cache, when set (bench:load sets it as compose does).
      ...(process.env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
      ...(delayChosenMs ? { interceptors: { activity: [(ctx) => ({ inbound: new ActivityObserver(ctx) }), delayOfferChosen(delayChosenMs)] } } : {}),
    },
  });
  const running = worker.run();
  process.stdout.write(`worker ready ${process.pid}\n`);
  await running; // SIGTERM/SIGINT: the SDK drains and returns; SIGKILL: nothing runs, which is the point
  await connection.close();
  await db.close();
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
