// Quiet hours on the time-skipping server: the platform window comes from configuration, the
// activities read the test server's clock, so the night, the hold and the 08:00 delivery happen
// on a clock the test sets, whatever the wall clock says.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createNotificationActivities } from '../../../activities/notifications';
import { quietHoursFromEnv } from '../../../notifications/deps';
import { planOutboxRows } from '../../../notifications/outbox';
import { referenceCode } from '../../../notifications/reference';
import { createTwilioProvider } from '../../../notifications/sms/twilio';
import type { NotificationRequest } from '../../../notifications/types';
import type { PrismaClient } from '../../../generated/prisma/client';
import { startFakeTwilio, type FakeTwilio } from '../../../tools/fake-twilio';
import { timeSkippingTemporal } from '../../support/temporal';
import { createTestDatabase } from './harness';
import { TEST_RETRY } from './temporal';
import type { DeliverResult } from './workflows';

const HOUR = 3600_000;
const SHANGHAI = 8 * HOUR;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let env: TestWorkflowEnvironment;
let fake: FakeTwilio;

beforeAll(async () => {
  [db, env, fake] = await Promise.all([createTestDatabase(), timeSkippingTemporal(), startFakeTwilio()]);
  prisma = db.prisma;
  await prisma.bank.create({ data: { id: 'nightbank', name: 'Night Bank', region: '330400', mobile: '+14155550100' } });
});

afterAll(async () => {
  await env?.teardown();
  await fake?.close();
  await db?.drop();
});

/** The first instant after `t` at Shanghai local hh:mm. */
function nextShanghai(t: number, hour: number, minute: number): number {
  const localMidnight = Math.floor((t + SHANGHAI) / (24 * HOUR)) * 24 * HOUR - SHANGHAI;
  let at = localMidnight + hour * HOUR + minute * 60_000;
  while (at <= t) at += 24 * HOUR;
  return at;
}

const prompt = (ref: string, urgent: boolean): NotificationRequest => ({
  templateId: 'grabWon',
  recipient: { type: 'bank', id: 'nightbank' },
  params: { enterpriseName: '嘉兴禾城机械有限公司', deadline: '2026-11-27 17:00', requestRef: ref },
  urgent,
});

describe('quiet hours on the time-skipping server', () => {
  it('holds a non-urgent SMS planned at 23:30 Shanghai until 08:00 and sends it then; an urgent one goes at once', async () => {
    // Move the server's clock to the next 23:30 in Shanghai: the test picks the night, not the wall clock.
    const start = await env.currentTimeMs();
    const night = nextShanghai(start, 23, 30);
    await env.sleep(night - start);
    const now = new Date(await env.currentTimeMs());
    expect(now.getTime()).toBeGreaterThanOrEqual(night);

    // The platform window as configured when NOTIFY_QUIET_HOURS is unset (22–08), set explicitly here.
    const quietHours = quietHoursFromEnv({});
    expect(quietHours).toEqual({ startHour: 22, endHour: 8 });
    const ctx = { recipients: { 'bank:nightbank': { email: null } }, quietHours };
    const held = planOutboxRows(`qh-${randomUUID()}`, null, [prompt('FR-Q1', false)], now, ctx).find((r) => r.channel === 'sms')!;
    const urgent = planOutboxRows(`qh-${randomUUID()}`, null, [prompt('FR-Q2', true)], now, ctx).find((r) => r.channel === 'sms')!;
    const morning = nextShanghai(now.getTime(), 8, 0);
    expect(held).toMatchObject({ status: 'held', notBefore: new Date(morning) });
    // 08:00 in Shanghai is 00:00 UTC: the offset is applied once, in the right direction.
    expect(new Date(morning).getUTCHours()).toBe(0);
    expect(urgent).toMatchObject({ status: 'pending', notBefore: now });
    await prisma.notification.createMany({ data: [held, urgent] });

    // The activities read the server's (skipped) clock; each SMS records when it left.
    let skew = 0;
    const clock = () => new Date(Date.now() + skew);
    const sentAt = new Map<string, number>();
    const sms = createTwilioProvider({ accountSid: fake.accountSid, authToken: fake.authToken, from: '+15005550006', baseUrl: fake.baseUrl });
    const real = createNotificationActivities({
      prisma,
      mailer: nodemailer.createTransport({ jsonTransport: true }),
      mailerKind: 'devinbox',
      sms: {
        ...sms,
        async send(input) {
          sentAt.set(input.reference, clock().getTime());
          return sms.send(input);
        },
      },
      now: clock,
    });
    const activities = {
      ...real,
      async deliverNotification(id: string) {
        skew = (await env.currentTimeMs()) - Date.now();
        return real.deliverNotification(id);
      },
    };
    const taskQueue = `qh-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: path.join(__dirname, 'workflows.ts'),
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
      }),
      activities,
    });
    const results = (await worker.runUntil(
      env.client.workflow.execute('deliverNotificationsWorkflow', {
        taskQueue,
        workflowId: `qh-${randomUUID()}`,
        args: [[held.id, urgent.id], { retry: TEST_RETRY, startToCloseMs: 10_000 }],
      }),
    )) as DeliverResult[];

    expect(results.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(fake.messages).toHaveLength(2);
    const at = (id: string) => sentAt.get(referenceCode(id))!;
    // The urgent SMS left at night; the held one at 08:00, not before and not hours later.
    expect(at(urgent.id)).toBeLessThan(morning);
    expect(at(held.id)).toBeGreaterThanOrEqual(morning);
    expect(at(held.id) - morning).toBeLessThan(5 * 60_000);
  });
});
