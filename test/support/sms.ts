// Reading one-time codes from the SMS the platform sent: the embedded dev inbox (the delivered
// outbox row, rendered as the SMS text) or a Twilio-speaking server's received messages.
import type { PrismaClient } from '../../generated/prisma/client';
import type { FakeTwilio } from '../../tools/fake-twilio';
import { listDevInbox } from '../../notifications/devinbox';
import { eventually } from './eventually';

const CODE = /(?<!\d)(\d{6})(?!\d)/;

/** The code in the newest verification SMS delivered to this enterprise (dev inbox). */
export async function codeFromDevInbox(prisma: PrismaClient, enterpriseId: string, after = new Date(0)): Promise<string> {
  const msgs = await eventually(
    () => listDevInbox(prisma, { recipient: { type: 'enterprise', id: enterpriseId }, limit: 20 }),
    (m) => m.some((x) => x.templateId === 'verificationCode' && x.channel === 'sms' && x.createdAt >= after),
  );
  const sms = msgs.find((x) => x.templateId === 'verificationCode' && x.channel === 'sms' && x.createdAt >= after)!;
  const m = CODE.exec(sms.text);
  if (!m) throw new Error(`no code in ${sms.text}`);
  return m[1]!;
}

/** The code in the newest message the Twilio-speaking server received for this number, after its first `after` messages. */
export async function codeFromTwilio(fake: FakeTwilio, to: string, after = 0): Promise<{ code: string; body: string }> {
  const msg = await eventually(
    async () =>
      fake.messages
        .slice(after)
        .reverse()
        .find((m) => m.to === to),
    (m) => m !== undefined && CODE.test(m.body),
  );
  return { code: CODE.exec(msg!.body)![1]!, body: msg!.body };
}

/** How many verification SMS rows were written for this enterprise. */
export const codeSmsCount = (prisma: PrismaClient, enterpriseId: string) =>
  prisma.notification.count({ where: { templateId: 'verificationCode', channel: 'sms', recipientType: 'enterprise', recipientId: enterpriseId } });
