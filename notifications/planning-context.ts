// Loads what planOutboxRows needs about the recipients of some requests (addresses known, webhook
// registered, preferences), so the planner itself stays a pure function. Call it in the
// lifecycle's transaction (pass the transaction client) just before planOutboxRows.
import type { PrismaClient } from '../generated/prisma/client';
import { prismaDirectory } from './directory';
import { recipientKey, type PlanningContext, type PreferenceStore, type RecipientProfile } from './preferences';
import { SqlPreferenceStore, SqlWebhookEndpointStore } from './sql-stores';
import type { QuietHours } from './schedule';
import type { NotificationRequest } from './types';
import type { WebhookEndpointStore } from './webhooks/store';

/** The stores the planner consults (absent: recipient-type defaults, no webhook rows). */
export interface PlanningDeps {
  preferences?: PreferenceStore;
  webhooks?: { endpoints: WebhookEndpointStore };
  supervisorEmails?: string[];
  /** Platform SMS quiet hours for recipients without their own (NOTIFY_QUIET_HOURS); null: none. */
  quietHours?: QuietHours | null;
}

export async function loadPlanningContext(
  db: Pick<PrismaClient, 'bank' | 'enterprise' | 'guaranteeInstitution'>,
  requests: NotificationRequest[],
  opts: { preferences?: PreferenceStore; webhooks?: WebhookEndpointStore; supervisorEmails?: string[]; quietHours?: QuietHours | null } = {},
): Promise<PlanningContext> {
  const dir = prismaDirectory(db, opts.supervisorEmails ?? []);
  const recipients: Record<string, RecipientProfile> = {};
  for (const n of requests) {
    const key = recipientKey(n.recipient.type, n.recipient.id);
    if (recipients[key]) continue;
    const contact = await dir.lookup(n.recipient.type, n.recipient.id);
    recipients[key] = {
      // Unknown recipient: leave addresses undefined (planned, resolved at delivery).
      ...(contact ? { email: contact.email ?? null, mobile: contact.mobile ?? null } : {}),
      webhook: opts.webhooks ? (await opts.webhooks.find(n.recipient.type, n.recipient.id)) !== undefined : false,
      preferences: await opts.preferences?.get(n.recipient.type, n.recipient.id),
    };
  }
  return opts.quietHours === undefined ? { recipients } : { recipients, quietHours: opts.quietHours };
}

type TransactionDb = Parameters<typeof loadPlanningContext>[0] & ConstructorParameters<typeof SqlPreferenceStore>[0];

/** loadPlanningContext inside a transaction: SQL-backed stores are rebound to it. */
export function planningContext(tx: TransactionDb, requests: NotificationRequest[], deps: PlanningDeps | undefined): Promise<PlanningContext> {
  // On a one-connection database (PGlite) a read on the base client would wait for this very
  // transaction and time it out.
  const preferences = deps?.preferences instanceof SqlPreferenceStore ? new SqlPreferenceStore(tx) : deps?.preferences;
  const webhooks = deps?.webhooks?.endpoints instanceof SqlWebhookEndpointStore ? new SqlWebhookEndpointStore(tx) : deps?.webhooks?.endpoints;
  return loadPlanningContext(tx, requests, { preferences, webhooks, supervisorEmails: deps?.supervisorEmails, quietHours: deps?.quietHours });
}
