// The baseline for bench:lifecycle: the same number of activities as a request's happy path, no logic.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(activityCount: number): Promise<void> {
  for (let i = 0; i < activityCount; i++) await noop();
}
