// E-mail delivery end to end: outbox rows planned as the lifecycle plans them, delivered through
// the real activity by a real Temporal worker to a real SMTP server; mails parsed and asserted.
import { eventually } from '../../support/eventually';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { createNotificationActivities } from '../../../activities/notifications';
import type { NotificationDeps } from '../../../notifications/deps';
import { planOutboxRows } from '../../../notifications/outbox';
import { createDevInboxSmsProvider } from '../../../notifications/sms/devinbox';
import { messageIdFor } from '../../../notifications/reference';
import { listDevInbox } from '../../../notifications/devinbox';
import type { NotificationRequest } from '../../../notifications/types';
import type { PrismaClient } from '../../../generated/prisma/client';
import { createSmtp, createTestDatabase, type TestSmtp } from './harness';
import { startTemporal, type TestTemporal } from './temporal';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
let temporal: TestTemporal;
let smtp: TestSmtp;

function depsFor(extra: Partial<NotificationDeps> = {}): NotificationDeps {
  const mailer = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 2_000,
    greetingTimeout: 2_000,
    socketTimeout: 5_000,
  });
  return {
    prisma,
    mailer,
    mailerKind: 'smtp',
    sms: createDevInboxSmsProvider(),
    supervisorEmails: ['sup1@pbc.gov.cn', 'sup2@pbc.gov.cn'],
    sendLeaseMs: 1_500,
    ...extra,
  };
}

async function insert(eventKey: string, requests: NotificationRequest[], now = new Date(), ctx = {}) {
  const rows = planOutboxRows(eventKey, null, requests, now, ctx);
  await prisma.notification.createMany({ data: rows, skipDuplicates: true });
  return rows;
}

const directed = (bankId: string, ref: string): NotificationRequest => ({
  templateId: 'newDirectedRequest',
  recipient: { type: 'bank', id: bankId },
  params: { enterpriseName: '嘉兴禾城机械有限公司', amountWan: 300, termMonths: 12, deadline: '2026-11-25 17:00', requestRef: ref },
  urgent: true,
});

beforeAll(async () => {
  [db, temporal, smtp] = await Promise.all([createTestDatabase(), startTemporal(), createSmtp()]);
  prisma = db.prisma;
  await smtp.start();
  await prisma.bank.createMany({
    data: [
      { id: 'hcnsyh', name: '禾城农商银行', region: '330400', email: 'credit@hcbank.cn', mobile: '13800138000' },
      { id: 'busy', name: '繁忙银行', region: '330400', email: 'ops@busy.cn', mobile: null },
      { id: 'bad', name: '地址错误银行', region: '330400', email: 'nobody@bad.cn', mobile: null },
    ],
  });
});

afterAll(async () => {
  await smtp?.stop();
  await temporal?.close();
  await db?.drop();
});

describe('e-mail notifications over SMTP', () => {
  it('delivers one rendered Chinese mail per row, exactly once even when the activity runs again', async () => {
    const rows = await insert('fr1:published', [directed('hcnsyh', 'FR-0001')]);
    const email = rows.find((r) => r.channel === 'email')!;
    const res = await temporal.deliver(
      createNotificationActivities(depsFor()),
      rows.map((r) => r.id),
    );
    expect(res.filter((r) => r.error)).toEqual([]);
    // The activity runs again (a workflow retry, a replay): nothing more is sent.
    const again = await temporal.deliver(createNotificationActivities(depsFor()), [email.id]);
    expect(again[0]).toMatchObject({ status: 'sent' });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('新的定向融资需求：嘉兴禾城机械有限公司');
    expect(smtp.envelopes[0]).toEqual(['credit@hcbank.cn']);
    expect(mail.text).toContain('金额300万元，期限12个月（需求编号FR-0001）');
    expect(mail.html).toContain('<html lang="zh-CN">');
    expect(mail.messageId).toBe(messageIdFor(email.id));
    const stored = await prisma.notification.findUniqueOrThrow({ where: { id: email.id } });
    expect(stored).toMatchObject({ status: 'sent', providerMessageId: messageIdFor(email.id), attempts: 1 });
    // the SMS went to the dev inbox (no SMS provider configured), the inbox row is delivered
    const sms = await prisma.notification.findUniqueOrThrow({ where: { id: rows.find((r) => r.channel === 'sms')!.id } });
    expect(sms.status).toBe('delivered');
    const inbox = await listDevInbox(prisma, { limit: 10 });
    expect(inbox.map((m) => m.text)).toContain('【贷桥】您有一项定向融资需求待办（编号FR-0001），请于2026-11-25 17:00前处理。');
  });

  it('SMTP server down for a while: every mail arrives once after it returns', async () => {
    smtp.mails.length = 0;
    smtp.envelopes.length = 0;
    await smtp.stop();
    const rows = (await Promise.all(['FR-0101', 'FR-0102', 'FR-0103'].map((ref, i) => insert(`fr-down-${i}`, [directed('hcnsyh', ref)]))))
      .flat()
      .filter((r) => r.channel === 'email');
    const acts = createNotificationActivities(depsFor());
    const run = temporal.deliver(
      acts,
      rows.map((r) => r.id),
    );
    // Polled, not slept: on a loaded machine the retries come later. The server comes back whatever
    // happens, so a failure here does not leave the next tests without SMTP.
    try {
      await eventually(
        () => prisma.notification.findMany({ where: { id: { in: rows.map((r) => r.id) } } }),
        (meanwhile) => meanwhile.every((r) => r.status === 'pending' && r.attempts >= 2 && /ECONNREFUSED|transient/.test(r.lastError ?? '')),
        30_000,
      );
    } finally {
      await smtp.start();
    }
    const res = await run;
    expect(res.every((r) => r.status === 'sent')).toBe(true);
    expect(smtp.mails.map((m) => m.subject)).toHaveLength(3);
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(3);
  });

  it('a rejected address fails once, permanently, without a retry storm', async () => {
    smtp.rejectRecipients.add('nobody@bad.cn');
    const rows = (await insert('fr-bad', [directed('bad', 'FR-0201')])).filter((r) => r.channel === 'email');
    const res = await temporal.deliver(createNotificationActivities(depsFor()), [rows[0]!.id]);
    expect(res[0]).toMatchObject({ errorType: 'NotificationRejected' });
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: rows[0]!.id } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toMatch(/permanent smtp_550/);
  });

  it('worker killed between the SMTP 250 and the status write: the re-send carries the same Message-ID', async () => {
    smtp.mails.length = 0;
    smtp.envelopes.length = 0;
    const rows = (await insert('fr-crash', [directed('hcnsyh', 'FR-0301')])).filter((r) => r.channel === 'email');
    const real = depsFor().mailer;
    let calls = 0;
    // The first attempt's worker "dies" right after the server accepted the mail: no status write,
    // the attempt times out on the Temporal side and the next attempt finds the claim.
    const dying = {
      sendMail: async (m: SendMailOptions) => {
        const info = await real.sendMail(m);
        if (++calls === 1) {
          // past start-to-close: the server has given up on this attempt, as it does on a dead worker
          await new Promise((r) => setTimeout(r, 3_000));
          throw new Error('worker died');
        }
        return info;
      },
    } as unknown as Transporter;
    const res = await temporal.deliver(createNotificationActivities(depsFor({ mailer: dying })), [rows[0]!.id], { startToCloseMs: 1_000 });
    expect(res[0]).toMatchObject({ status: 'sent' });
    // SMTP cannot be asked whether it already has the mail: it is re-sent, with the same
    // Message-ID, which receiving systems collapse into one message.
    expect(smtp.mails.length).toBe(2);
    expect(new Set(smtp.mails.map((m) => m.messageId))).toEqual(new Set([messageIdFor(rows[0]!.id)]));
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: rows[0]!.id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('batches pool prompts for a busy bank into one digest mail; the other rows find themselves sent', async () => {
    smtp.mails.length = 0;
    smtp.envelopes.length = 0;
    const ctx = { recipients: { 'bank:busy': { email: 'ops@busy.cn', mobile: null, preferences: { poolBatchWindowMinutes: 30 } } } };
    const t0 = new Date(Date.now() - 40 * 60_000); // the window has ended by now
    const pool = (ref: string, name: string): NotificationRequest => ({
      templateId: 'poolRequestMatchesProducts',
      recipient: { type: 'bank', id: 'busy' },
      params: { enterpriseName: name, amountWan: 200, termMonths: 6, productName: '科创贷', requestRef: ref },
    });
    const all = [
      ...(await insert('pool-1', [pool('FR-0401', '甲公司')], t0, ctx)),
      ...(await insert('pool-2', [pool('FR-0402', '乙公司')], new Date(t0.getTime() + 1_000), ctx)),
      ...(await insert('pool-3', [pool('FR-0403', '丙公司')], new Date(t0.getTime() + 2_000), ctx)),
    ];
    const mails = all.filter((r) => r.channel === 'email');
    expect(new Set(mails.map((r) => (r.notBefore as Date).getTime())).size).toBe(1);
    const res = await temporal.deliver(
      createNotificationActivities(depsFor()),
      mails.map((r) => r.id),
    );
    expect(res.every((r) => r.status === 'sent')).toBe(true);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toBe('抢单提醒汇总：3笔新需求匹配贵机构产品');
    for (const n of ['甲公司', '乙公司', '丙公司']) expect(smtp.mails[0]!.text).toContain(n);
    const stored = await prisma.notification.findMany({ where: { id: { in: mails.map((r) => r.id) } } });
    expect(new Set(stored.map((r) => r.providerMessageId)).size).toBe(1);
  });

  it('sends supervisor escalations to SUPERVISOR_EMAILS', async () => {
    smtp.mails.length = 0;
    smtp.envelopes.length = 0;
    const rows = (
      await insert('esc-1', [
        {
          templateId: 'escalation',
          recipient: { type: 'supervisor', id: 'all' },
          params: { bankName: '禾城农商银行', enterpriseName: '甲公司', overdueDays: 3, requestRef: 'FR-0501' },
        },
      ])
    ).filter((r) => r.channel === 'email');
    await temporal.deliver(createNotificationActivities(depsFor()), [rows[0]!.id]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.envelopes[0]).toEqual(['sup1@pbc.gov.cn', 'sup2@pbc.gov.cn']);
    expect(smtp.mails[0]!.subject).toBe('督办提醒：禾城农商银行超时未办理');
  });
});
