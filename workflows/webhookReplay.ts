// A recipient's replay of a logged webhook delivery runs here, on the worker, so the API process
// never opens a connection to a caller-chosen URL. One attempt: the recipient asked for exactly one.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReplayedDelivery, WebhookReplayInput } from '../notifications/webhooks/replay';

const { replayWebhook } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

export async function webhookReplayWorkflow(input: WebhookReplayInput): Promise<ReplayedDelivery> {
  return replayWebhook(input);
}
