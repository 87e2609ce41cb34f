// The embedded dev inbox: with no SMTP or SMS credentials, messages are "delivered" into the outbox
// rows themselves (providerMessageId devinbox:…); this lists them, rendered, for the /dev/inbox page.
import type { PrismaClient } from '../generated/prisma/client';
import { DEFAULT_LOCALE } from './config';
import { render } from './render';
import { isLocale, type Channel, type ParamValue } from './types';

export interface DevInboxMessage {
  id: string;
  channel: Channel;
  recipientType: string;
  recipientId: string;
  templateId: string;
  title: string;
  text: string;
  html?: string;
  status: string;
  sentAt: Date | null;
  createdAt: Date;
}

/** Newest first. Includes 'inbox' channel rows when includeInbox (the in-app inbox). */
export async function listDevInbox(
  prisma: PrismaClient,
  opts: { limit?: number; includeInbox?: boolean; recipient?: { type: string; id: string } } = {},
): Promise<DevInboxMessage[]> {
  const rows = await prisma.notification.findMany({
    where: {
      OR: [{ providerMessageId: { startsWith: 'devinbox:' } }, ...(opts.includeInbox ? [{ channel: 'inbox' as const }] : [])],
      ...(opts.recipient ? { recipientType: opts.recipient.type, recipientId: opts.recipient.id } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: Math.min(opts.limit ?? 100, 1000),
  });
  return rows.map((r) => {
    const channel = r.channel as Channel;
    let title: string;
    let text: string;
    let html: string | undefined;
    try {
      ({ title, text, html } = render(r.templateId, channel, r.params as Record<string, ParamValue>, isLocale(r.locale) ? r.locale : DEFAULT_LOCALE));
    } catch {
      title = r.templateId;
      text = JSON.stringify(r.params);
    }
    return {
      id: r.id,
      channel,
      recipientType: r.recipientType,
      recipientId: r.recipientId,
      templateId: r.templateId,
      title,
      text,
      html,
      status: r.status,
      sentAt: r.sentAt,
      createdAt: r.createdAt,
    };
  });
}
