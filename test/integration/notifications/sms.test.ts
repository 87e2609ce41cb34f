// SMS through the real `twilio` library against a Twilio-speaking server validated by Twilio's
// OpenAPI description; retries by a real Temporal worker; rows in a real PostgreSQL.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { ApplicationFailure } from '@temporalio/common';
import { createNotificationActivities } from '../../../activities/notifications';
import type { NotificationDeps } from '../../../notifications/deps';
import { planOutboxRows } from '../../../notifications/outbox';
import { createTwilioProvider } from '../../../notifications/sms/twilio';
import { createTwilioStatusRouter } from '../../../notifications/twilio-status';
import { referenceCode } from '../../../notifications/reference';
import { TWILIO_STATUS_PATH } from '../../../notifications/config';
import type { NotificationRequest } from '../../../notifications/types';
import type { PrismaClient } from '../../../generated/prisma/client';
import { createTestDatabase } from './harness';
import { startFakeTwilio, type FakeTwilio } from '../../../tools/fake-twilio';
import { startTemporal, type TestTemporal } from './temporal';
import { startTcpProxy } from '../../reliability/tcpProxy';
import { eventually } from '../../support/eventually';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let temporal: TestTemporal;
let fake: FakeTwilio;
const FROM = '+15005550006';
const PUBLIC_URL = 'http://127.0.0.1:8080';

function depsFor(extra: Partial<NotificationDeps> = {}): NotificationDeps {
  return {
    prisma,
    mailer: nodemailer.createTransport({ jsonTransport: true }),
    mailerKind: 'devinbox',
    sms: createTwilioProvider({ accountSid: fake.accountSid, authToken: fake.authToken, from: FROM, baseUrl: fake.baseUrl }),
    publicUrl: PUBLIC_URL,
    sendLeaseMs: 1_500,
    ...extra,
  };
}

const prompt = (bankId: string, ref: string, urgent = true): NotificationRequest => ({
  templateId: 'grabWon',
  recipient: { type: 'bank', id: bankId },
  params: { enterpriseName: '嘉兴禾城机械有限公司', deadline: '2026-11-27 17:00', requestRef: ref },
  urgent,
});

/** Plans like the lifecycle, inserts, returns the SMS row id. */
async function smsRow(eventKey: string, req: NotificationRequest, now = new Date()): Promise<string> {
  const rows = planOutboxRows(eventKey, null, [req], now, { recipients: { [`bank:${req.recipient.id}`]: { email: null } } });
  await prisma.notification.createMany({ data: rows, skipDuplicates: true });
  return rows.find((r) => r.channel === 'sms')!.id;
}

beforeAll(async () => {
  [db, temporal, fake] = await Promise.all([createTestDatabase(), startTemporal(), startFakeTwilio()]);
  prisma = db.prisma;
  await prisma.bank.createMany({
    data: [
      { id: 'sfbank', name: 'SF Bank', region: '330400', mobile: '+14155550100' },
      { id: 'wrongno', name: 'Wrong Number Bank', region: '330400', mobile: '+14155550199' },
    ],
  });
  fake.invalidNumbers.add('+14155550199');
});

afterAll(async () => {
  await fake?.close();
  await temporal?.close();
  await db?.drop();
});

describe('SMS via the twilio library', () => {
  it('sends the rendered text with the row reference and a status callback, as the spec expects', async () => {
    const id = await smsRow('ev-sms-1', prompt('sfbank', 'FR-1001'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ status: 'sent' });
    expect(fake.violations).toEqual([]);
    expect(fake.messages).toHaveLength(1);
    const m = fake.messages[0]!;
    expect(m).toMatchObject({ to: '+14155550100', from: FROM });
    expect(m.body).toBe(`【贷桥】您有一项融资需求待办（编号FR-1001），请于2026-11-27 17:00前完成审批。 [${referenceCode(id)}]`);
    expect(m.statusCallback).toBe(`${PUBLIC_URL}${TWILIO_STATUS_PATH}?n=${encodeURIComponent(id)}`);
    expect(await prisma.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', providerMessageId: m.sid, attempts: 1 });
  });

  it('429 and 500 answers are retried with backoff; one SMS in the end', async () => {
    fake.messages.length = 0;
    fake.requests.length = 0;
    fake.failNext(2, 429);
    fake.failNext(1, 500);
    const id = await smsRow('ev-sms-2', prompt('sfbank', 'FR-1002'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ status: 'sent' });
    expect(fake.messages).toHaveLength(1);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([429, 429, 500, 201]);
    const gaps = posts.slice(1).map((r, i) => r.at - posts[i]!.at);
    // TEST_RETRY: 200 ms, doubling: the gaps grow
    expect(gaps[0]).toBeGreaterThanOrEqual(180);
    expect(gaps[1]).toBeGreaterThanOrEqual(380);
    expect(gaps[2]).toBeGreaterThanOrEqual(780);
    const row = await prisma.notification.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
  });

  it('the provider unreachable (connections refused) for a while: retried with backoff until it is back; one SMS', async () => {
    fake.messages.length = 0;
    const target = new URL(fake.baseUrl);
    // The provider's address goes through a proxy that refuses every connection until restored.
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    try {
      proxy.cut();
      const viaProxy = new URL(fake.baseUrl);
      viaProxy.port = String(proxy.port);
      const sms = createTwilioProvider({ accountSid: fake.accountSid, authToken: fake.authToken, from: FROM, baseUrl: viaProxy.toString() });
      const id = await smsRow('ev-sms-outage', prompt('sfbank', 'FR-1010'));
      const delivering = temporal.deliver(createNotificationActivities(depsFor({ sms })), [id]);
      // Down: attempts were made and refused (polled: a loaded machine retries later), nothing sent,
      // and the row is waiting, not given up.
      await eventually(
        async () => proxy.stats().refused,
        (n) => n > 1,
        30_000,
      );
      expect(fake.messages).toHaveLength(0);
      expect((await prisma.notification.findUniqueOrThrow({ where: { id } })).status).not.toBe('failed');
      proxy.restore();
      const [res] = await delivering;
      expect(res).toMatchObject({ status: 'sent' });
      expect(fake.messages).toHaveLength(1);
      expect(fake.messages[0]!.body).toContain('FR-1010');
      const row = await prisma.notification.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'sent', providerMessageId: fake.messages[0]!.sid });
      expect(row.attempts).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it('an invalid number (21211) fails once, permanently: no retry storm', async () => {
    fake.requests.length = 0;
    const id = await smsRow('ev-sms-3', prompt('wrongno', 'FR-1003'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ errorType: 'NotificationRejected' });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const row = await prisma.notification.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, providerMessageId: null });
    expect(row.lastError).toMatch(/^permanent 21211/);
  });

  it('worker killed between the Twilio call and the status write: the retry finds the message, no duplicate', async () => {
    fake.messages.length = 0;
    const id = await smsRow('ev-sms-4', prompt('sfbank', 'FR-1004'));
    const real = depsFor().sms;
    let calls = 0;
    const dying = {
      ...real,
      async send(input: Parameters<typeof real.send>[0]) {
        const r = await real.send(input);
        if (++calls === 1) {
          // past start-to-close: Temporal has given up on this attempt, as on a dead worker
          await new Promise((res) => setTimeout(res, 3_000));
          throw new Error('worker died');
        }
        return r;
      },
    };
    const [res] = await temporal.deliver(createNotificationActivities(depsFor({ sms: dying })), [id], { startToCloseMs: 1_000 });
    expect(res).toMatchObject({ status: 'sent', reconciled: true });
    expect(calls).toBe(1);
    expect(fake.messages).toHaveLength(1);
    expect(await prisma.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', providerMessageId: fake.messages[0]!.sid });
    expect(fake.violations).toEqual([]);
  });

  it('holds a quiet-hours SMS: not due → retry at 08:00 Shanghai, then sent', async () => {
    fake.messages.length = 0;
    const night = new Date('2026-11-23T15:30:00Z'); // 23:30 in Shanghai
    const id = await smsRow('ev-sms-5', prompt('sfbank', 'FR-1005', false), night);
    const row = await prisma.notification.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'held', notBefore: new Date('2026-11-24T00:00:00Z') });
    const atNight = createNotificationActivities(depsFor({ now: () => night }));
    const err = await atNight.deliverNotification(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'NotificationNotDue', nonRetryable: false, nextRetryDelay: 8.5 * 3600_000 });
    expect(fake.messages).toHaveLength(0);
    const morning = createNotificationActivities(depsFor({ now: () => new Date('2026-11-24T00:00:01Z') }));
    expect(await morning.deliverNotification(id)).toMatchObject({ status: 'sent' });
    expect(fake.messages).toHaveLength(1);
  });
});

describe('Twilio status callbacks', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    // The public URL Twilio signs is the one it calls; in the test that is the local server itself.
    server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app.use(createTwilioStatusRouter({ prisma, authToken: fake.authToken, publicUrl: base }));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  async function callback(rowId: string, params: Record<string, string>, token = fake.authToken) {
    const url = `${base}${TWILIO_STATUS_PATH}?n=${encodeURIComponent(rowId)}`;
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params),
    });
  }

  it('accepts signed callbacks and records delivery; rejects forged ones', async () => {
    const id = await smsRow('ev-cb-1', prompt('sfbank', 'FR-2001'));
    await createNotificationActivities(depsFor()).deliverNotification(id);
    const { providerMessageId } = await prisma.notification.findUniqueOrThrow({ where: { id } });
    const forged = await callback(id, { MessageSid: providerMessageId!, MessageStatus: 'failed', AccountSid: fake.accountSid }, 'wrong-token');
    expect(forged.status).toBe(403);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id } })).status).toBe('sent');
    const ok = await callback(id, { MessageSid: providerMessageId!, MessageStatus: 'delivered', AccountSid: fake.accountSid });
    expect(ok.status).toBe(204);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id } })).status).toBe('delivered');
    // a callback for another message cannot move the row
    const other = await callback(id, { MessageSid: 'SM00000000000000000000000000000000', MessageStatus: 'undelivered', AccountSid: fake.accountSid });
    expect(other.status).toBe(204);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id } })).status).toBe('delivered');
  });

  it('records undelivered messages as failed with the error code', async () => {
    const id = await smsRow('ev-cb-2', prompt('sfbank', 'FR-2002'));
    await createNotificationActivities(depsFor()).deliverNotification(id);
    const { providerMessageId } = await prisma.notification.findUniqueOrThrow({ where: { id } });
    await callback(id, { MessageSid: providerMessageId!, MessageStatus: 'undelivered', ErrorCode: '30003', AccountSid: fake.accountSid });
    expect(await prisma.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', lastError: 'twilio undelivered 30003' });
  });
});

describe('status callback settles a row whose sender died after Twilio created the message', () => {
  it('moves a claimed row to delivered with the callback’s message sid', async () => {
    const app = express();
    const server: Server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app.use(createTwilioStatusRouter({ prisma, authToken: fake.authToken, publicUrl: base }));
    const id = await smsRow('ev-cb-3', prompt('sfbank', 'FR-2003'));
    await prisma.notification.update({ where: { id }, data: { providerMessageId: `claim:t:${Date.now()}:${Date.now()}` } });
    const url = `${base}${TWILIO_STATUS_PATH}?n=${encodeURIComponent(id)}`;
    const params = { MessageSid: 'SM' + 'a'.repeat(32), MessageStatus: 'delivered', AccountSid: fake.accountSid };
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(fake.authToken, url, params) },
      body: new URLSearchParams(params),
    });
    expect(r.status).toBe(204);
    expect(await prisma.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'delivered', providerMessageId: params.MessageSid });
    // the next attempt of the activity finds the row final and sends nothing
    const before = fake.messages.length;
    expect(await createNotificationActivities(depsFor()).deliverNotification(id)).toMatchObject({ alreadyDone: true });
    expect(fake.messages.length).toBe(before);
    await new Promise((res) => server.close(res));
  });
});
