// The SMS provider interface: fed with template id + parameters (Chinese providers send only
// pre-approved templates by code; Twilio sends the rendered text), plus a reference code derived
// from the outbox row so that a message already created for the row can be found after a crash.
import type { Locale, ParamValue } from '../types';

export interface SmsSendInput {
  /** E.164 number, e.g. +8613800138000. */
  to: string;
  templateId: string;
  params: Record<string, ParamValue>;
  locale: Locale;
  /** Deterministic per outbox row (referenceCode(rowId)); providers store it with the message. */
  reference: string;
  /** Rendered text, for providers that send free text. */
  text: string;
  /** Where the provider should report delivery status, if it supports callbacks. */
  statusCallbackUrl?: string;
}

export interface SmsSendResult {
  providerMessageId: string;
  /** 'delivered' when the provider is final on acceptance (dev inbox), else 'sent'. */
  status?: 'sent' | 'delivered';
}

export interface SmsProvider {
  readonly name: string;
  /** Throws DeliveryError (permanent / transient / ambiguous) on failure. */
  send(input: SmsSendInput): Promise<SmsSendResult>;
  /**
   * A message already created for this reference to this number since `since`, if any. Used
   * before re-sending a row whose earlier attempt died mid-send. Providers that cannot look up
   * return undefined (and the re-send may duplicate).
   */
  findByReference?(q: { to: string; reference: string; since: Date }): Promise<SmsSendResult | undefined>;
}

/** Normalises a mainland mobile number to E.164 (+86…); other numbers must already be E.164. */
export function toE164(mobile: string): string {
  const digits = mobile.replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^861[3-9]\d{9}$/.test(digits)) return `+${digits}`;
  return digits;
}
