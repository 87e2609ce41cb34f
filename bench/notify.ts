// Notification delivery benchmark: N outbox rows (default 1000, half SMS, half e-mail) planned the
// way the lifecycle plans them, delivered through the real deliverNotification activity with a
// concurrency (default 20) to a local SMTP server and a local Twilio-speaking server, over a real
// PostgreSQL. Prints one `name: value unit` per line, the headline (throughput) last.
//
//   npx tsx bench/notify.ts [--rows 1000] [--concurrency 20]
//   DATABASE_URL=postgresql://…  use that database (else a scratch database on an embedded server, dropped after)
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createNotificationActivities } from '../activities/notifications';
import { createNotificationDeps } from '../notifications/deps';
import { planOutboxRows, type OutboxRow } from '../notifications/outbox';
import { createScratchDatabase } from '../tools/scratch-db';
import { stopScratchPostgres } from '../scripts/scratchPostgres';
import { createSmtp } from '../tools/smtp-sink';
import { startFakeTwilio } from '../tools/fake-twilio';
import { openDatabase } from '../prisma/database';
import type { NotificationRequest } from '../notifications/types';
import type { PrismaClient } from '../generated/prisma/client';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '20' }, banks: { type: 'string', default: '50' } },
});
const ROWS = Number(values.rows);
const CONCURRENCY = Number(values.concurrency);
const BANKS = Number(values.banks);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main() {
  const started = performance.now();
  let prisma: PrismaClient;
  let cleanup: () => Promise<void>;
  const runId = Date.now().toString(36);
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, migrate: true, poolSize: CONCURRENCY + 5 });
    prisma = db.prisma;
    cleanup = async () => {
      await prisma.notification.deleteMany({ where: { id: { startsWith: `bench-${runId}` } } });
      await db.close();
    };
  } else {
    const db = await createScratchDatabase('nt_bench', CONCURRENCY + 5);
    prisma = db.prisma;
    cleanup = db.drop;
  }
  const smtp = await createSmtp();
  await smtp.start();
  const twilio = await startFakeTwilio();
  try {
    await prisma.bank.createMany({
      data: Array.from({ length: BANKS }, (_, i) => ({
        id: `bench-${runId}-b${i}`,
        name: `测试银行${i}`,
        region: '330400',
        email: `ops${i}@bank${i}.cn`,
        mobile: `+1415555${String(1000 + i).padStart(4, '0')}`,
      })),
      skipDuplicates: true,
    });
    const deps = createNotificationDeps(
      {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: twilio.baseUrl,
      },
      prisma,
    );
    const { deliverNotification } = createNotificationActivities(deps);

    // Plan like the lifecycle: one event per request, SMS + e-mail (+ inbox, not counted) per bank prompt.
    const rows: OutboxRow[] = [];
    const now = new Date();
    for (let i = 0; rows.length < ROWS; i++) {
      const req: NotificationRequest = {
        templateId: 'newDirectedRequest',
        recipient: { type: 'bank', id: `bench-${runId}-b${i % BANKS}` },
        params: { enterpriseName: `嘉兴测试企业${i}有限公司`, amountWan: 100 + (i % 900), termMonths: 12, deadline: '2026-11-27 17:00', requestRef: `FR-${i}` },
        urgent: true, // the benchmark measures transport, not quiet hours
      };
      for (const r of planOutboxRows(`bench-${runId}-ev${i}`, null, [req], now)) if (r.channel !== 'inbox' && rows.length < ROWS) rows.push(r);
    }
    await prisma.notification.createMany({ data: rows, skipDuplicates: true });

    const ids = rows.map((r) => r.id);
    const durations: number[] = [];
    let failures = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          const s = performance.now();
          try {
            await deliverNotification(id);
          } catch {
            failures++;
          }
          durations.push(performance.now() - s);
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    // Creation (the state change's transaction) to delivery, from the rows' own timestamps.
    const stored = await prisma.notification.findMany({ where: { id: { in: ids } }, select: { status: true, createdAt: true, sentAt: true } });
    const lag = stored
      .filter((r) => r.sentAt)
      .map((r) => (r.sentAt as Date).getTime() - r.createdAt.getTime())
      .sort((a, b) => a - b);
    durations.sort((a, b) => a - b);
    const sent = stored.filter((r) => r.status === 'sent' || r.status === 'delivered').length;
    const smsCount = twilio.messages.length;
    const mailCount = smtp.mails.length;
    const out: [string, string | number, string][] = [
      ['rows', ROWS, 'rows'],
      ['concurrency', CONCURRENCY, 'workers'],
      ['delivered', sent, 'rows'],
      ['failed', failures, 'rows'],
      ['sms_received', smsCount, 'messages'],
      ['email_received', mailCount, 'mails'],
      ['duplicates', smsCount + mailCount - sent, 'messages'],
      ['activity_p50', durations.length ? pct(durations, 50).toFixed(1) : 'n/a', 'ms'],
      ['activity_p95', durations.length ? pct(durations, 95).toFixed(1) : 'n/a', 'ms'],
      ['creation_to_delivery_p50', pct(lag, 50).toFixed(0), 'ms'],
      ['creation_to_delivery_p95', pct(lag, 95).toFixed(0), 'ms'],
      ['wall_time', ((performance.now() - started) / 1000).toFixed(1), 's'],
      ['throughput', (sent / elapsed).toFixed(1), 'notifications/s'],
    ];
    for (const [k, v, u] of out) console.log(`${k}: ${v} ${u}`);
    deps.mailer.close();
  } finally {
    await smtp.stop();
    await twilio.close();
    await cleanup();
    await stopScratchPostgres();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
