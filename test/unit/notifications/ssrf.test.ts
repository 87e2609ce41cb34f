// The SSRF guard, at registration and again at delivery (a host may resolve elsewhere later).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../../notifications/webhooks/deliver';
import { checkWebhookUrl, isNonPublicAddress, WebhookUrlRefused } from '../../../notifications/webhooks/ssrf';
import type { WebhookPayload } from '../../../notifications/webhooks/deliver';
import { InMemoryWebhookDeliveryLog, InMemoryWebhookEndpointStore } from '../../../notifications/webhooks/store';

describe('webhook SSRF guard', () => {
  it('classifies private, link-local, CGNAT and multicast addresses as non-public', () => {
    for (const ip of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '127.0.0.1',
      '224.0.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ])
      expect(isNonPublicAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isNonPublicAddress(ip), ip).toBe(false);
  });

  it('refuses private targets, plain http to public hosts and credentials; allows https public and local development', async () => {
    for (const url of [
      'https://10.0.0.1/x',
      'http://169.254.169.254/latest',
      'http://bank.example.com/hook',
      'https://u:p@bank.example.com/x',
      'https://intranet.local/x',
    ])
      await expect(checkWebhookUrl(url), url).rejects.toBeInstanceOf(WebhookUrlRefused);
    expect(await checkWebhookUrl('https://8.8.8.8/hook')).toBe('https://8.8.8.8/hook');
    expect(await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowLoopback: true })).toBe('http://127.0.0.1:8080/hook');
  });

  it('re-checks at delivery: an endpoint that now points at a private address fails permanently, without a connection', async () => {
    const endpoints = new InMemoryWebhookEndpointStore();
    const log = new InMemoryWebhookDeliveryLog();
    await endpoints.register('bank', 'b1', 'https://10.9.8.7/hook'); // as if DNS had changed since registration
    const err = await deliverWebhook(
      { endpoints, log },
      {
        id: 'n1',
        event: 'newDirectedRequest',
        createdAt: new Date().toISOString(),
        financingRequestId: null,
        recipient: { type: 'bank', id: 'b1' },
        locale: 'zh-CN',
        title: 't',
        text: 'x',
        data: {},
      },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'permanent', code: 'url_refused' });
    const logged = await log.list('bank', 'b1', { limit: 10 });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.statusCode).toBeNull();
    expect(logged[0]!.durationMs).toBe(0);
  });
});

const payload = (recipientId: string): WebhookPayload => ({
  id: `n-${recipientId}`,
  event: 'newDirectedRequest',
  createdAt: new Date().toISOString(),
  financingRequestId: null,
  recipient: { type: 'bank', id: recipientId },
  locale: 'zh-CN',
  title: 't',
  text: 'x',
  data: {},
});

describe('webhook SSRF guard: address forms, development flag, resolution', () => {
  it('unwraps every IPv4-in-IPv6 form, also as the URL parser writes it (hex), and refuses non-global IPv6', async () => {
    for (const ip of [
      '::ffff:a00:5', // ::ffff:10.0.0.5 as WHATWG URL rewrites it
      '::ffff:a9fe:a9fe', // 169.254.169.254
      '::ffff:7f00:1',
      '64:ff9b::a00:5', // NAT64
      '2002:a00:5::1', // 6to4 of 10.0.0.5
      '::a00:5', // IPv4-compatible
      '2001::1', // Teredo
      '2001:db8::1', // documentation
      '64:ff9b:1::1', // local-use NAT64
      '100::1', // discard
      '198.18.0.1',
      '0.0.0.0',
      '255.255.255.255',
    ])
      expect(isNonPublicAddress(ip), ip).toBe(true);
    expect(isNonPublicAddress('::ffff:808:808')).toBe(false);
    for (const url of [
      'https://[::ffff:10.0.0.5]/',
      'https://[::ffff:a00:5]/',
      'https://[::ffff:169.254.169.254]/',
      'https://[64:ff9b::10.0.0.5]/',
      'https://[2002:a00:5::1]/',
    ])
      await expect(checkWebhookUrl(url), url).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('refuses loopback (also written 127.1, 2130706433, [::1], localhost) unless the development flag is set', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'https://127.0.0.1/hook', 'http://127.1/', 'http://2130706433/', 'http://[::1]/', 'https://localhost/'])
      await expect(checkWebhookUrl(url), url).rejects.toBeInstanceOf(WebhookUrlRefused);
    expect(await checkWebhookUrl('http://[::1]:9/x', { allowLoopback: true })).toBe('http://[::1]:9/x');
    // The flag admits loopback only, not the rest of the private space.
    await expect(checkWebhookUrl('http://10.0.0.1/', { allowLoopback: true })).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('refuses names that do not resolve, and names with any non-public address', async () => {
    await expect(checkWebhookUrl('https://nowhere.example/hook', { lookup: async () => [] })).rejects.toThrow(/does not resolve/);
    await expect(
      checkWebhookUrl('https://nowhere.example/hook', {
        lookup: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
        },
      }),
    ).rejects.toThrow(/does not resolve/);
    const mixed = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '::ffff:a00:5', family: 6 },
    ];
    await expect(checkWebhookUrl('https://rebind.example/hook', { lookup: mixed })).rejects.toThrow(/non-public/);
  });

  it('resolves once per delivery and connects to the checked address, keeping the host name (rebinding cannot redirect it)', async () => {
    const seen: { host?: string; path?: string }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      let lookups = 0;
      // Answers the loopback receiver first, then (as a rebinding server would) somewhere else.
      const lookup = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.9', family: 4 }]);
      const endpoints = new InMemoryWebhookEndpointStore();
      const log = new InMemoryWebhookDeliveryLog();
      await endpoints.register('bank', 'pin', `http://hooks.bank.test:${port}/in`);
      const r = await deliverWebhook({ endpoints, log, policy: { allowLoopback: true, lookup } }, payload('pin'));
      expect(r.providerMessageId).toMatch(/^webhook:/);
      expect(lookups).toBe(1);
      expect(seen).toEqual([{ host: `hooks.bank.test:${port}`, path: '/in' }]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('records a coarse outcome, never socket error codes', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const endpoints = new InMemoryWebhookEndpointStore();
    const log = new InMemoryWebhookDeliveryLog();
    await endpoints.register('bank', 'closed', `http://127.0.0.1:${port}/x`);
    const err = await deliverWebhook({ endpoints, log, policy: { allowLoopback: true } }, payload('closed')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'transient' });
    const [row] = await log.list('bank', 'closed');
    expect(row!.error).toBe('not delivered');
    expect(row!.statusCode).toBeNull();
  });
});
