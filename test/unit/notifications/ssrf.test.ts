// The SSRF guard, at registration and again at delivery (a host may resolve elsewhere later).
import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../../notifications/webhooks/deliver';
import { checkWebhookUrl, isNonPublicAddress, WebhookUrlRefused } from '../../../notifications/webhooks/ssrf';
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
    for (const ip of ['8.8.8.8', '203.0.113.10', '2001:db8::1']) expect(isNonPublicAddress(ip), ip).toBe(false);
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
    expect(await checkWebhookUrl('https://203.0.113.10/hook')).toBe('https://203.0.113.10/hook');
    expect(await checkWebhookUrl('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
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
