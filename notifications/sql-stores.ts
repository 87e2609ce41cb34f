// PostgreSQL-backed preference and webhook stores over the NotificationPreference, WebhookEndpoint and WebhookDelivery tables (prisma/schema.prisma).
// Raw SQL through Prisma; a store can be rebound to a transaction (planningContext does).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';
import { preferencesSchema, type PreferenceStore, type RecipientPreferences } from './preferences';
import type { RecipientType } from './types';
import type { WebhookService } from './webhooks/deliver';
import { newEndpoint, type WebhookDelivery, type WebhookDeliveryLog, type WebhookEndpoint, type WebhookEndpointStore } from './webhooks/store';

type Db = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe' | '$transaction'>;

export class SqlPreferenceStore implements PreferenceStore {
  constructor(private readonly db: Db) {}
  async get(type: RecipientType, id: string): Promise<RecipientPreferences | undefined> {
    const rows = await this.db.$queryRawUnsafe<{ preferences: unknown }[]>(
      'SELECT "preferences" FROM "NotificationPreference" WHERE "recipientType" = $1 AND "recipientId" = $2',
      type,
      id,
    );
    return rows[0] ? preferencesSchema.parse(rows[0].preferences) : undefined;
  }
  async set(type: RecipientType, id: string, prefs: RecipientPreferences): Promise<void> {
    const valid = preferencesSchema.parse(prefs);
    await this.db.$executeRawUnsafe(
      `INSERT INTO "NotificationPreference" ("recipientType", "recipientId", "preferences", "updatedAt") VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT ("recipientType", "recipientId") DO UPDATE SET "preferences" = EXCLUDED."preferences", "updatedAt" = now()`,
      type,
      id,
      JSON.stringify(valid),
    );
  }
}

interface EndpointRow {
  id: string;
  recipientType: string;
  recipientId: string;
  url: string;
  secret: string;
  active: boolean;
  createdAt: Date;
}
const endpoint = (r: EndpointRow): WebhookEndpoint => ({ ...r, recipientType: r.recipientType as RecipientType });

export class SqlWebhookEndpointStore implements WebhookEndpointStore {
  constructor(private readonly db: Db) {}
  async find(type: RecipientType, id: string) {
    const rows = await this.db.$queryRawUnsafe<EndpointRow[]>(
      'SELECT * FROM "WebhookEndpoint" WHERE "recipientType" = $1 AND "recipientId" = $2 AND "active" ORDER BY "createdAt" DESC LIMIT 1',
      type,
      id,
    );
    return rows[0] ? endpoint(rows[0]) : undefined;
  }
  async register(type: RecipientType, id: string, url: string) {
    const ep = newEndpoint(type, id, url);
    await this.db.$transaction([
      this.db.$executeRawUnsafe('UPDATE "WebhookEndpoint" SET "active" = false WHERE "recipientType" = $1 AND "recipientId" = $2', type, id),
      this.db.$executeRawUnsafe(
        'INSERT INTO "WebhookEndpoint" ("id", "recipientType", "recipientId", "url", "secret", "active", "createdAt") VALUES ($1, $2, $3, $4, $5, true, $6)',
        ep.id,
        type,
        id,
        url,
        ep.secret,
        ep.createdAt,
      ),
    ] as never);
    return ep;
  }
  async deactivate(endpointId: string) {
    await this.db.$executeRawUnsafe('UPDATE "WebhookEndpoint" SET "active" = false WHERE "id" = $1', endpointId);
  }
}

export class SqlWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(private readonly db: Db) {}
  async append(d: Omit<WebhookDelivery, 'id'>) {
    const row: WebhookDelivery = { ...d, id: randomUUID() };
    await this.db.$executeRawUnsafe(
      `INSERT INTO "WebhookDelivery" ("id", "endpointId", "recipientType", "recipientId", "notificationId", "event", "url", "body", "attemptedAt", "statusCode", "error", "durationMs", "ok", "replayOf")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      row.id,
      row.endpointId,
      row.recipientType,
      row.recipientId,
      row.notificationId,
      row.event,
      row.url,
      row.body,
      row.attemptedAt,
      row.statusCode,
      row.error,
      Math.round(row.durationMs),
      row.ok,
      row.replayOf,
    );
    return row;
  }
  async get(id: string) {
    const rows = await this.db.$queryRawUnsafe<WebhookDelivery[]>('SELECT * FROM "WebhookDelivery" WHERE "id" = $1', id);
    return rows[0];
  }
  async list(type: RecipientType, id: string, opts: { limit?: number; notificationId?: string } = {}) {
    return this.db.$queryRawUnsafe<WebhookDelivery[]>(
      `SELECT * FROM "WebhookDelivery" WHERE "recipientType" = $1 AND "recipientId" = $2 AND ($3::text IS NULL OR "notificationId" = $3)
       ORDER BY "attemptedAt" DESC, "id" LIMIT $4`,
      type,
      id,
      opts.notificationId ?? null,
      Math.min(opts.limit ?? 100, 1000),
    );
  }
}

/** Webhook endpoints and delivery log in PostgreSQL (once the proposed tables exist). */
export function sqlWebhookService(db: Db): WebhookService {
  return { endpoints: new SqlWebhookEndpointStore(db), log: new SqlWebhookDeliveryLog(db) };
}
