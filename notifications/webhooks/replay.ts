// What the API asks the worker to replay, and the coarse answer it gets back. Pure (no Node
// imports): the replay workflow imports it.
import type { RecipientType } from '../types';
import type { WebhookDelivery } from './store';

export interface WebhookReplayInput {
  deliveryId: string;
  recipient: { type: RecipientType; id: string };
}

/** A logged attempt as the recipient sees it: no socket errors, no timings (deliver.ts). */
export interface ReplayedDelivery {
  id: string;
  endpointId: string;
  notificationId: string;
  event: string;
  url: string;
  body: string;
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  ok: boolean;
  replayOf: string | null;
}

export function replayedDeliveryView(d: WebhookDelivery): ReplayedDelivery {
  return {
    id: d.id,
    endpointId: d.endpointId,
    notificationId: d.notificationId,
    event: d.event,
    url: d.url,
    body: d.body,
    attemptedAt: new Date(d.attemptedAt).toISOString(),
    statusCode: d.statusCode,
    error: d.error,
    ok: d.ok,
    replayOf: d.replayOf,
  };
}
