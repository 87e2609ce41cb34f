// The one event-and-outbox writer: a first attempt writes the timeline entry and rows with their
// template parameters; a retry writes nothing and answers the same rows; without a timeline entry
// the rows themselves mark the event. Real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../../notifications/eventOutbox';
import { openDatabase, type Database } from '../../../prisma/database';
import { DEMO_ENTERPRISE_ID, seedDemoData } from '../../../prisma/seed';
import type { NotificationRequest } from '../../../notifications/types';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

let database: TestDatabase;
let db: Database;
const requestId = '00000000-0000-4000-b000-0000000000e1';
beforeAll(async () => {
  database = await createTestDatabase('lb_event');
  db = await openDatabase({ databaseUrl: database.url, migrate: true });
  await seedDemoData(db.prisma);
  await db.prisma.financingRequest.create({
    data: {
      id: requestId,
      enterpriseId: DEMO_ENTERPRISE_ID,
      idempotencyKey: 'event-1',
      amountFen: 150_000_000n,
      termMonths: 12,
      purpose: 'working capital',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: ['hecheng-rcb'],
      fallbackToPool: false,
      dataConsent: false,
      policyVersion: 'v1',
      workflowId: `financingRequest-${requestId}`,
    },
  });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const toBank = (bankId: string, params: NotificationRequest['params'] = {}): NotificationRequest => ({
  templateId: 'claimOffered',
  recipient: { type: 'bank', id: bankId },
  params,
});

describe('recordEvent', () => {
  it('writes the entry and rows with template parameters once; a retry answers the same rows and plans nothing', async () => {
    const timeline = { financingRequestId: requestId, event: 'published', actor: 'system', at: '2026-11-24T02:00:00Z' };
    const e = { eventKey: `${requestId}:t1`, financingRequestId: requestId, timeline, notify: [toBank('hecheng-rcb')], now: new Date() };
    const first = await db.prisma.$transaction((tx) => recordEvent(tx, e, undefined));
    expect(first.inserted).toBe(true);
    expect(first.notificationIds.length).toBeGreaterThan(0);
    const rows = await db.prisma.notification.findMany({ where: { id: { in: first.notificationIds } } });
    const bank = await db.prisma.bank.findUniqueOrThrow({ where: { id: 'hecheng-rcb' } });
    for (const r of rows) expect(r.params).toMatchObject({ bankName: bank.name, amountWan: '150', requestRef: requestId.slice(0, 8).toUpperCase() });

    const retry = await db.prisma.$transaction((tx) => recordEvent(tx, { ...e, notify: [toBank('hecheng-rcb'), toBank('jiaxing-bank')] }, undefined));
    expect(retry).toEqual({ inserted: false, notificationIds: [...first.notificationIds].sort() });
    expect(await db.prisma.stageEvent.count({ where: { eventKey: e.eventKey } })).toBe(1);
    expect(await db.prisma.notification.count({ where: { id: { startsWith: `${e.eventKey}|` } } })).toBe(rows.length);
  });

  it('without a timeline entry, rows already written for the key make it a retry', async () => {
    const e = {
      eventKey: `pushList:test:${requestId}`,
      financingRequestId: null,
      notify: [toBank('jiaxing-bank', { listName: 'x', count: 1 })],
      now: new Date(),
    };
    const first = await db.prisma.$transaction((tx) => recordEvent(tx, e, undefined));
    const again = await db.prisma.$transaction((tx) => recordEvent(tx, e, undefined));
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ inserted: false, notificationIds: [...first.notificationIds].sort() });
  });

  it('rolls back with the caller: a failed state change leaves neither entry nor rows', async () => {
    const timeline = { financingRequestId: requestId, event: 'published', actor: 'system', at: '2026-11-24T02:00:00Z' };
    const e = { eventKey: `${requestId}:t2`, financingRequestId: requestId, timeline, notify: [toBank('hecheng-rcb')], now: new Date() };
    await expect(
      db.prisma.$transaction(async (tx) => {
        await recordEvent(tx, e, undefined);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await db.prisma.stageEvent.count({ where: { eventKey: e.eventKey } })).toBe(0);
    expect(await db.prisma.notification.count({ where: { id: { startsWith: `${e.eventKey}|` } } })).toBe(0);
  });
});
