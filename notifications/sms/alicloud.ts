// Alibaba Cloud SMS (阿里云短信服务) provider for mainland numbers. Chinese carriers deliver only
// pre-approved templates, so this provider sends a template code (config ALICLOUD_TEMPLATE_CODES)
// plus the parameters as JSON, never free text; the approval step is in docs/notifications.md.
// The row reference goes in OutId, which QuerySendDetails returns: that is how a retry after a
// crash finds an SMS already sent for the row.
import Dysmsapi, { QuerySendDetailsRequest, SendSmsRequest } from '@alicloud/dysmsapi20170525';
import * as OpenApi from '@alicloud/openapi-client';
import { ALICLOUD_TEMPLATE_CODES, SMS_TIMEOUT_MS } from '../config';
import { DeliveryError, networkErrorKind } from '../errors';
import type { TemplateId } from '../templates';
import type { SmsProvider, SmsSendInput, SmsSendResult } from './provider';

export interface AlicloudProviderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** Approved signature (签名), e.g. 贷桥. */
  signName: string;
  /** Default dysmsapi.aliyuncs.com; overridable for local servers. */
  endpoint?: string;
  protocol?: 'https' | 'http';
  templateCodes?: Partial<Record<TemplateId, string>>;
  timeoutMs?: number;
}

/** Business error codes that retrying cannot fix. */
const PERMANENT = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.INVALID_PARAMETERS',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.DENY_IP_RANGE',
]);

export function classifyAlicloudCode(code: string, message: string): DeliveryError {
  if (PERMANENT.has(code)) return new DeliveryError('permanent', message, code);
  // isv.BUSINESS_LIMIT_CONTROL (rate limit), isp.SYSTEM_ERROR, Throttling...: retry with backoff.
  return new DeliveryError('transient', message, code);
}

/** Template parameters must be strings of limited length for Alibaba Cloud. */
function templateParam(params: SmsSendInput['params']): string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) out[k] = String(v).slice(0, 35);
  return JSON.stringify(out);
}

function yyyymmddShanghai(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function createAlicloudProvider(opts: AlicloudProviderOptions): SmsProvider {
  const config = new OpenApi.Config({
    accessKeyId: opts.accessKeyId,
    accessKeySecret: opts.accessKeySecret,
    endpoint: opts.endpoint ?? 'dysmsapi.aliyuncs.com',
    protocol: opts.protocol ?? 'https',
    readTimeout: opts.timeoutMs ?? SMS_TIMEOUT_MS,
    connectTimeout: 5_000,
  });
  // The SDK's Config class comes from @alicloud/openapi-core; same shape.
  const client = new Dysmsapi(config as unknown as ConstructorParameters<typeof Dysmsapi>[0]);
  const codes = { ...ALICLOUD_TEMPLATE_CODES, ...opts.templateCodes };
  const phone = (to: string) => to.replace(/^\+86/, '');
  return {
    name: 'alicloud',
    async send(input: SmsSendInput): Promise<SmsSendResult> {
      const templateCode = codes[input.templateId as TemplateId];
      if (!templateCode) throw new DeliveryError('permanent', `no Alibaba Cloud template code for ${input.templateId}`, 'no_template_code');
      let body;
      try {
        const res = await client.sendSms(
          new SendSmsRequest({
            phoneNumbers: phone(input.to),
            signName: opts.signName,
            templateCode,
            templateParam: templateParam(input.params),
            outId: input.reference,
          }),
        );
        body = res.body;
      } catch (err) {
        const e = err as { code?: string; statusCode?: number; message?: string };
        if (typeof e.statusCode === 'number') {
          // An HTTP answer: the gateway did not take the message.
          throw classifyAlicloudCode(e.code ?? `http_${e.statusCode}`, e.message ?? String(err));
        }
        throw new DeliveryError(networkErrorKind(err), e.message ?? String(err), e.code);
      }
      if (body?.code !== 'OK' || !body.bizId) throw classifyAlicloudCode(body?.code ?? 'unknown', body?.message ?? 'SendSms failed');
      return { providerMessageId: body.bizId, status: 'sent' };
    },
    async findByReference({ to, reference, since }) {
      const days = new Set([yyyymmddShanghai(since), yyyymmddShanghai(new Date())]);
      try {
        for (const sendDate of days) {
          const res = await client.querySendDetails(new QuerySendDetailsRequest({ phoneNumber: phone(to), sendDate, pageSize: 50, currentPage: 1 }));
          const hit = res.body?.smsSendDetailDTOs?.smsSendDetailDTO?.find((d) => d.outId === reference);
          // QuerySendDetails does not return the BizId; the reference identifies the message.
          if (hit) return { providerMessageId: `alicloud-out:${reference}`, status: 'sent' };
        }
        return undefined;
      } catch (err) {
        throw new DeliveryError(networkErrorKind(err) === 'transient' ? 'transient' : 'ambiguous', `alicloud lookup failed: ${(err as Error).message}`);
      }
    },
  };
}
