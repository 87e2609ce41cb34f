// Notification settings for banks and guarantee institutions (webhook endpoints, delivery log,
// replays, preferences) and the embedded dev inbox page.
//
// Who: an institution names itself as recipientType/recipientId and must be the caller's own
// (another is refused, 403, audited); admins may act for any recipient. The failed-notification
// list is for supervisors and admins.
import { Router } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import { createNotificationStores } from '../../notifications/deps';
import { listDevInbox, type DevInboxMessage } from '../../notifications/devinbox';
import { escapeHtml } from '../../notifications/render';
import { createHash } from 'node:crypto';
import { rateLimit } from 'express-rate-limit';
import { WEBHOOK_REPLAYS_PER_MINUTE } from '../../notifications/config';
import { listWebhookDeliveries } from '../../notifications/webhooks/deliver';
import { replayedDeliveryView, type ReplayedDelivery } from '../../notifications/webhooks/replay';
import { webhookReplayWorkflow } from '../../workflows/webhookReplay';
import { checkWebhookUrl as checkUrl, WebhookUrlRefused, type WebhookTargetPolicy } from '../../notifications/webhooks/ssrf';
import type { WebhookDelivery, WebhookEndpoint } from '../../notifications/webhooks/store';
import type { Request, Response } from 'express';
import { notYours, principalOf, requireRole } from '../auth/access';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { HttpProblem, sendProblem } from '../problem';
import {
  deliveryParams,
  preferenceParams,
  preferencesBody,
  recipientQuery,
  replayBody,
  webhookEndpointBody,
  type apiRecipientType,
} from '../schemas/notifications';
import { idempotencyKey, parseBody, parseParams, parseQuery } from '../validate';
import { z } from 'zod';

type Env = Record<string, string | undefined>;
type ApiRecipientType = z.output<typeof apiRecipientType>;

// ---- SSRF guard (notifications/webhooks/ssrf.ts) ----------------------------------------------

/** checkWebhookUrl with its refusal as a 422 problem. */
async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy | undefined): Promise<string> {
  try {
    return await checkUrl(raw, policy);
  } catch (err) {
    if (err instanceof WebhookUrlRefused) throw new HttpProblem(422, 'webhook-url-refused', 'The webhook URL is not allowed', err.message);
    throw err;
  }
}

// ---- views ------------------------------------------------------------------------------------

const endpointView = (e: WebhookEndpoint) => ({
  id: e.id,
  recipientType: e.recipientType,
  recipientId: e.recipientId,
  url: e.url,
  active: e.active,
  createdAt: new Date(e.createdAt).toISOString(),
});

/** The recipient sees the receiver's status or a coarse outcome, never socket errors or timings. */
const deliveryView = (d: WebhookDelivery | ReplayedDelivery) => ({
  ...replayedDeliveryView({ ...d, durationMs: 0 } as WebhookDelivery),
  error:
    d.error === null || /^(HTTP \d+|url refused|not delivered)$/.test(d.error) ? d.error : d.error.startsWith('url refused') ? 'url refused' : 'not delivered',
});

async function recipientOr404(prisma: PrismaClient, type: ApiRecipientType | 'enterprise', id: string): Promise<void> {
  const found =
    type === 'bank'
      ? await prisma.bank.findUnique({ where: { id }, select: { id: true } })
      : type === 'enterprise'
        ? /^[0-9a-f-]{36}$/i.test(id)
          ? await prisma.enterprise.findUnique({ where: { id }, select: { id: true } })
          : null
        : await prisma.guaranteeInstitution.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw new HttpProblem(404, 'unknown-recipient', `No such ${type}`, id);
}

/** The named recipient must be the caller's own organisation (admins may name any). */
function assertRecipient(req: Request, res: Response, prisma: PrismaClient, type: string, id: string): void {
  const p = principalOf(res);
  if (p.role === 'admin') return;
  const own = p.role === 'bank' ? p.bankId : p.role === 'guaranteeInstitution' ? p.guaranteeInstitutionId : p.role === 'enterprise' ? p.enterpriseId : null;
  if (p.role !== type || own !== id) notYours(req, res, prisma, `${p.role} may not act for ${type} ${id}`);
}

/** Institution-wide settings (webhook endpoint, preferences) are not a branch user's to change. */
function assertInstitutionWide(req: Request, res: Response, prisma: PrismaClient): void {
  const p = principalOf(res);
  if (p.role === 'bank' && (p.branch || p.region)) notYours(req, res, prisma, `branch user ${p.id} may not change the whole bank's notification settings`);
}

/** Webhooks are for the institutions that act on requests (and admins acting for them). */
const INSTITUTIONS = ['bank', 'guaranteeInstitution', 'admin'] as const;

// ---- /v1 routes -------------------------------------------------------------------------------

const failedQuery = z.strictObject({
  recipientType: z.enum(['enterprise', 'bank', 'guaranteeInstitution', 'supervisor']).optional(),
  recipientId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function notificationsRouter(
  deps: ApiDeps,
  // The embedded development stack lets webhooks reach local receivers; a production API never does.
  env: Env = deps.config.devRoutes ? { WEBHOOK_ALLOW_LOOPBACK: 'true', ...process.env } : process.env,
): Router {
  const r = Router();
  const stores = createNotificationStores(env, deps.prisma);
  // Each replay is an outbound request: a few a minute per principal is what fixing a receiver needs.
  const replayLimit = rateLimit({
    windowMs: 60_000,
    limit: WEBHOOK_REPLAYS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => (res.locals.principal as { id?: string } | undefined)?.id ?? 'anonymous',
    handler: (_req, res) => sendProblem(res, new HttpProblem(429, 'rate-limited', 'Too many replays', `At most ${WEBHOOK_REPLAYS_PER_MINUTE} a minute`)),
  });

  r.post('/v1/webhook-endpoints', async (req, res) => {
    requireRole(req, res, deps.prisma, ...INSTITUTIONS);
    idempotencyKey(req);
    const body = parseBody(webhookEndpointBody, req);
    assertRecipient(req, res, deps.prisma, body.recipientType, body.recipientId);
    assertInstitutionWide(req, res, deps.prisma);
    const url = await checkWebhookUrl(body.url, stores.webhooks.policy);
    await recipientOr404(deps.prisma, body.recipientType, body.recipientId);
    // Registering replaces the recipient's active endpoint and rotates the secret; the secret is
    // returned here only, never stored (a retry with the same Idempotency-Key gets 409 secret-shown-once).
    await respondIdempotently(deps.prisma, req, res, async () => {
      const ep = await stores.webhooks.endpoints.register(body.recipientType, body.recipientId, url);
      return {
        status: 201,
        body: { ...endpointView(ep), secret: ep.secret },
        location: `/v1/webhook-endpoints?recipientType=${ep.recipientType}&recipientId=${encodeURIComponent(ep.recipientId)}`,
        secrets: ['secret'],
      };
    });
  });

  r.get('/v1/webhook-endpoints', async (req, res) => {
    requireRole(req, res, deps.prisma, ...INSTITUTIONS);
    const q = parseQuery(recipientQuery, req);
    assertRecipient(req, res, deps.prisma, q.recipientType, q.recipientId);
    const ep = await stores.webhooks.endpoints.find(q.recipientType, q.recipientId);
    res.json({ recipientType: q.recipientType, recipientId: q.recipientId, items: ep ? [endpointView(ep)] : [] });
  });

  r.get('/v1/webhook-deliveries', async (req, res) => {
    requireRole(req, res, deps.prisma, ...INSTITUTIONS);
    const q = parseQuery(recipientQuery, req);
    assertRecipient(req, res, deps.prisma, q.recipientType, q.recipientId);
    const rows = await listWebhookDeliveries(stores.webhooks, { type: q.recipientType, id: q.recipientId }, { limit: Math.min(Number(q.limit ?? 100), 1000) });
    res.json({ recipientType: q.recipientType, recipientId: q.recipientId, items: rows.map(deliveryView) });
  });

  r.post('/v1/webhook-deliveries/:id/replay', replayLimit, async (req, res) => {
    requireRole(req, res, deps.prisma, ...INSTITUTIONS);
    const p = principalOf(res);
    const key = idempotencyKey(req);
    const { id } = parseParams(deliveryParams, req);
    const body = parseBody(replayBody, req);
    assertRecipient(req, res, deps.prisma, body.recipientType, body.recipientId);
    const original = await stores.webhooks.log.get(id);
    if (!original || original.recipientType !== body.recipientType || original.recipientId !== body.recipientId)
      throw new HttpProblem(404, 'unknown-delivery', 'No such delivery for this recipient', id);
    if (!(await stores.webhooks.endpoints.find(body.recipientType, body.recipientId)))
      throw new HttpProblem(409, 'no-webhook-endpoint', 'No active webhook endpoint to replay to', 'Register one first');
    await respondIdempotently(deps.prisma, req, res, async () => {
      // The worker connects, not the API: the API process never opens a caller-chosen URL.
      const d = await deps.temporal.workflow.execute(webhookReplayWorkflow, {
        workflowId: `webhookReplay-${id}-${createHash('sha256').update(`${p.id}:${key}`).digest('hex').slice(0, 32)}`,
        taskQueue: deps.taskQueue,
        args: [{ deliveryId: id, recipient: { type: body.recipientType, id: body.recipientId } }],
      });
      return { status: 201, body: deliveryView(d) };
    });
  });

  // Supervisors: notifications that failed for good (invalid number, rejected address, …).
  r.get('/v1/notifications/failed', async (req, res) => {
    requireRole(req, res, deps.prisma, 'supervisor', 'admin');
    const q = parseQuery(failedQuery, req);
    const rows = await deps.prisma.notification.findMany({
      where: { status: 'failed', ...(q.recipientType ? { recipientType: q.recipientType } : {}), ...(q.recipientId ? { recipientId: q.recipientId } : {}) },
      orderBy: { updatedAt: 'desc' },
      take: q.limit,
    });
    res.json({
      items: rows.map((n) => ({
        id: n.id,
        financingRequestId: n.financingRequestId,
        recipientType: n.recipientType,
        recipientId: n.recipientId,
        channel: n.channel,
        templateId: n.templateId,
        attempts: n.attempts,
        lastError: n.lastError,
        updatedAt: n.updatedAt.toISOString(),
      })),
    });
  });

  r.put('/v1/notification-preferences/:recipientType/:recipientId', async (req, res) => {
    idempotencyKey(req);
    const { recipientType, recipientId } = parseParams(preferenceParams, req);
    assertRecipient(req, res, deps.prisma, recipientType, recipientId);
    assertInstitutionWide(req, res, deps.prisma);
    const prefs = parseBody(preferencesBody, req);
    await recipientOr404(deps.prisma, recipientType, recipientId);
    await stores.preferences.set(recipientType, recipientId, prefs);
    res.json({ recipientType, recipientId, preferences: (await stores.preferences.get(recipientType, recipientId)) ?? null });
  });

  r.get('/v1/notification-preferences/:recipientType/:recipientId', async (req, res) => {
    const { recipientType, recipientId } = parseParams(preferenceParams, req);
    assertRecipient(req, res, deps.prisma, recipientType, recipientId);
    res.json({ recipientType, recipientId, preferences: (await stores.preferences.get(recipientType, recipientId)) ?? null });
  });

  return r;
}

// ---- dev inbox --------------------------------------------------------------------------------

/** The dev inbox is the embedded default: served only while no SMTP or SMS provider is configured. */
export function devInboxEnabled(env: Env): boolean {
  const sms = env.SMS_PROVIDER ?? (env.TWILIO_ACCOUNT_SID ? 'twilio' : 'devinbox');
  return !env.SMTP_URL && sms === 'devinbox';
}

const inboxItem = (m: DevInboxMessage) => ({
  id: m.id,
  recipientType: m.recipientType,
  recipientId: m.recipientId,
  channel: m.channel,
  templateId: m.templateId,
  title: m.title,
  text: m.text,
  status: m.status,
  sentAt: m.sentAt?.toISOString() ?? null,
  createdAt: m.createdAt.toISOString(),
});

export function renderDevInbox(messages: DevInboxMessage[]): string {
  const items = messages
    .map((m) => {
      const at = (m.sentAt ?? m.createdAt).toISOString().replace('T', ' ').slice(0, 19);
      return `<li>
<div class="meta"><span class="ch">${escapeHtml(m.channel)}</span> → ${escapeHtml(m.recipientType)}:${escapeHtml(m.recipientId)} · <code>${escapeHtml(m.templateId)}</code> · ${escapeHtml(m.status)} · <time>${escapeHtml(at)} UTC</time></div>
<div class="title">${escapeHtml(m.title)}</div>
<pre>${escapeHtml(m.text)}</pre>
</li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>loanbridge dev inbox</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;padding:12px;max-width:760px;margin:auto;color:#222}
h1{font-size:1.2em}ul{list-style:none;padding:0}li{border:1px solid #ddd;border-radius:8px;padding:10px;margin:0 0 10px}
.meta{font-size:.85em;color:#555;word-break:break-all}.ch{font-weight:600;color:#0a5}.title{font-weight:600;margin:4px 0}
pre{white-space:pre-wrap;word-break:break-word;font:inherit;margin:0}
</style></head>
<body><h1>Dev inbox</h1>
<p>What would have been sent (no SMTP or SMS provider configured), newest first. <a href="/dev/inbox.json">JSON</a></p>
${messages.length ? `<ul>\n${items}\n</ul>` : '<p>Nothing yet.</p>'}
</body></html>`;
}

export function devInboxRouter(deps: Pick<ApiDeps, 'prisma'>, env: Env = process.env): Router {
  const r = Router();
  if (!devInboxEnabled(env)) return r;
  r.get('/dev/inbox', async (_req, res) => {
    const messages = await listDevInbox(deps.prisma, { limit: 100 });
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").type('text/html; charset=utf-8').send(renderDevInbox(messages));
  });
  r.get('/dev/inbox.json', async (_req, res) => {
    const messages = await listDevInbox(deps.prisma, { limit: 100 });
    res.json({ items: messages.map(inboxItem) });
  });
  return r;
}
