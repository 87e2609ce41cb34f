// HMAC-SHA256 signatures of webhook bodies: `X-Loanbridge-Signature: t=<unix seconds>,v1=<hex>`,
// where v1 = HMAC_SHA256(secret, `${t}.${rawBody}`). The timestamp is signed with the body, so a
// receiver that rejects old timestamps (verifyWebhookSignature does, 5 minutes by default) is safe
// from replays of captured requests; several v1 entries allow secret rotation.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_SIGNATURE_TOLERANCE_SECONDS } from '../config';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

export function signWebhook(body: string, secret: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type WebhookVerification = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'timestamp_out_of_tolerance' | 'signature_mismatch' };

/** For receivers (and our tests): checks the signature header against the raw body. */
export function verifyWebhookSignature(opts: {
  header: string | undefined | null;
  body: string | Buffer;
  secret: string;
  now?: Date;
  toleranceSeconds?: number;
}): WebhookVerification {
  const parts = (opts.header ?? '').split(',').map((p) => p.trim().split('=') as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const sigs = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v as string);
  if (!Number.isInteger(t) || sigs.length === 0) return { ok: false, reason: 'malformed' };
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const expected = Buffer.from(hmac(opts.secret, t, typeof opts.body === 'string' ? opts.body : opts.body.toString('utf8')), 'hex');
  const match = sigs.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  return match ? { ok: true, timestamp: t } : { ok: false, reason: 'signature_mismatch' };
}
