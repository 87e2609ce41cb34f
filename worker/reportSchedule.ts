// The Temporal Schedule of the periodic supervision report, created or brought up to date at
// start (npm start, the worker process), idempotently: the spec, the action and the policies come
// from domain/supervision.ts, so changing the configuration and restarting updates the schedule.
import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { reportScheduleSpec, SUPERVISION_CONFIG, type SupervisionConfig } from '../domain/supervision';
import type { supervisionReportWorkflow } from '../workflows/supervisionReport';

export function reportScheduleOptions(taskQueue: string, cfg: SupervisionConfig = SUPERVISION_CONFIG) {
  const action: ScheduleOptionsStartWorkflowAction<typeof supervisionReportWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'supervisionReportWorkflow',
    workflowId: cfg.report.workflowId,
    taskQueue,
    args: [{}],
  };
  return {
    spec: reportScheduleSpec(cfg),
    action,
    // One report at a time; after an outage of up to a day the missed run still happens (it reports the same whole week).
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the report schedule, or updates it to the current configuration; returns which. */
export async function ensureReportSchedule(
  clientOrConnection: Client | Connection,
  taskQueue: string,
  namespace = 'default',
  cfg: SupervisionConfig = SUPERVISION_CONFIG,
): Promise<'created' | 'updated'> {
  const client = clientOrConnection instanceof Client ? clientOrConnection : new Client({ connection: clientOrConnection, namespace });
  const options = reportScheduleOptions(taskQueue, cfg);
  try {
    await client.schedule.create({ scheduleId: cfg.report.scheduleId, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(cfg.report.scheduleId).update((prev) => ({
    ...prev,
    spec: options.spec,
    action: options.action,
    policies: { ...prev.policies, ...options.policies },
  }));
  return 'updated';
}
