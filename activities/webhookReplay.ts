// The webhook replay activity: one attempt to the recipient's current endpoint, from the worker.
import { replayWebhookDelivery, type WebhookService } from '../notifications/webhooks/deliver';
import { replayedDeliveryView, type ReplayedDelivery, type WebhookReplayInput } from '../notifications/webhooks/replay';
import { ApplicationFailure } from '@temporalio/common';

export function createWebhookReplayActivities(deps: { webhooks?: WebhookService }) {
  return {
    async replayWebhook(input: WebhookReplayInput): Promise<ReplayedDelivery> {
      if (!deps.webhooks) throw ApplicationFailure.nonRetryable('webhooks not configured', 'NoWebhooks');
      try {
        return replayedDeliveryView(await replayWebhookDelivery(deps.webhooks, input.deliveryId, input.recipient));
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'ReplayRefused');
      }
    },
  };
}
