// Webhooks to banks' own systems: a real HTTP receiver in the test verifies the HMAC signature and
// de-duplicates on the delivery id; rows in PostgreSQL, retries by a real Temporal worker.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createNotificationActivities } from '../../../activities/notifications';
import type { NotificationDeps } from '../../../notifications/deps';
import { planOutboxRows } from '../../../notifications/outbox';
import { loadPlanningContext } from '../../../notifications/planning-context';
import { createDevInboxSmsProvider } from '../../../notifications/sms/devinbox';
import { InMemoryWebhookDeliveryLog, InMemoryWebhookEndpointStore, WebhookUrlError } from '../../../notifications/webhooks/store';
import { checkWebhookUrl, WebhookUrlRefused } from '../../../notifications/webhooks/ssrf';
import { listWebhookDeliveries, replayWebhookDelivery, type WebhookPayload, type WebhookService } from '../../../notifications/webhooks/deliver';
import { signWebhook, verifyWebhookSignature } from '../../../notifications/webhooks/signature';
import type { NotificationRequest } from '../../../notifications/types';
import type { PrismaClient } from '../../../generated/prisma/client';
import { createTestDatabase } from './harness';
import { startTemporal, type TestTemporal } from './temporal';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let temporal: TestTemporal;
let webhooks: WebhookService;
let receiver: http.Server;
let receiverUrl: string;
let secret: string;

/** What the bank's system did with each request. */
const received: { deliveryId: string; verified: boolean; reason?: string; payload: WebhookPayload; status: number }[] = [];
const processed = new Set<string>();
let failNext = 0;

function depsFor(extra: Partial<NotificationDeps> = {}): NotificationDeps {
  return {
    prisma,
    mailer: nodemailer.createTransport({ jsonTransport: true }),
    mailerKind: 'devinbox',
    sms: createDevInboxSmsProvider(),
    webhooks,
    sendLeaseMs: 1_500,
    ...extra,
  };
}

const grab = (ref: string): NotificationRequest => ({
  templateId: 'grabWon',
  recipient: { type: 'bank', id: 'hooked' },
  params: { enterpriseName: '甲公司', deadline: '2026-11-27 17:00', requestRef: ref },
});

async function webhookRow(eventKey: string, req: NotificationRequest): Promise<string> {
  const ctx = await loadPlanningContext(prisma, [req], { webhooks: webhooks.endpoints });
  const rows = planOutboxRows(eventKey, null, [req], new Date(), ctx);
  await prisma.notification.createMany({ data: rows, skipDuplicates: true });
  const w = rows.find((r) => r.channel === 'webhook');
  if (!w) throw new Error('no webhook row planned');
  return w.id;
}

beforeAll(async () => {
  [db, temporal] = await Promise.all([createTestDatabase(), startTemporal()]);
  prisma = db.prisma;
  await prisma.bank.create({ data: { id: 'hooked', name: '接口银行', region: '330400', email: null, mobile: null } });
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const v = verifyWebhookSignature({ header: req.headers['x-loanbridge-signature'] as string, body, secret });
      const deliveryId = req.headers['x-loanbridge-delivery'] as string;
      let status = 200;
      if (!v.ok) status = 401;
      else if (failNext > 0) {
        failNext--;
        status = 503;
      } else processed.add(deliveryId); // idempotent receiver: a repeated delivery id is a no-op
      received.push({ deliveryId, verified: v.ok, reason: v.ok ? undefined : v.reason, payload: JSON.parse(body) as WebhookPayload, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/loanbridge/events`;
  // The receiver is local: the development flag admits loopback targets.
  webhooks = { endpoints: new InMemoryWebhookEndpointStore(), log: new InMemoryWebhookDeliveryLog(), policy: { allowLoopback: true } };
  secret = (await webhooks.endpoints.register('bank', 'hooked', receiverUrl)).secret;
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await temporal?.close();
  await db?.drop();
});

describe('webhooks', () => {
  it('plans a webhook row only for recipients with an endpoint, and requires https for non-local URLs', async () => {
    const ctx = await loadPlanningContext(prisma, [grab('X')], { webhooks: webhooks.endpoints });
    expect(ctx.recipients?.['bank:hooked']).toMatchObject({ webhook: true, email: null, mobile: null });
    expect(planOutboxRows('e', null, [grab('X')], new Date(), ctx).map((r) => r.channel)).toEqual(['webhook', 'inbox']);
    await expect(webhooks.endpoints.register('bank', 'other', 'ftp://bank.example.com/hook')).rejects.toBeInstanceOf(WebhookUrlError);
    await expect(checkWebhookUrl('http://bank.example.com/hook', webhooks.policy)).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('POSTs the event as signed JSON; the receiver verifies the signature', async () => {
    const id = await webhookRow('ev-wh-1', grab('FR-3001'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ status: 'delivered' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ deliveryId: id, verified: true, status: 200 });
    expect(received[0]!.payload).toMatchObject({
      id,
      event: 'grabWon',
      recipient: { type: 'bank', id: 'hooked' },
      locale: 'zh-CN',
      title: '抢单成功：甲公司',
      data: { requestRef: 'FR-3001' },
    });
    expect(received[0]!.payload.text).toContain('贵机构已获得甲公司融资需求（编号FR-3001）的对接资格');
  });

  it('retries a failing receiver with backoff from the outbox, and logs every attempt', async () => {
    received.length = 0;
    failNext = 2;
    const id = await webhookRow('ev-wh-2', grab('FR-3002'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ status: 'delivered' });
    expect(received.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(received.map((r) => r.deliveryId))).toEqual(new Set([id]));
    const log = await listWebhookDeliveries(webhooks, { type: 'bank', id: 'hooked' }, { notificationId: id });
    expect(log.map((l) => l.statusCode).sort()).toEqual([200, 503, 503]);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id } })).attempts).toBe(3);
  });

  it('lets the bank replay a logged delivery: same delivery id, fresh signature; the receiver de-duplicates', async () => {
    received.length = 0;
    const [last] = await listWebhookDeliveries(webhooks, { type: 'bank', id: 'hooked' }, { limit: 1 });
    const replay = await replayWebhookDelivery(webhooks, last!.id, { type: 'bank', id: 'hooked' });
    expect(replay).toMatchObject({ ok: true, replayOf: last!.id, notificationId: last!.notificationId });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ verified: true, deliveryId: last!.notificationId });
    expect(processed.size).toBe(2); // two events processed in total, the replay was recognised
    await expect(replayWebhookDelivery(webhooks, last!.id, { type: 'bank', id: 'someone-else' })).rejects.toThrow(/not found/);
  });

  it('rejects stale or tampered signatures (replay-safe)', () => {
    const body = JSON.stringify({ hello: 'world' });
    const now = new Date('2026-11-23T02:00:00Z');
    const header = signWebhook(body, secret, now);
    expect(verifyWebhookSignature({ header, body, secret, now })).toMatchObject({ ok: true });
    expect(verifyWebhookSignature({ header, body, secret, now: new Date(now.getTime() + 301_000) })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifyWebhookSignature({ header, body: body + ' ', secret, now })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyWebhookSignature({ header: 'nonsense', body, secret, now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWebhookSignature({ header: `${header},v1=${'0'.repeat(64)}`, body, secret, now })).toMatchObject({ ok: true });
  });

  it('a receiver answering 410 Gone fails the row permanently; the log keeps it for replay', async () => {
    received.length = 0;
    const gone = http.createServer((_req, res) => res.writeHead(410).end());
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const ep = await webhooks.endpoints.register('bank', 'hooked', `http://127.0.0.1:${(gone.address() as AddressInfo).port}/`);
    const id = await webhookRow('ev-wh-3', grab('FR-3003'));
    const [res] = await temporal.deliver(createNotificationActivities(depsFor()), [id]);
    expect(res).toMatchObject({ errorType: 'NotificationRejected' });
    expect(await prisma.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', attempts: 1 });
    gone.close();
    await webhooks.endpoints.deactivate(ep.id);
    secret = (await webhooks.endpoints.register('bank', 'hooked', receiverUrl)).secret;
    const [entry] = await listWebhookDeliveries(webhooks, { type: 'bank', id: 'hooked' }, { notificationId: id });
    expect(entry).toMatchObject({ statusCode: 410, ok: false });
    const replay = await replayWebhookDelivery(webhooks, entry!.id, { type: 'bank', id: 'hooked' });
    expect(replay.ok).toBe(true);
    expect(received.map((r) => [r.deliveryId, r.verified])).toEqual([[id, true]]);
  });
});
