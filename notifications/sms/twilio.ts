// Twilio SMS provider, through the official `twilio` library. Note Twilio's messaging policy
// forbids loan-related SMS to PRC (+86) numbers: use the Alibaba Cloud provider for mainland
// recipients; Twilio serves non-PRC numbers and local development against a Twilio-speaking server.
// The row's reference code is appended to the body: it is how a retry after a crash finds the
// message an earlier attempt already created (list messages to that number, match the code).
import twilio from 'twilio';
import { SMS_TIMEOUT_MS } from '../config';
import { DeliveryError, networkErrorKind } from '../errors';
import type { SmsProvider, SmsSendInput, SmsSendResult } from './provider';

export interface TwilioProviderOptions {
  accountSid: string;
  authToken: string;
  /** Sender number, or use messagingServiceSid. */
  from?: string;
  messagingServiceSid?: string;
  /**
   * Replaces https://api.twilio.com (and other *.twilio.com hosts) for local servers and tests,
   * e.g. http://127.0.0.1:4010. Implemented with the library's `httpClient` option.
   */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Error codes that retrying cannot fix (https://www.twilio.com/docs/api/errors). */
const PERMANENT_CODES = new Set([
  21211, // invalid 'To' number
  21214, // 'To' number cannot be reached
  21408, // permission to send to this region not enabled
  21610, // recipient replied STOP
  21612, // cannot route to this number
  21614, // 'To' is not a mobile number
  21617, // body too long
  30006, // landline or unreachable carrier
]);

/** RequestClient that sends every *.twilio.com request to `baseUrl` instead. */
function baseUrlClient(baseUrl: string, timeout: number): twilio.RequestClient {
  const base = baseUrl.replace(/\/+$/, '');
  class BaseUrlRequestClient extends twilio.RequestClient {
    override request<T>(opts: Parameters<twilio.RequestClient['request']>[0]) {
      const u = new URL(opts.uri);
      return super.request<T>({ ...opts, uri: base + u.pathname + u.search } as Parameters<twilio.RequestClient['request']>[0] as never);
    }
  }
  return new BaseUrlRequestClient({ timeout });
}

export function classifyTwilioError(err: unknown): DeliveryError {
  const e = err as { status?: number; code?: number; message?: string; moreInfo?: string };
  const message = e?.message ?? String(err);
  if (typeof e?.status === 'number') {
    const code = e.code !== undefined ? String(e.code) : `http_${e.status}`;
    if (e.code !== undefined && PERMANENT_CODES.has(e.code)) return new DeliveryError('permanent', message, code);
    // An HTTP answer means Twilio did not create the message: safe to retry without reconciling.
    if (e.status === 429 || e.status >= 500) return new DeliveryError('transient', message, code);
    // 401/403: credentials or account problem; retrying (with backoff) lets ops fix it without losing prompts.
    if (e.status === 401 || e.status === 403) return new DeliveryError('transient', message, code);
    return new DeliveryError('permanent', message, code);
  }
  return new DeliveryError(networkErrorKind(err), message, (err as { code?: string })?.code);
}

export function createTwilioProvider(opts: TwilioProviderOptions): SmsProvider {
  const timeout = opts.timeoutMs ?? SMS_TIMEOUT_MS;
  const client = twilio(opts.accountSid, opts.authToken, {
    httpClient: opts.baseUrl ? baseUrlClient(opts.baseUrl, timeout) : undefined,
    timeout,
    // Retries belong to Temporal (durable, with backoff); the library must not retry on its own.
    autoRetry: false,
  });
  const marker = (reference: string) => ` [${reference}]`;
  return {
    name: 'twilio',
    async send(input: SmsSendInput): Promise<SmsSendResult> {
      try {
        const msg = await client.messages.create({
          to: input.to,
          ...(opts.messagingServiceSid ? { messagingServiceSid: opts.messagingServiceSid } : { from: opts.from as string }),
          body: input.text + marker(input.reference),
          ...(input.statusCallbackUrl ? { statusCallback: input.statusCallbackUrl } : {}),
        });
        return { providerMessageId: msg.sid, status: 'sent' };
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
    async findByReference({ to, reference, since }) {
      try {
        // Newest first. No DateSent filter: a message still queued has no date_sent yet.
        const recent = await client.messages.list({ to, ...(opts.from ? { from: opts.from } : {}), limit: 50 });
        const hit = recent.find((m) => (m.body ?? '').endsWith(marker(reference)) && m.dateCreated.getTime() >= since.getTime() - 5 * 60_000);
        return hit ? { providerMessageId: hit.sid, status: 'sent' } : undefined;
      } catch (err) {
        // Cannot reconcile now: never send blind, retry the whole attempt later.
        const d = classifyTwilioError(err);
        throw new DeliveryError(d.kind === 'permanent' ? 'transient' : d.kind, `twilio lookup failed: ${d.message}`, d.code);
      }
    },
  };
}
