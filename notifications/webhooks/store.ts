// Webhook endpoints banks and guarantee institutions register, and the delivery log they can read
// and replay. Behind interfaces: in-memory implementations today; the tables are proposed in
// prisma/schema.prisma (WebhookEndpoint, WebhookDelivery).
import { randomUUID } from 'node:crypto';
import type { RecipientType } from '../types';
import { newWebhookSecret } from './signature';

export interface WebhookEndpoint {
  id: string;
  recipientType: RecipientType;
  recipientId: string;
  /** HTTPS to a public address; http only to loopback on a development stack (ssrf.ts). */
  url: string;
  secret: string;
  active: boolean;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  recipientType: RecipientType;
  recipientId: string;
  /** Outbox row id; also the X-Loanbridge-Delivery header receivers de-duplicate on. */
  notificationId: string;
  event: string;
  url: string;
  /** Exact JSON body sent (replays send it again, newly signed). */
  body: string;
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
  /** Set when this attempt was a replay requested by the recipient. */
  replayOf: string | null;
}

export interface WebhookEndpointStore {
  find(type: RecipientType, id: string): Promise<WebhookEndpoint | undefined>;
  register(type: RecipientType, id: string, url: string): Promise<WebhookEndpoint>;
  deactivate(endpointId: string): Promise<void>;
}

export interface WebhookDeliveryLog {
  append(d: Omit<WebhookDelivery, 'id'>): Promise<WebhookDelivery>;
  get(id: string): Promise<WebhookDelivery | undefined>;
  list(type: RecipientType, id: string, opts?: { limit?: number; notificationId?: string }): Promise<WebhookDelivery[]>;
}

export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
}

/** An http(s) URL; which targets are allowed is the SSRF guard's (ssrf.ts), at registration and at every delivery. */
export function assertWebhookUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WebhookUrlError(`not a URL: ${url}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WebhookUrlError('webhook URL must be http(s)');
}

/** A new active endpoint with a fresh secret (both stores register through this). */
export function newEndpoint(type: RecipientType, id: string, url: string): WebhookEndpoint {
  assertWebhookUrl(url);
  return { id: randomUUID(), recipientType: type, recipientId: id, url, secret: newWebhookSecret(), active: true, createdAt: new Date() };
}

export class InMemoryWebhookEndpointStore implements WebhookEndpointStore {
  private readonly byId = new Map<string, WebhookEndpoint>();
  async find(type: RecipientType, id: string) {
    return [...this.byId.values()].find((e) => e.active && e.recipientType === type && e.recipientId === id);
  }
  /** One active endpoint per recipient: registering again replaces the URL and rotates the secret. */
  async register(type: RecipientType, id: string, url: string) {
    const ep = newEndpoint(type, id, url);
    for (const e of this.byId.values()) if (e.recipientType === type && e.recipientId === id) e.active = false;
    this.byId.set(ep.id, ep);
    return ep;
  }
  async deactivate(endpointId: string) {
    const e = this.byId.get(endpointId);
    if (e) e.active = false;
  }
}

export class InMemoryWebhookDeliveryLog implements WebhookDeliveryLog {
  private readonly rows: WebhookDelivery[] = [];
  async append(d: Omit<WebhookDelivery, 'id'>) {
    const row = { ...d, id: randomUUID() };
    this.rows.push(row);
    return row;
  }
  async get(id: string) {
    return this.rows.find((r) => r.id === id);
  }
  async list(type: RecipientType, id: string, opts: { limit?: number; notificationId?: string } = {}) {
    return this.rows
      .filter((r) => r.recipientType === type && r.recipientId === id && (!opts.notificationId || r.notificationId === opts.notificationId))
      .sort((a, b) => b.attemptedAt.getTime() - a.attemptedAt.getTime())
      .slice(0, opts.limit ?? 100);
  }
}
