// Delivery of outbox rows from workflow code: one deliverNotification activity per row, not awaited
// by the step that wrote them (a quiet-hours SMS may wait until 08:00), but awaited before the
// workflow ends or continues as new, so none is dropped.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { notificationActivityOptions } from '../notifications/retry-policy';

const { deliverNotification } = proxyActivities<Activities>(notificationActivityOptions);

export class Deliveries {
  private pending: Promise<unknown>[] = [];

  start(ids: string[]): void {
    // A permanently failed row is recorded as failed by the activity; the lifecycle goes on.
    for (const id of ids) this.pending.push(deliverNotification(id).catch(() => undefined));
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
    this.pending = [];
  }
}

/** Delivers outbox rows on its own, for callers that must not wait for delivery (a portrait read). */
export async function deliverNotificationsWorkflow(ids: string[]): Promise<void> {
  const d = new Deliveries();
  d.start(ids);
  await d.drain();
}
