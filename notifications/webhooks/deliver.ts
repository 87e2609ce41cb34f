// POSTs one event to a recipient's webhook endpoint, signed, and logs the attempt.
// Retries come from the outbox activity (Temporal backoff); every attempt is logged, and the
// recipient may replay any logged delivery. Receivers de-duplicate on X-Loanbridge-Delivery.
import { WEBHOOK_DELIVERY_ID_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMEOUT_MS } from '../config';
import { DeliveryError, networkErrorKind } from '../errors';
import type { RecipientType } from '../types';
import { signWebhook } from './signature';
import { checkWebhookUrl } from './ssrf';

/** Marks a delivery the SSRF guard stopped before any connection (a permanent failure). */
const REFUSED = 'url refused';
import type { WebhookDelivery, WebhookDeliveryLog, WebhookEndpoint, WebhookEndpointStore } from './store';

export interface WebhookService {
  endpoints: WebhookEndpointStore;
  log: WebhookDeliveryLog;
  timeoutMs?: number;
  now?: () => Date;
}

/** The JSON body of an event. */
export interface WebhookPayload {
  /** Stable per outbox row: the de-duplication key. */
  id: string;
  event: string;
  createdAt: string;
  financingRequestId: string | null;
  recipient: { type: RecipientType; id: string };
  locale: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

export function classifyHttpStatus(status: number, message: string): DeliveryError {
  // 410 Gone and client errors other than timeouts/rate limits: the receiver refuses this event;
  // it stays in the log for a replay once the receiver is fixed.
  if (status === 410 || (status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status))) {
    return new DeliveryError('permanent', message, `http_${status}`);
  }
  return new DeliveryError('transient', message, `http_${status}`);
}

async function post(
  service: WebhookService,
  endpoint: WebhookEndpoint,
  deliveryId: string,
  event: string,
  body: string,
): Promise<{ status: number | null; error: string | null; ms: number }> {
  const now = service.now?.() ?? new Date();
  const started = Date.now();
  try {
    await checkWebhookUrl(endpoint.url);
  } catch (err) {
    return { status: null, error: `${REFUSED}: ${(err as Error).message}`, ms: 0 };
  }
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'loanbridge-webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, endpoint.secret, now),
        [WEBHOOK_DELIVERY_ID_HEADER]: deliveryId,
        [WEBHOOK_EVENT_HEADER]: event,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(service.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status, error: res.ok ? null : `HTTP ${res.status}`, ms: Date.now() - started };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { status: null, error: `${e.name}: ${e.cause?.code ?? e.message}`, ms: Date.now() - started };
  }
}

async function attempt(
  service: WebhookService,
  endpoint: WebhookEndpoint,
  payload: { notificationId: string; event: string; body: string },
  replayOf: string | null,
): Promise<WebhookDelivery> {
  const r = await post(service, endpoint, payload.notificationId, payload.event, payload.body);
  return service.log.append({
    endpointId: endpoint.id,
    recipientType: endpoint.recipientType,
    recipientId: endpoint.recipientId,
    notificationId: payload.notificationId,
    event: payload.event,
    url: endpoint.url,
    body: payload.body,
    attemptedAt: service.now?.() ?? new Date(),
    statusCode: r.status,
    error: r.error,
    durationMs: r.ms,
    ok: r.status !== null && r.status >= 200 && r.status < 300,
    replayOf,
  });
}

function toError(d: WebhookDelivery): DeliveryError {
  if (d.error?.startsWith(REFUSED)) return new DeliveryError('permanent', `webhook ${d.url}: ${d.error}`, 'url_refused');
  if (d.statusCode !== null) return classifyHttpStatus(d.statusCode, `webhook ${d.url}: ${d.error}`);
  // No HTTP answer: refused connection proves nothing was received; a timeout proves nothing.
  const kind = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(d.error ?? '') ? 'transient' : networkErrorKind(new Error(d.error ?? ''));
  return new DeliveryError(kind, `webhook ${d.url}: ${d.error}`, 'network');
}

/** Delivers one outbox row's event; throws DeliveryError unless the receiver answered 2xx. */
export async function deliverWebhook(service: WebhookService, payload: WebhookPayload): Promise<{ providerMessageId: string }> {
  const endpoint = await service.endpoints.find(payload.recipient.type, payload.recipient.id);
  if (!endpoint) throw new DeliveryError('permanent', 'no active webhook endpoint', 'no_endpoint');
  const d = await attempt(service, endpoint, { notificationId: payload.id, event: payload.event, body: JSON.stringify(payload) }, null);
  if (!d.ok) throw toError(d);
  return { providerMessageId: `webhook:${d.id}` };
}

/**
 * Sends a logged delivery again (the recipient asks after fixing its receiver): same body and
 * delivery id, fresh signature timestamp, to the recipient's current endpoint. Only the
 * recipient's own deliveries can be replayed.
 */
export async function replayWebhookDelivery(
  service: WebhookService,
  deliveryId: string,
  requester: { type: RecipientType; id: string },
): Promise<WebhookDelivery> {
  const original = await service.log.get(deliveryId);
  if (!original || original.recipientType !== requester.type || original.recipientId !== requester.id) throw new Error('delivery not found');
  const endpoint = await service.endpoints.find(requester.type, requester.id);
  if (!endpoint) throw new Error('no active webhook endpoint');
  return attempt(service, endpoint, { notificationId: original.notificationId, event: original.event, body: original.body }, original.replayOf ?? original.id);
}

/** The recipient's delivery log, newest first. */
export function listWebhookDeliveries(
  service: WebhookService,
  recipient: { type: RecipientType; id: string },
  opts?: { limit?: number; notificationId?: string },
) {
  return service.log.list(recipient.type, recipient.id, opts);
}
