// Test workflow: delivers outbox rows through the real deliverNotification activity with a retry
// policy, the way the lifecycle workflows do. A failed row is reported, not thrown.
import { proxyActivities, ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { NotificationActivities } from '../../../activities/notifications';

export interface DeliverResult {
  id: string;
  status?: string;
  reconciled?: boolean;
  batchSize?: number;
  error?: string;
  errorType?: string;
}

export async function deliverNotificationsWorkflow(ids: string[], opts: { retry: RetryPolicy; startToCloseMs: number }): Promise<DeliverResult[]> {
  const { deliverNotification } = proxyActivities<NotificationActivities>({ startToCloseTimeout: opts.startToCloseMs, retry: opts.retry });
  return Promise.all(
    ids.map(async (id) => {
      try {
        const r = await deliverNotification(id);
        return { id, status: r.status, reconciled: r.reconciled, batchSize: r.batchSize };
      } catch (e) {
        const cause = e instanceof ActivityFailure ? e.cause : e;
        return { id, error: (cause as Error).message, errorType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined };
      }
    }),
  );
}
