// Twilio status callbacks: Twilio POSTs form-encoded status changes of a message to the
// StatusCallback URL the SMS activity set (…/notifications/twilio/status?n=<outbox row id>).
// The router checks Twilio's X-Twilio-Signature (HMAC-SHA1 of the full public URL + sorted params
// with the auth token) and moves the row to delivered / failed. The lead mounts it on the API.
import express, { type Router } from 'express';
import twilio from 'twilio';
import type { PrismaClient } from '../generated/prisma/client';
import { TWILIO_STATUS_PATH } from './config';

export interface TwilioStatusRouterOptions {
  prisma: PrismaClient;
  authToken: string;
  /** Public base URL Twilio calls (scheme + host [+ prefix]); the signature covers the full URL. */
  publicUrl: string;
  /** Path the router serves (default TWILIO_STATUS_PATH); mount the router at '/'. */
  path?: string;
}

export function createTwilioStatusRouter(opts: TwilioStatusRouterOptions): Router {
  const router = express.Router();
  const path = opts.path ?? TWILIO_STATUS_PATH;
  router.post(path, express.urlencoded({ extended: false }), async (req, res) => {
    const params = (req.body ?? {}) as Record<string, string>;
    const url = opts.publicUrl.replace(/\/+$/, '') + req.originalUrl;
    const ok = twilio.validateRequest(opts.authToken, req.header('X-Twilio-Signature') ?? '', url, params);
    if (!ok) {
      res.status(403).type('text/plain').send('invalid signature');
      return;
    }
    const rowId = typeof req.query.n === 'string' ? req.query.n : undefined;
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!rowId || !sid || !status) {
      res.status(400).type('text/plain').send('missing n, MessageSid or MessageStatus');
      return;
    }
    // Only the message this row recorded may move it (all rows of a batched digest share it). A row
    // still carrying an in-flight claim is one whose sender died (or has not yet written) after
    // Twilio created the message: the signed callback for this row's URL proves the message exists,
    // so it settles the row and the rest of its batch (same claim) too.
    const row = await opts.prisma.notification.findUnique({ where: { id: rowId }, select: { providerMessageId: true } });
    const current = row?.providerMessageId ?? null;
    const key = current === sid ? sid : current?.startsWith('claim:') ? current : undefined;
    if (key) {
      const where = { providerMessageId: key, status: { in: ['sent' as const, 'pending' as const, 'held' as const] } };
      if (status === 'delivered') {
        await opts.prisma.notification.updateMany({ where, data: { status: 'delivered', providerMessageId: sid, lastError: null } });
      } else if (status === 'failed' || status === 'undelivered') {
        const code = params.ErrorCode ? ` ${params.ErrorCode}` : '';
        await opts.prisma.notification.updateMany({ where, data: { status: 'failed', providerMessageId: sid, lastError: `twilio ${status}${code}` } });
      } else if (key !== sid && ['queued', 'accepted', 'sending', 'sent'].includes(status)) {
        await opts.prisma.notification.updateMany({ where, data: { status: 'sent', providerMessageId: sid, sentAt: new Date() } });
      }
    }
    // Always 204: Twilio does not need to call again.
    res.status(204).end();
  });
  return router;
}
