// The SQL-backed preference and webhook stores against the proposed tables
// (created by the committed migrations in a scratch database).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlPreferenceStore, SqlWebhookDeliveryLog, SqlWebhookEndpointStore } from '../../../notifications/sql-stores';
import { loadPlanningContext } from '../../../notifications/planning-context';
import { planOutboxRows } from '../../../notifications/outbox';
import { deliverWebhook, listWebhookDeliveries, replayWebhookDelivery, type WebhookService } from '../../../notifications/webhooks/deliver';
import { verifyWebhookSignature } from '../../../notifications/webhooks/signature';
import type { NotificationRequest } from '../../../notifications/types';
import type { PrismaClient } from '../../../generated/prisma/client';
import { createTestDatabase } from './harness';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.prisma;
  await prisma.bank.create({ data: { id: 'b1', name: '禾城农商银行', region: '330400', email: 'ops@hc.cn', mobile: '13800138000' } });
});
afterAll(async () => {
  await db?.drop();
});

describe('SQL stores', () => {
  it('stores preferences and feeds them to the planner', async () => {
    const prefs = new SqlPreferenceStore(prisma);
    expect(await prefs.get('bank', 'b1')).toBeUndefined();
    await prefs.set('bank', 'b1', { channels: { email: false }, poolBatchWindowMinutes: 60, locale: 'en' });
    await prefs.set('bank', 'b1', { channels: { email: false }, poolBatchWindowMinutes: 30, locale: 'en' });
    expect(await prefs.get('bank', 'b1')).toEqual({ channels: { email: false }, poolBatchWindowMinutes: 30, locale: 'en' });
    await expect(prefs.set('bank', 'b1', { poolBatchWindowMinutes: 10_000 })).rejects.toThrow();
    const req: NotificationRequest = { templateId: 'poolRequestMatchesProducts', recipient: { type: 'bank', id: 'b1' }, params: {} };
    const ctx = await prisma.$transaction((tx) => loadPlanningContext(tx, [req], { preferences: prefs }));
    const rows = planOutboxRows('ev', null, [req], new Date('2026-11-23T02:07:00Z'), ctx);
    expect(rows.map((r) => [r.channel, r.status, r.locale])).toEqual([
      ['sms', 'held', 'en'],
      ['inbox', 'pending', 'en'],
    ]);
  });

  it('registers endpoints (one active, secret rotated), logs deliveries and replays them', async () => {
    const received: { id: string; ok: boolean }[] = [];
    let secret = '';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          id: req.headers['x-loanbridge-delivery'] as string,
          ok: verifyWebhookSignature({ header: req.headers['x-loanbridge-signature'] as string, body, secret }).ok,
        });
        res.writeHead(received.length === 1 ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const service: WebhookService = { endpoints: new SqlWebhookEndpointStore(prisma), log: new SqlWebhookDeliveryLog(prisma), policy: { allowLoopback: true } };
    const first = await service.endpoints.register('bank', 'b1', url);
    const second = await service.endpoints.register('bank', 'b1', url);
    secret = second.secret;
    expect(first.secret).not.toBe(second.secret);
    expect((await service.endpoints.find('bank', 'b1'))?.id).toBe(second.id);
    const payload = {
      id: 'row-1',
      event: 'grabWon',
      createdAt: new Date().toISOString(),
      financingRequestId: null,
      recipient: { type: 'bank' as const, id: 'b1' },
      locale: 'zh-CN',
      title: 't',
      text: 'x',
      data: {},
    };
    await expect(deliverWebhook(service, payload)).rejects.toMatchObject({ kind: 'transient', code: 'http_500' });
    await deliverWebhook(service, payload);
    const log = await listWebhookDeliveries(service, { type: 'bank', id: 'b1' });
    expect(log.map((l) => [l.statusCode, l.ok])).toEqual([
      [204, true],
      [500, false],
    ]);
    await replayWebhookDelivery(service, log[1]!.id, { type: 'bank', id: 'b1' });
    expect(received).toEqual([
      { id: 'row-1', ok: true },
      { id: 'row-1', ok: true },
      { id: 'row-1', ok: true },
    ]);
    expect((await listWebhookDeliveries(service, { type: 'bank', id: 'b1' }, { notificationId: 'row-1' }))[0]).toMatchObject({ replayOf: log[1]!.id });
    server.close();
  });
});
