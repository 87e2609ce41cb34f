// Builds the real transports from environment variables. With no SMTP or SMS credentials the
// embedded default is the dev inbox: nothing leaves the machine, rows are marked delivered with
// providerMessageId devinbox:… and listDevInbox shows them.
//
//   SMTP_URL            smtp://user:pass@host:587 or smtps://…  (absent: dev inbox)
//   EMAIL_FROM          sender (default DEFAULT_EMAIL_FROM)
//   SMS_PROVIDER        twilio | alicloud | devinbox (default: twilio when TWILIO_ACCOUNT_SID is set, else devinbox)
//   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID
//   TWILIO_BASE_URL     e.g. http://127.0.0.1:4010 for a local Twilio-speaking server
//   ALICLOUD_ACCESS_KEY_ID, ALICLOUD_ACCESS_KEY_SECRET, ALICLOUD_SMS_SIGN_NAME,
//   ALICLOUD_SMS_ENDPOINT (default dysmsapi.aliyuncs.com), ALICLOUD_SMS_TEMPLATE_CODES (JSON {templateId: code})
//   SUPERVISOR_EMAILS   comma-separated supervisor addresses
//   NOTIFY_QUIET_HOURS  platform SMS quiet hours, Shanghai local: `22-8` (default) or `off`
//   PUBLIC_URL          public base URL of the API (Twilio status callbacks, short task links in prompts)
//   WEBHOOK_ALLOW_LOOPBACK  true: webhooks may go to loopback receivers, over http too (development
//                       only; the embedded stack of npm start and the tests set it)
//   NOTIFICATION_STORES sql | memory (default sql): where preferences, webhook endpoints and their delivery
//                       log live. sql: the NotificationPreference/WebhookEndpoint/WebhookDelivery tables
//                       (every migrated database has them), shared by API and worker and kept across
//                       restarts; memory: process-local, lost on restart (opt-out for benchmarks/experiments)
import nodemailer from 'nodemailer';
import type { PrismaClient } from '../generated/prisma/client';
import type { Transporter } from 'nodemailer';
import type { RecipientDirectory } from './directory';
import { DEFAULT_QUIET_HOURS, SMTP_TIMEOUT_MS } from './config';
import { parseQuietHours, type QuietHours } from './schedule';
import { createAlicloudProvider } from './sms/alicloud';
import { createDevInboxSmsProvider } from './sms/devinbox';
import type { SmsProvider } from './sms/provider';
import { createTwilioProvider } from './sms/twilio';
import { InMemoryPreferenceStore, type PreferenceStore } from './preferences';
import { SqlPreferenceStore, sqlWebhookService } from './sql-stores';
import { InMemoryWebhookDeliveryLog, InMemoryWebhookEndpointStore } from './webhooks/store';
import type { WebhookService } from './webhooks/deliver';

export interface NotificationLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface NotificationDeps {
  prisma: PrismaClient;
  /** nodemailer transporter: SMTP, or a JSON transport for the dev inbox (mailerKind 'devinbox'). */
  mailer: Transporter;
  mailerKind?: 'smtp' | 'devinbox';
  emailFrom?: string;
  sms: SmsProvider;
  webhooks?: WebhookService;
  /** Per-recipient preferences the lifecycle's planner consults (notifications/preferences.ts). */
  preferences?: PreferenceStore;
  /** Default: Bank / Enterprise / GuaranteeInstitution tables + supervisorEmails. */
  directory?: RecipientDirectory;
  supervisorEmails?: string[];
  /** Platform SMS quiet hours for recipients without their own; absent: DEFAULT_QUIET_HOURS, null: none. */
  quietHours?: QuietHours | null;
  /** Public base URL of the API, for Twilio status callbacks (api/app.ts mounts createTwilioStatusRouter). */
  publicUrl?: string;
  /** Base of the short task links in prompts (PUBLIC_URL; the embedded stack sets its own address). Read at send time. */
  taskLinkBaseUrl?: string;
  now?: () => Date;
  /** Claim lease (default SEND_LEASE_MS); tests shorten it. */
  sendLeaseMs?: number;
  log?: NotificationLogger;
}

type Env = Record<string, string | undefined>;

export class NotificationConfigError extends Error {
  override name = 'NotificationConfigError';
}

function need(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new NotificationConfigError(`${name} is required for SMS_PROVIDER=${env.SMS_PROVIDER ?? 'twilio'}`);
  return v;
}

export function createSmsProvider(env: Env): SmsProvider {
  const kind = env.SMS_PROVIDER ?? (env.TWILIO_ACCOUNT_SID ? 'twilio' : 'devinbox');
  switch (kind) {
    case 'twilio':
      if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) throw new NotificationConfigError('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required');
      return createTwilioProvider({
        accountSid: need(env, 'TWILIO_ACCOUNT_SID'),
        authToken: need(env, 'TWILIO_AUTH_TOKEN'),
        from: env.TWILIO_FROM,
        messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
        baseUrl: env.TWILIO_BASE_URL,
      });
    case 'alicloud':
      return createAlicloudProvider({
        accessKeyId: need(env, 'ALICLOUD_ACCESS_KEY_ID'),
        accessKeySecret: need(env, 'ALICLOUD_ACCESS_KEY_SECRET'),
        signName: need(env, 'ALICLOUD_SMS_SIGN_NAME'),
        endpoint: env.ALICLOUD_SMS_ENDPOINT,
        templateCodes: env.ALICLOUD_SMS_TEMPLATE_CODES ? (JSON.parse(env.ALICLOUD_SMS_TEMPLATE_CODES) as Record<string, string>) : undefined,
      });
    case 'devinbox':
      return createDevInboxSmsProvider();
    default:
      throw new NotificationConfigError(`unknown SMS_PROVIDER ${kind} (twilio | alicloud | devinbox)`);
  }
}

/** Process-wide in-memory stores for NOTIFICATION_STORES=memory (one shared by API and worker in one process). */
let sharedWebhooks: WebhookService | undefined;
export function defaultWebhookService(): WebhookService {
  sharedWebhooks ??= { endpoints: new InMemoryWebhookEndpointStore(), log: new InMemoryWebhookDeliveryLog() };
  return sharedWebhooks;
}
let sharedPreferences: PreferenceStore | undefined;
export function defaultPreferenceStore(): PreferenceStore {
  sharedPreferences ??= new InMemoryPreferenceStore();
  return sharedPreferences;
}

export interface NotificationStores {
  webhooks: WebhookService;
  preferences: PreferenceStore;
  /** Platform quiet hours for recipients without their own (NOTIFY_QUIET_HOURS); null: none. */
  quietHours: QuietHours | null;
}

/** NOTIFY_QUIET_HOURS: `HH-HH` Shanghai hours or `off`; unset → DEFAULT_QUIET_HOURS (22–08). */
export function quietHoursFromEnv(env: Env): QuietHours | null {
  return env.NOTIFY_QUIET_HOURS ? parseQuietHours(env.NOTIFY_QUIET_HOURS) : DEFAULT_QUIET_HOURS;
}

/** Preference and webhook stores per NOTIFICATION_STORES: PostgreSQL by default, `memory` to opt out. */
export function createNotificationStores(env: Env, prisma: PrismaClient): NotificationStores {
  const kind = env.NOTIFICATION_STORES ?? 'sql';
  const quietHours = quietHoursFromEnv(env);
  // Loopback receivers (local development, tests) only when the stack says so explicitly.
  const policy = { allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === 'true' };
  if (kind === 'memory') return { webhooks: { ...defaultWebhookService(), policy }, preferences: defaultPreferenceStore(), quietHours };
  if (kind !== 'sql') throw new NotificationConfigError(`unknown NOTIFICATION_STORES ${kind} (sql | memory)`);
  return { webhooks: { ...sqlWebhookService(prisma), policy }, preferences: new SqlPreferenceStore(prisma), quietHours };
}

export function createNotificationDeps(env: Env, prisma: PrismaClient, extra: Partial<NotificationDeps> = {}): NotificationDeps {
  const smtp = env.SMTP_URL;
  const mailer = smtp
    ? // A pool keeps a few SMTP connections open: bursts of prompts do not pay a handshake each.
      nodemailer.createTransport({
        url: smtp,
        pool: true,
        maxConnections: 5,
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      } as never)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    prisma,
    mailer,
    mailerKind: smtp ? 'smtp' : 'devinbox',
    emailFrom: env.EMAIL_FROM,
    sms: createSmsProvider(env),
    ...createNotificationStores(env, prisma),
    supervisorEmails: (env.SUPERVISOR_EMAILS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicUrl: env.PUBLIC_URL,
    taskLinkBaseUrl: env.PUBLIC_URL,
    ...extra,
  };
}
