// Every tunable of the notifications part, in one place. Pure constants (no environment reads,
// no Node imports) so workflow code may import this file too; notifications/deps.ts reads env.
import type { Channel, Locale } from './types';
import type { TemplateId } from './templates';

/** China Standard Time is UTC+8 all year (no daylight saving), so a fixed offset is exact. */
export const SHANGHAI_UTC_OFFSET_MINUTES = 8 * 60;

/**
 * Default SMS quiet hours, Shanghai local time: no SMS from 22:00 to 08:00 unless the request is
 * urgent. Non-urgent SMS planned in this window are written `held` with notBefore = next 08:00.
 * A recipient's preferences may set other hours or switch them off.
 */
export const DEFAULT_QUIET_HOURS = { startHour: 22, endHour: 8 } as const;

/** Channels that quiet hours hold back: only SMS wakes people up; e-mail, webhooks and the inbox do not. */
export const QUIET_HOURS_CHANNELS: readonly Channel[] = ['sms'];

/**
 * Batching for busy banks: pool prompts (抢单提醒) for a bank that opted in are held until the
 * end of an aligned window and then sent as one digest per channel. Windows are aligned to
 * Shanghai midnight so every row of one window gets the same notBefore (the batch key).
 */
export const BATCHED_TEMPLATE_IDS: readonly TemplateId[] = ['poolRequestMatchesProducts'];
export const BATCHED_CHANNELS: readonly Channel[] = ['sms', 'email'];
/** Upper bound on a window so a prompt is never held longer than the grab race can bear. */
export const MAX_POOL_BATCH_WINDOW_MINUTES = 240;
/** Most prompts listed in one digest; the rest are summarised as "and N more". */
export const DIGEST_MAX_ITEMS = 20;

/** Channels per recipient type before preferences and known addresses narrow them. Inbox is always on. */
export const DEFAULT_CHANNELS: Record<'enterprise' | 'bank' | 'guaranteeInstitution' | 'supervisor', readonly Channel[]> = {
  enterprise: ['sms', 'email', 'inbox'],
  bank: ['sms', 'email', 'webhook', 'inbox'],
  guaranteeInstitution: ['sms', 'email', 'webhook', 'inbox'],
  supervisor: ['email', 'inbox'],
};

export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * Retry/backoff of the deliverNotification activity (see notifications/retry-policy.ts):
 * first retry after 2 s, doubling, capped at 10 min; attempts unlimited (maximumAttempts omitted), bounded by the
 * schedule-to-close timeout, so a provider outage of a day loses nothing and a dead one
 * stops after three days. Waiting for notBefore uses nextRetryDelay and does not back off.
 */
export const RETRY_INITIAL_INTERVAL_MS = 2_000;
export const RETRY_BACKOFF_COEFFICIENT = 2;
export const RETRY_MAXIMUM_INTERVAL_MS = 10 * 60_000;
export const ACTIVITY_START_TO_CLOSE_MS = 60_000;
export const ACTIVITY_SCHEDULE_TO_CLOSE_MS = 3 * 24 * 3600_000;

/**
 * A row claimed for sending ("in flight") whose claim is older than this is presumed orphaned by
 * a killed worker; the next attempt reconciles with the provider before sending again. It must
 * be longer than the activity's start-to-close timeout, so a slow but alive attempt has ended.
 */
export const SEND_LEASE_MS = 2 * ACTIVITY_START_TO_CLOSE_MS;

/** Per-call timeouts of the transports (an attempt must finish well within start-to-close). */
export const SMTP_TIMEOUT_MS = 20_000;
export const SMS_TIMEOUT_MS = 15_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Replays a principal may ask for per minute (each is one outbound request from the worker). */
export const WEBHOOK_REPLAYS_PER_MINUTE = 6;

/** Webhook signatures older (or newer) than this are rejected by verifyWebhookSignature: replay window. */
export const WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;
export const WEBHOOK_SIGNATURE_HEADER = 'X-Loanbridge-Signature';
/** Stable per outbox row: receivers de-duplicate on it (a retry after a lost 2xx repeats it). */
export const WEBHOOK_DELIVERY_ID_HEADER = 'X-Loanbridge-Delivery';
export const WEBHOOK_EVENT_HEADER = 'X-Loanbridge-Event';

/** Domain of the deterministic Message-ID of notification e-mails (<hash@domain>). */
export const MESSAGE_ID_DOMAIN = 'notify.loanbridge.cn';
export const DEFAULT_EMAIL_FROM = '"贷桥 loanbridge" <noreply@notify.loanbridge.cn>';

/** Signature shown in SMS text (PRC rules require a 【signature】; Alibaba Cloud adds its approved SignName itself). */
export const SMS_SIGNATURE: Record<Locale, string> = { 'zh-CN': '【贷桥】', en: '[loanbridge] ' };

/**
 * Alibaba Cloud SMS template codes, one per template id. Chinese carriers deliver only
 * pre-approved templates: each template's zh-CN SMS text is submitted in the Alibaba Cloud console
 * (see docs/notifications.md), and the approved code is filled in here (or overridden by env
 * ALICLOUD_SMS_TEMPLATE_CODES as JSON). Placeholders until approval.
 */
export const ALICLOUD_TEMPLATE_CODES: Record<TemplateId, string> = {
  newDirectedRequest: 'SMS_LB_0001',
  poolRequestMatchesProducts: 'SMS_LB_0002',
  grabWon: 'SMS_LB_0003',
  grabLost: 'SMS_LB_0004',
  deadlineReminder: 'SMS_LB_0005',
  claimExpired: 'SMS_LB_0006',
  supervisorNudge: 'SMS_LB_0021',
  deadlineExtended: 'SMS_LB_0022',
  claimReleased: 'SMS_LB_0023',
  offerChosen: 'SMS_LB_0007',
  offerNotChosen: 'SMS_LB_0008',
  guaranteeRequested: 'SMS_LB_0009',
  disbursementRecorded: 'SMS_LB_0010',
  pleaseRate: 'SMS_LB_0011',
  requestAccepted: 'SMS_LB_0012',
  requestApproved: 'SMS_LB_0013',
  requestDisbursed: 'SMS_LB_0014',
  requestExpired: 'SMS_LB_0015',
  escalation: 'SMS_LB_0016',
  periodicReport: 'SMS_LB_0017',
  riskWarning: 'SMS_LB_0019',
  poolDigest: 'SMS_LB_0018',
  productMatchesFound: 'SMS_LB_0020',
  pushListReceived: 'SMS_LB_0024',
  verificationCode: 'SMS_LB_0025',
};

/** Status-callback path of the Twilio router; the row id travels in the query (?n=<row id>). */
export const TWILIO_STATUS_PATH = '/notifications/twilio/status';
