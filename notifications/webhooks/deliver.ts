// POSTs one event to a recipient's webhook endpoint, signed, and logs the attempt.
// Retries come from the outbox activity (Temporal backoff); every attempt is logged, and the
// recipient may replay any logged delivery. Receivers de-duplicate on X-Loanbridge-Delivery.
import { WEBHOOK_DELIVERY_ID_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMEOUT_MS } from '../config';
import { DeliveryError, networkErrorKind, type DeliveryErrorKind } from '../errors';
import type { RecipientType } from '../types';
import { signWebhook } from './signature';
import { postPinned } from './pinnedPost';
import { resolveWebhookTarget, WebhookUrlRefused, type WebhookTarget, type WebhookTargetPolicy } from './ssrf';

/** A delivery the SSRF guard stopped before any connection (a permanent failure). */
const REFUSED = 'url refused';
/** No HTTP answer, whatever the reason (refused, unreachable, timeout, TLS, DNS). */
const NOT_DELIVERED = 'not delivered';
import type { WebhookDelivery, WebhookDeliveryLog, WebhookEndpoint, WebhookEndpointStore } from './store';

export interface WebhookService {
  endpoints: WebhookEndpointStore;
  log: WebhookDeliveryLog;
  timeoutMs?: number;
  now?: () => Date;
  /** Which targets deliveries may reach (loopback only on a development stack). */
  policy?: WebhookTargetPolicy;
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

/**
 * The outcome recorded and shown to the recipient is coarse on purpose: the receiver's HTTP
 * status, or "not delivered", or "url refused" — never socket error codes or timings, which
 * would turn the delivery log into a port scanner. The retry decision uses the finer kind.
 */
interface PostOutcome {
  status: number | null;
  error: string | null;
  ms: number;
  kind: DeliveryErrorKind | null;
}

async function post(service: WebhookService, endpoint: WebhookEndpoint, deliveryId: string, event: string, body: string): Promise<PostOutcome> {
  const now = service.now?.() ?? new Date();
  const started = Date.now();
  let target: WebhookTarget;
  try {
    target = await resolveWebhookTarget(endpoint.url, service.policy);
  } catch (err) {
    if (err instanceof WebhookUrlRefused && err.reason === 'unresolvable') return { status: null, error: NOT_DELIVERED, ms: 0, kind: 'transient' };
    return { status: null, error: REFUSED, ms: 0, kind: 'permanent' };
  }
  try {
    const status = await postPinned(
      target,
      {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'loanbridge-webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, endpoint.secret, now),
        [WEBHOOK_DELIVERY_ID_HEADER]: deliveryId,
        [WEBHOOK_EVENT_HEADER]: event,
      },
      body,
      service.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
    );
    const ok = status >= 200 && status < 300;
    return { status, error: ok ? null : `HTTP ${status}`, ms: Date.now() - started, kind: null };
  } catch (err) {
    return { status: null, error: NOT_DELIVERED, ms: Date.now() - started, kind: networkErrorKind(err) };
  }
}

async function attempt(
  service: WebhookService,
  endpoint: WebhookEndpoint,
  payload: { notificationId: string; event: string; body: string },
  replayOf: string | null,
): Promise<{ delivery: WebhookDelivery; kind: DeliveryErrorKind | null }> {
  const r = await post(service, endpoint, payload.notificationId, payload.event, payload.body);
  const delivery = await service.log.append({
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
  return { delivery, kind: r.kind };
}

function toError(d: WebhookDelivery, kind: DeliveryErrorKind | null): DeliveryError {
  if (d.error === REFUSED) return new DeliveryError('permanent', `webhook ${d.url}: ${d.error}`, 'url_refused');
  if (d.statusCode !== null) return classifyHttpStatus(d.statusCode, `webhook ${d.url}: ${d.error}`);
  return new DeliveryError(kind ?? 'ambiguous', `webhook ${d.url}: ${d.error}`, 'network');
}

/** Delivers one outbox row's event; throws DeliveryError unless the receiver answered 2xx. */
export async function deliverWebhook(service: WebhookService, payload: WebhookPayload): Promise<{ providerMessageId: string }> {
  const endpoint = await service.endpoints.find(payload.recipient.type, payload.recipient.id);
  if (!endpoint) throw new DeliveryError('permanent', 'no active webhook endpoint', 'no_endpoint');
  const { delivery: d, kind } = await attempt(service, endpoint, { notificationId: payload.id, event: payload.event, body: JSON.stringify(payload) }, null);
  if (!d.ok) throw toError(d, kind);
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
  const { delivery } = await attempt(
    service,
    endpoint,
    { notificationId: original.notificationId, event: original.event, body: original.body },
    original.replayOf ?? original.id,
  );
  return delivery;
}

/** The recipient's delivery log, newest first. */
export function listWebhookDeliveries(
  service: WebhookService,
  recipient: { type: RecipientType; id: string },
  opts?: { limit?: number; notificationId?: string },
) {
  return service.log.list(recipient.type, recipient.id, opts);
}
