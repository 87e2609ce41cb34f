// /healthz: the database, the Temporal frontend, and whether a worker polls our task queue.
import { Router } from 'express';
import { temporal } from '@temporalio/proto';
import type { ApiDeps } from './deps';

type Check = { status: 'up' | 'down'; detail?: string };

async function check(fn: () => Promise<string | void>, timeoutMs = 3000): Promise<Check> {
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return detail ? { status: 'up', detail } : { status: 'up' };
  } catch (err) {
    return { status: 'down', detail: (err as Error).message };
  }
}

/** A worker counts as up if it polled the task queue in the last minute. */
const WORKER_POLL_WINDOW_MS = 60_000;

export function healthRouter(deps: ApiDeps): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const [database, temporalCheck, worker] = await Promise.all([
      check(() => deps.pingDatabase()),
      check(async () => {
        await deps.temporal.workflowService.getSystemInfo({});
      }),
      check(async () => {
        const d = await deps.temporal.workflowService.describeTaskQueue({
          namespace: deps.namespace,
          taskQueue: { name: deps.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        const now = Date.now();
        const live = (d.pollers ?? []).filter((p) => {
          const s = p.lastAccessTime?.seconds;
          return s != null && now - Number(s) * 1000 < WORKER_POLL_WINDOW_MS;
        });
        if (live.length === 0) throw new Error(`no worker polling task queue ${deps.taskQueue}`);
        return `${live.length} poller(s)`;
      }),
    ]);
    const checks = { database, temporal: temporalCheck, worker };
    const ok = Object.values(checks).every((c) => c.status === 'up');
    // Anyone may ask: the answer says up or down per dependency; why (hosts, ports, errors) goes to the log.
    if (!ok) deps.log.warn({ checks }, 'health check failed');
    const publicChecks = Object.fromEntries(Object.entries(checks).map(([k, c]) => [k, { status: c.status }]));
    res.status(ok ? 200 : 503).json({ status: ok ? 'up' : 'down', checks: publicChecks });
  });
  return r;
}
