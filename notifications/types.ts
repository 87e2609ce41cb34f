// What the lifecycle asks to be sent. The transport (SMS, e-mail, webhooks) lives in notifications/.

export const RECIPIENT_TYPES = ['enterprise', 'bank', 'guaranteeInstitution', 'supervisor'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const CHANNELS = ['sms', 'email', 'webhook', 'inbox'] as const;
/** Same strings as the NotificationChannel database enum. */
export type Channel = (typeof CHANNELS)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type ParamValue = string | number | boolean | null;

/** One event for one recipient; it expands into one outbox row per channel the recipient uses. */
export interface NotificationRequest {
  templateId: string;
  recipient: { type: RecipientType; id: string };
  params: Record<string, ParamValue>;
  /** Urgent prompts ignore quiet hours (e.g. a deadline expiring today). */
  urgent?: boolean;
  /** Overrides the recipient's preferred locale (default zh-CN). */
  locale?: Locale;
}

export function isLocale(s: unknown): s is Locale {
  return s === 'zh-CN' || s === 'en';
}
