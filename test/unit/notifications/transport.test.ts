import { describe, expect, it } from 'vitest';
import { classifyTwilioError } from '../../../notifications/sms/twilio';
import { classifySmtpError } from '../../../notifications/email';
import { classifyHttpStatus } from '../../../notifications/webhooks/deliver';
import { newClaim, parseClaim } from '../../../notifications/claim';
import { messageIdFor, referenceCode } from '../../../notifications/reference';
import { toE164 } from '../../../notifications/sms/provider';
import { createSmsProvider, NotificationConfigError } from '../../../notifications/deps';
import { notificationRetryPolicy, notificationActivityOptions } from '../../../notifications/retry-policy';
import { SEND_LEASE_MS } from '../../../notifications/config';

describe('error classification', () => {
  it('Twilio: permanent codes, retryable HTTP answers, unknown network outcome', () => {
    expect(classifyTwilioError({ status: 400, code: 21211, message: 'invalid' }).kind).toBe('permanent');
    expect(classifyTwilioError({ status: 400, code: 21610, message: 'STOP' }).kind).toBe('permanent');
    expect(classifyTwilioError({ status: 429, code: 20429, message: 'slow down' }).kind).toBe('transient');
    expect(classifyTwilioError({ status: 503, message: 'down' }).kind).toBe('transient');
    expect(classifyTwilioError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind).toBe('transient');
    expect(classifyTwilioError(Object.assign(new Error('timeout'), { code: 'ECONNABORTED' })).kind).toBe('ambiguous');
  });
  it('SMTP: 5xx permanent, 4xx and failed connections transient, lost DATA ambiguous', () => {
    expect(classifySmtpError({ responseCode: 550, message: 'no such user' }).kind).toBe('permanent');
    expect(classifySmtpError({ responseCode: 451, message: 'try later' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'refused' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN', message: 'greeting' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'ETIMEDOUT', message: 'timeout after DATA' }).kind).toBe('ambiguous');
  });
  it('webhooks: 410 and client errors permanent, 408/429/5xx transient', () => {
    expect(classifyHttpStatus(410, 'gone').kind).toBe('permanent');
    expect(classifyHttpStatus(404, 'nf').kind).toBe('permanent');
    expect(classifyHttpStatus(429, 'slow').kind).toBe('transient');
    expect(classifyHttpStatus(502, 'bad gw').kind).toBe('transient');
  });
});

describe('claims and references', () => {
  it('round-trips claim markers and keeps the original start on takeover', () => {
    const t0 = new Date('2026-11-23T02:00:00Z');
    const c = newClaim(t0);
    expect(parseClaim(c.marker)).toEqual(c);
    const later = newClaim(new Date(t0.getTime() + SEND_LEASE_MS + 1), c);
    expect(later.since).toEqual(t0);
    expect(later.token).not.toBe(c.token);
    expect(parseClaim('SM123')).toBeUndefined();
    expect(parseClaim(null)).toBeUndefined();
  });
  it('derives stable references and Message-IDs from row ids', () => {
    expect(referenceCode('a|b')).toBe(referenceCode('a|b'));
    expect(referenceCode('a|b')).toMatch(/^[A-Z2-9]{10}$/);
    expect(referenceCode('a|b')).not.toBe(referenceCode('a|c'));
    expect(messageIdFor('a|b')).toMatch(/^<[0-9a-f]{40}@notify\.loanbridge\.cn>$/);
  });
  it('normalises mainland mobiles to E.164', () => {
    expect(toE164('138 0013 8000')).toBe('+8613800138000');
    expect(toE164('8613800138000')).toBe('+8613800138000');
    expect(toE164('+14155550100')).toBe('+14155550100');
  });
});

describe('configuration', () => {
  it('chooses the SMS provider from the environment, dev inbox by default', () => {
    expect(createSmsProvider({}).name).toBe('devinbox');
    expect(createSmsProvider({ TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' }).name).toBe('twilio');
    expect(
      createSmsProvider({ SMS_PROVIDER: 'alicloud', ALICLOUD_ACCESS_KEY_ID: 'a', ALICLOUD_ACCESS_KEY_SECRET: 'b', ALICLOUD_SMS_SIGN_NAME: '贷桥' }).name,
    ).toBe('alicloud');
    expect(() => createSmsProvider({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'x' })).toThrow(NotificationConfigError);
    expect(() => createSmsProvider({ SMS_PROVIDER: 'carrier-pigeon' })).toThrow(/unknown SMS_PROVIDER/);
  });
  it('exports a retry policy with backoff and unlimited attempts bounded by schedule-to-close', () => {
    expect(notificationRetryPolicy).toMatchObject({ initialInterval: 2000, backoffCoefficient: 2, maximumInterval: 600_000 });
    expect(notificationRetryPolicy.maximumAttempts).toBeUndefined();
    expect(notificationActivityOptions.scheduleToCloseTimeout).toBe(3 * 24 * 3600_000);
    expect(SEND_LEASE_MS).toBeGreaterThan(notificationActivityOptions.startToCloseTimeout as number);
  });
});
