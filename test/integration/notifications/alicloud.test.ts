// The Alibaba Cloud SMS provider through the real @alicloud/dysmsapi20170525 SDK against a local
// HTTP server answering SendSms / QuerySendDetails the way the service documents them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlicloudProvider } from '../../../notifications/sms/alicloud';
import { DeliveryError } from '../../../notifications/errors';
import { ALICLOUD_TEMPLATE_CODES } from '../../../notifications/config';
import type { SmsProvider } from '../../../notifications/sms/provider';

interface Sent {
  action: string;
  query: URLSearchParams;
}
const requests: Sent[] = [];
const delivered: { OutId: string; PhoneNum: string; TemplateCode: string }[] = [];
let nextCode: string | undefined;
let server: http.Server;
let provider: SmsProvider;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const action = String(req.headers['x-acs-action'] ?? q.get('Action'));
      requests.push({ action, query: q });
      res.setHeader('content-type', 'application/json');
      if (action === 'SendSms') {
        const code = nextCode ?? 'OK';
        nextCode = undefined;
        if (code !== 'OK') return res.end(JSON.stringify({ Code: code, Message: code, RequestId: 'r' }));
        delivered.push({ OutId: q.get('OutId') ?? '', PhoneNum: q.get('PhoneNumbers') ?? '', TemplateCode: q.get('TemplateCode') ?? '' });
        return res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `${900000 + delivered.length}^0`, RequestId: 'r' }));
      }
      if (action === 'QuerySendDetails') {
        const list = delivered.filter((d) => d.PhoneNum === q.get('PhoneNumber')).map((d) => ({ ...d, SendStatus: 3, Content: '…' }));
        return res.end(JSON.stringify({ Code: 'OK', Message: 'OK', TotalCount: String(list.length), SmsSendDetailDTOs: { SmsSendDetailDTO: list } }));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ Code: 'InvalidAction', Message: action }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  provider = createAlicloudProvider({
    accessKeyId: 'LTAI-test',
    accessKeySecret: 'secret',
    signName: '贷桥',
    endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    protocol: 'http',
  });
});
afterAll(() => {
  server.close();
});

const input = {
  to: '+8613800138000',
  templateId: 'grabWon',
  params: { enterpriseName: '甲公司', deadline: '2026-11-27 17:00', requestRef: 'FR-1' },
  locale: 'zh-CN' as const,
  reference: 'REF123ABCD',
  text: 'ignored',
};

describe('Alibaba Cloud SMS provider', () => {
  it('sends the approved template code with JSON parameters and the row reference as OutId', async () => {
    const r = await provider.send(input);
    expect(r).toEqual({ providerMessageId: '900001^0', status: 'sent' });
    const q = requests.at(-1)!.query;
    expect(q.get('PhoneNumbers')).toBe('13800138000');
    expect(q.get('SignName')).toBe('贷桥');
    expect(q.get('TemplateCode')).toBe(ALICLOUD_TEMPLATE_CODES.grabWon);
    expect(JSON.parse(q.get('TemplateParam')!)).toEqual({ enterpriseName: '甲公司', deadline: '2026-11-27 17:00', requestRef: 'FR-1' });
    expect(q.get('OutId')).toBe('REF123ABCD');
  });

  it('finds an SMS already sent for a reference (crash recovery) and not one that was not', async () => {
    expect(await provider.findByReference!({ to: input.to, reference: 'REF123ABCD', since: new Date() })).toMatchObject({ status: 'sent' });
    expect(await provider.findByReference!({ to: input.to, reference: 'NOPE', since: new Date() })).toBeUndefined();
    expect(requests.filter((r) => r.action === 'QuerySendDetails').length).toBeGreaterThanOrEqual(2);
  });

  it('classifies business errors: illegal number permanent, flow control transient', async () => {
    nextCode = 'isv.MOBILE_NUMBER_ILLEGAL';
    await expect(provider.send(input)).rejects.toMatchObject({ kind: 'permanent', code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    nextCode = 'isv.BUSINESS_LIMIT_CONTROL';
    const err = await provider.send(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ kind: 'transient' });
  });
});
