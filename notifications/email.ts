// E-mail delivery through a nodemailer transporter (SMTP in production, JSON transport as the dev inbox).
// Every mail for an outbox row carries a deterministic Message-ID (reference.ts): SMTP offers no way
// to ask "did you already accept this?", so after a crash between the SMTP 250 and the status write
// the re-sent copy has the same Message-ID and receiving systems/mail clients collapse it.
import type { Transporter } from 'nodemailer';
import { DEFAULT_EMAIL_FROM } from './config';
import { DeliveryError, networkErrorKind } from './errors';
import type { RenderedMessage } from './render';

export interface EmailSendInput {
  to: string | string[];
  rendered: RenderedMessage;
  messageId: string;
  /** Outbox row ids in this mail (one, or a batch). */
  rowIds: string[];
  from?: string;
}

/** SMTP commands before the message data: a failure there proves the message was not accepted. */
const BEFORE_DATA = new Set(['CONN', 'EHLO', 'HELO', 'STARTTLS', 'AUTH PLAIN', 'AUTH LOGIN', 'AUTH XOAUTH2', 'MAIL FROM', 'RCPT TO', 'API']);

export function classifySmtpError(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string; command?: string; message?: string; response?: string };
  const message = e?.response ?? e?.message ?? String(err);
  if (typeof e?.responseCode === 'number') {
    // 5xx: rejected for good (unknown mailbox, policy); 4xx: try again later. Either way not accepted.
    return new DeliveryError(e.responseCode >= 500 ? 'permanent' : 'transient', message, `smtp_${e.responseCode}`);
  }
  if (e?.code === 'EENVELOPE') return new DeliveryError('permanent', message, 'smtp_envelope');
  if (e?.code === 'ECONNECTION' || (e?.command && BEFORE_DATA.has(e.command))) return new DeliveryError('transient', message, e.code);
  return new DeliveryError(networkErrorKind(err), message, e?.code);
}

export async function sendEmail(mailer: Transporter, input: EmailSendInput): Promise<{ providerMessageId: string }> {
  try {
    const info = await mailer.sendMail({
      from: input.from ?? DEFAULT_EMAIL_FROM,
      to: input.to,
      subject: input.rendered.title,
      text: input.rendered.text,
      html: input.rendered.html,
      messageId: input.messageId,
      headers: {
        'X-Loanbridge-Notification': input.rowIds.join(','),
        'X-Loanbridge-Template': input.rendered.templateId,
        // Automatic prompts: suppress auto-replies (RFC 3834).
        'Auto-Submitted': 'auto-generated',
      },
    });
    return { providerMessageId: (info as { messageId?: string }).messageId ?? input.messageId };
  } catch (err) {
    throw classifySmtpError(err);
  }
}
