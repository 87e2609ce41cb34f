// Notification settings through the API, end to end: a bank registers a webhook endpoint (a real
// local receiver), an enterprise publishes a request directed to it, the workflow's outbox delivers
// one signed webhook, the delivery log lists it, and the dev inbox page shows the prompt.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { verifyWebhookSignature } from '../../notifications/webhooks/signature';
import { as, startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let s: TestStack;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  s = await startTestStack();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/loanbridge`;
});
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await s?.close();
});

const BANK = 'jiaxing-bank';
const key = (k: string, who = `bank:${BANK}`) => ({ ...as(who), 'Idempotency-Key': `${k}-${Math.random().toString(36).slice(2, 10)}` });

describe('notification API', () => {
  it('lets an enterprise user set preferences too', async () => {
    const put = await s.api('PUT', `/v1/notification-preferences/enterprise/${DEMO_ENTERPRISE_ID}`, { locale: 'en' }, key('ent-pref', 'enterprise'));
    expect(put.status).toBe(200);
    expect(put.body.preferences).toMatchObject({ locale: 'en' });
    expect((await s.api('PUT', '/v1/notification-preferences/enterprise/not-a-uuid', { locale: 'en' }, key('ent-pref2', 'admin'))).status).toBe(404);
    // Another enterprise's preferences are not this enterprise's to set.
    expect(
      (await s.api('PUT', '/v1/notification-preferences/enterprise/00000000-0000-4000-8000-00000000beef', { locale: 'en' }, key('ent-pref3', 'enterprise')))
        .status,
    ).toBe(403);
  });

  it('lists permanently failed notifications for supervisors', async () => {
    await s.db.prisma.notification.create({
      data: {
        id: 'failed-test-row',
        recipientType: 'bank',
        recipientId: 'suzhou-bank',
        channel: 'sms',
        templateId: 'grabWon',
        params: {},
        status: 'failed',
        lastError: 'invalid number (21211)',
        attempts: 1,
      },
    });
    const r = await s.api('GET', '/v1/notifications/failed?recipientType=bank', undefined, as('supervisor'));
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: { id: string }) => x.id)).toContain('failed-test-row');
    expect(r.body.items.find((x: { id: string }) => x.id === 'failed-test-row').lastError).toMatch(/21211/);
    expect((await s.api('GET', '/v1/notifications/failed?limit=0', undefined, as('supervisor'))).status).toBe(400);
    expect((await s.api('GET', '/v1/notifications/failed', undefined, as('bank:hecheng-rcb'))).status).toBe(403);
  });

  it('delivers one signed webhook for a directed request, logs it, and shows the prompt in the dev inbox', async () => {
    const regKey = key('wh');
    const reg = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url: receiverUrl }, regKey);
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ recipientType: 'bank', recipientId: BANK, url: receiverUrl, active: true });
    const secret = reg.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    // A retried registration (same key) registers nothing again and does not rotate the secret; the
    // secret was shown once and is not kept: the retry is told so, with the endpoint's id.
    const retry = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url: receiverUrl }, regKey);
    expect(retry.status).toBe(409);
    expect(retry.body.type).toMatch(/secret-shown-once$/);
    expect(retry.body.id).toBe(reg.body.id);
    expect(JSON.stringify(await s.db.prisma.idempotentResponse.findMany())).not.toContain(secret);
    const reused = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url: `${receiverUrl}/other` }, regKey);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);

    const listed = await s.api('GET', `/v1/webhook-endpoints?recipientType=bank&recipientId=${BANK}`, undefined, as(`bank:${BANK}`));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].secret).toBeUndefined(); // shown once, at registration

    const pub = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        enterpriseId: DEMO_ENTERPRISE_ID,
        amountFen: 120_000_000,
        termMonths: 12,
        purpose: 'working capital for the spring orders',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: [BANK],
      },
      key('pub', 'enterprise'),
    );
    expect(pub.status).toBe(201);
    const requestId = pub.body.id as string;

    const hooks = await eventually(
      async () => received.filter((r) => r.headers['x-loanbridge-event'] === 'newDirectedRequest'),
      (h) => h.length > 0,
    );
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(verifyWebhookSignature({ header: hook.headers['x-loanbridge-signature'] as string, body: hook.body, secret })).toMatchObject({ ok: true });
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({ event: 'newDirectedRequest', financingRequestId: requestId, recipient: { type: 'bank', id: BANK } });
    expect(hook.headers['x-loanbridge-delivery']).toBe(payload.id);

    const log = await eventually(
      () => s.api('GET', `/v1/webhook-deliveries?recipientType=bank&recipientId=${BANK}`, undefined, as(`bank:${BANK}`)),
      (r) => r.body.items?.length > 0,
    );
    expect(log.status).toBe(200);
    const logged = log.body.items.filter((d: { event: string }) => d.event === 'newDirectedRequest');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ ok: true, statusCode: 204, url: receiverUrl, notificationId: payload.id, replayOf: null });

    // No second delivery shows up later (exactly one POST per outbox row).
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((r) => r.headers['x-loanbridge-event'] === 'newDirectedRequest')).toHaveLength(1);

    // Replay: same delivery id and body, fresh signature; logged as a replay of the first.
    const replay = await s.api('POST', `/v1/webhook-deliveries/${logged[0].id}/replay`, { recipientType: 'bank', recipientId: BANK }, key('rp'));
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ ok: true, replayOf: logged[0].id, notificationId: payload.id });
    expect(received.at(-1)!.headers['x-loanbridge-delivery']).toBe(payload.id);
    const foreign = await s.api(
      'POST',
      `/v1/webhook-deliveries/${logged[0].id}/replay`,
      { recipientType: 'bank', recipientId: 'hecheng-rcb' },
      key('rp', 'bank:hecheng-rcb'),
    );
    expect(foreign.status).toBe(404);
    // Naming another bank as oneself is refused outright.
    const impersonating = await s.api(
      'POST',
      `/v1/webhook-deliveries/${logged[0].id}/replay`,
      { recipientType: 'bank', recipientId: 'hecheng-rcb' },
      key('rp'),
    );
    expect(impersonating.status).toBe(403);
    // The replay ran on the worker, as a workflow: the API process connects to no caller-chosen URL.
    const ran = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const w of s.client.workflow.list({ query: "WorkflowType = 'webhookReplayWorkflow'" })) ids.push(w.workflowId);
        return ids;
      },
      (ids) => ids.some((id) => id.startsWith(`webhookReplay-${logged[0].id}-`)),
    );
    expect(ran.length).toBeGreaterThan(0);
    // Replays are limited per principal (each is an outbound request).
    const statuses: number[] = [];
    for (let i = 0; i < 10 && !statuses.includes(429); i++)
      statuses.push((await s.api('POST', `/v1/webhook-deliveries/${logged[0].id}/replay`, { recipientType: 'bank', recipientId: BANK }, key(`rp${i}`))).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeLessThanOrEqual(6);

    // The dev inbox renders the prompt the bank would have received by SMS/e-mail.
    const inbox = await eventually(
      async () => {
        const res = await fetch(`${s.apiUrl}/dev/inbox`);
        return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
      },
      (r) => r.html.includes('newDirectedRequest'),
    );
    expect(inbox.status).toBe(200);
    expect(inbox.type).toMatch(/text\/html/);
    expect(inbox.html).toContain(`bank:${BANK}`);
    expect(inbox.html).toContain('新的定向融资需求');
    expect(inbox.html).not.toMatch(/<script|https?:\/\/cdn/i);
    const json = await s.api('GET', '/dev/inbox.json');
    expect(json.status).toBe(200);
    expect(json.body.items.some((m: { templateId: string; recipientId: string }) => m.templateId === 'newDirectedRequest' && m.recipientId === BANK)).toBe(
      true,
    );
  });

  it('refuses webhook URLs to private, link-local or plain-http addresses (SSRF) with problem+json', async () => {
    for (const url of [
      'https://10.0.0.1/x',
      'http://169.254.169.254/',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.10/',
      'http://example.com/hook',
      'not a url',
    ]) {
      const r = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url }, key('ssrf'));
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(r.status, url).toBeLessThan(500);
      expect(r.headers.get('content-type'), url).toMatch(/application\/problem\+json/);
      expect(r.body.type, url).toMatch(/webhook-url-refused$/);
    }
    const noKey = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url: receiverUrl }, as(`bank:${BANK}`));
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toMatch(/idempotency-key-required$/);
    const extra = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: BANK, url: receiverUrl, admin: true }, key('x'));
    expect(extra.status).toBe(400);
    const unknown = await s.api('POST', '/v1/webhook-endpoints', { recipientType: 'bank', recipientId: 'no-such-bank', url: receiverUrl }, key('x', 'admin'));
    expect(unknown.status).toBe(404);
  });

  it('round-trips preferences and refuses bad input', async () => {
    const path = '/v1/notification-preferences/bank/hecheng-rcb';
    const me = as('bank:hecheng-rcb');
    expect((await s.api('GET', path, undefined, me)).body).toMatchObject({ preferences: null });
    const prefs = { channels: { sms: false }, quietHours: { startHour: 21, endHour: 7 }, poolBatchWindowMinutes: 30, locale: 'en' };
    const put = await s.api('PUT', path, prefs, key('pref', 'bank:hecheng-rcb'));
    expect(put.status).toBe(200);
    expect(put.body.preferences).toEqual(prefs);
    const got = await s.api('GET', path, undefined, me);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ recipientType: 'bank', recipientId: 'hecheng-rcb', preferences: prefs });

    for (const bad of [
      { poolBatchWindowMinutes: 10_000 },
      { locale: 'fr' },
      { channels: { fax: true } },
      { quietHours: { startHour: 25, endHour: 7 } },
      { surprise: 1 },
    ]) {
      const r = await s.api('PUT', path, bad, key('bad', 'bank:hecheng-rcb'));
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await s.api('PUT', path, prefs, me)).status).toBe(400); // no Idempotency-Key
    expect((await s.api('PUT', '/v1/notification-preferences/supervisor/x1', prefs, key('p'))).status).toBe(400);
    expect((await s.api('GET', path, undefined, me)).body.preferences).toEqual(prefs);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await s.api('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhook-endpoints',
        '/v1/webhook-deliveries',
        '/v1/webhook-deliveries/{id}/replay',
        '/v1/notification-preferences/{recipientType}/{recipientId}',
      ]),
    );
  });
});
