// A local server speaking Twilio's Messages API (2010-04-01), its request validation derived from
// Twilio's official OpenAPI description (/work/shared/specs/twilio_api_v2010.json): the path and
// its AccountSid pattern, HTTP basic auth (the spec's security scheme), the form fields the spec
// declares (unknown fields rejected), their types/formats, and the required ones; plus the rules
// the spec states in prose (From or MessagingServiceSid; Body, MediaUrl or ContentSid).
// Responses carry every property of the spec's message schema. It can be told to fail.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

const SPEC_PATH = process.env.TWILIO_SPEC ?? '/work/shared/specs/twilio_api_v2010.json';
const MESSAGES_PATH = '/2010-04-01/Accounts/{AccountSid}/Messages.json';

interface SchemaProp {
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  items?: SchemaProp;
  $ref?: string;
  enum?: string[];
}

export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  statusCallback: string | null;
  dateCreated: Date;
  status: string;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  messages: FakeMessage[];
  /** Every request received (method, path, time, answered status). */
  requests: { method: string; path: string; at: number; status: number }[];
  /** Answer the next n create requests with this HTTP status (and Twilio error code). */
  failNext(n: number, status: number, code?: number): void;
  invalidNumbers: Set<string>;
  /** Spec violations seen (should stay empty). */
  violations: string[];
  close(): Promise<void>;
}

function resolveRef(spec: any, p: SchemaProp): SchemaProp {
  if (!p.$ref) return p;
  const parts = p.$ref.replace(/^#\//, '').split('/');
  let cur = spec;
  for (const k of parts) cur = cur[k];
  return cur as SchemaProp;
}

export function loadMessagesContract(specPath = SPEC_PATH) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const op = spec.paths[MESSAGES_PATH];
  const create = op.post.requestBody.content['application/x-www-form-urlencoded'].schema;
  const accountSid = (op.post.parameters as any[]).find((x) => x.name === 'AccountSid').schema as SchemaProp;
  const messageSchema = spec.components.schemas['api.v2010.account.message'];
  const listQuery = (op.get.parameters as any[]).filter((x) => x.in === 'query').map((x) => x.name as string);
  return {
    spec,
    required: create.required as string[],
    props: Object.fromEntries(Object.entries(create.properties as Record<string, SchemaProp>).map(([k, v]) => [k, resolveRef(spec, v)])),
    accountSidPattern: new RegExp(accountSid.pattern as string),
    messageProps: Object.keys(messageSchema.properties) as string[],
    listQuery,
    listProps: Object.keys(op.get.responses['200'].content['application/json'].schema.properties) as string[],
    createStatus: Number(Object.keys(op.post.responses)[0]),
  };
}

function checkValue(name: string, v: unknown, p: SchemaProp): string | undefined {
  const values = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && p.type !== 'array') return `${name}: repeated`;
  const item = p.type === 'array' ? (p.items ?? {}) : p;
  for (const x of values) {
    if (typeof x !== 'string') return `${name}: not a form value`;
    if (item.type === 'integer' && !/^-?\d+$/.test(x)) return `${name}: not an integer`;
    if (item.type === 'number' && Number.isNaN(Number(x))) return `${name}: not a number`;
    if (item.type === 'boolean' && !['true', 'false'].includes(x)) return `${name}: not a boolean`;
    if (item.format === 'uri' && !/^https?:\/\/[^_\s]+$/.test(x)) return `${name}: not a URI without underscores`;
    if (item.format === 'phone-number' && !/^(\+[1-9]\d{6,14}|[a-z]+:\+?\d+)$/.test(x)) return `${name}: not E.164`;
    if (item.pattern && !new RegExp(item.pattern).test(x)) return `${name}: does not match ${item.pattern}`;
    if (item.minLength !== undefined && x.length < item.minLength) return `${name}: too short`;
    if (item.maxLength !== undefined && x.length > item.maxLength) return `${name}: too long`;
    if (item.enum && !item.enum.includes(x)) return `${name}: not one of ${item.enum.join(',')}`;
  }
  return undefined;
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

export async function startFakeTwilio(opts: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const c = loadMessagesContract();
  const accountSid = opts.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = opts.authToken ?? randomBytes(16).toString('hex');
  const app = express();
  const failures: { status: number; code?: number }[] = [];
  const state: Omit<FakeTwilio, 'baseUrl' | 'close'> = {
    accountSid,
    authToken,
    messages: [],
    requests: [],
    invalidNumbers: new Set(),
    violations: [],
    failNext(n, status, code) {
      for (let i = 0; i < n; i++) failures.push({ status, code });
    },
  };
  const error = (res: express.Response, status: number, code: number, message: string) => {
    res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  };
  const toJson = (m: FakeMessage) => {
    const full: Record<string, unknown> = {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: m.status === 'queued' ? null : rfc2822(m.dateCreated),
      date_updated: rfc2822(m.dateCreated),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.ceil(m.body.length / 70)),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    };
    // Exactly the spec's properties.
    return Object.fromEntries(c.messageProps.map((k) => [k, full[k] ?? null]));
  };

  app.use((req, res, next) => {
    res.on('finish', () => state.requests.push({ method: req.method, path: req.path, at: Date.now(), status: res.statusCode }));
    next();
  });
  const auth: express.RequestHandler = (req, res, next) => {
    const sid = req.params.AccountSid as string;
    if (!c.accountSidPattern.test(sid)) {
      state.violations.push(`AccountSid ${sid}`);
      return error(res, 404, 20404, 'The requested resource was not found');
    }
    const [user, pass] = Buffer.from((req.header('authorization') ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    if (user !== accountSid || pass !== authToken || sid !== accountSid) return error(res, 401, 20003, 'Authenticate');
    next();
  };
  const path = '/2010-04-01/Accounts/:AccountSid/Messages.json';
  app.post(path, express.urlencoded({ extended: false }), auth, (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      state.violations.push('content-type');
      return error(res, 400, 20001, 'form body expected');
    }
    const body = req.body as Record<string, unknown>;
    const problems: string[] = [];
    for (const r of c.required) if (body[r] === undefined || body[r] === '') problems.push(`${r} is required`);
    for (const [k, v] of Object.entries(body)) {
      const p = c.props[k];
      if (!p) problems.push(`${k} is not a parameter of CreateMessageRequest`);
      else {
        const bad = checkValue(k, v, p);
        if (bad) problems.push(bad);
      }
    }
    if (!body.From && !body.MessagingServiceSid) problems.push('From or MessagingServiceSid is required');
    if (!body.Body && !body.MediaUrl && !body.ContentSid) problems.push('Body, MediaUrl or ContentSid is required');
    if (problems.length) {
      state.violations.push(...problems);
      return error(res, 400, 21604, problems.join('; '));
    }
    const f = failures.shift();
    if (f) return error(res, f.status, f.code ?? (f.status === 429 ? 20429 : 20500), f.status === 429 ? 'Too Many Requests' : 'Internal Server Error');
    if (state.invalidNumbers.has(body.To as string)) return error(res, 400, 21211, `The 'To' number ${body.To} is not a valid phone number.`);
    const m: FakeMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to: body.To as string,
      from: (body.From as string) ?? null,
      body: (body.Body as string) ?? '',
      statusCallback: (body.StatusCallback as string) ?? null,
      dateCreated: new Date(Math.floor(Date.now() / 1000) * 1000),
      status: 'queued',
    };
    state.messages.push(m);
    res.status(c.createStatus).json(toJson(m));
  });
  app.get(path, auth, (req, res) => {
    const q = req.query as Record<string, string>;
    for (const k of Object.keys(q)) if (!c.listQuery.includes(k)) state.violations.push(`list query ${k}`);
    const pageSize = Number(q.PageSize ?? 50);
    const list = state.messages
      .filter((m) => (!q.To || m.to === q.To) && (!q.From || m.from === q.From))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
      .slice(0, pageSize);
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json?PageSize=${pageSize}&Page=0`;
    const full: Record<string, unknown> = {
      end: Math.max(0, list.length - 1),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
      messages: list.map(toJson),
    };
    res.json(Object.fromEntries(c.listProps.map((k) => [k, full[k] ?? null])));
  });
  app.use((req, res) => {
    state.violations.push(`${req.method} ${req.path} not in the contract`);
    error(res, 404, 20404, 'The requested resource was not found');
  });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    ...state,
    get messages() {
      return state.messages;
    },
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  } as FakeTwilio;
}
