// The stateful half of the fuzz test: randomised journeys through the API, each on fresh fixtures it
// creates itself, with ids the caller owns and a fresh Idempotency-Key per intended change (a few
// replayed on purpose). Every id an answer returns goes into `Links`, so the generated calls of
// fuzz.test.ts reach real objects in every state a journey leaves them in.
import { randomUUID } from 'node:crypto';
import seedrandom from 'seedrandom';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { PORTRAIT_SECTIONS } from '../../domain/credit/portrait';
import { GUARANTEE_METHODS, REPAYMENT_METHODS } from '../../domain/vocabulary';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';

export const BANKS = ['hecheng-rcb', 'suzhou-bank', 'icbc-jiaxing', 'jiaxing-bank'] as const;
export const GUARANTOR = 'jiaxing-guarantee-fund';
const WAN = 1_000_000;
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}
/** One call: caller is a demo principal name ('enterprise', 'bank:<id>', …) or an Authorization header value. */
export type Send = (
  method: string,
  path: string,
  opts?: { as?: string; body?: unknown; key?: string | false; form?: Record<string, string>; redirect?: boolean },
) => Promise<Reply>;

/** Ids seen in answers, by the path parameter they fill (`linkKey`). */
export type Links = Record<string, string[]>;

/** Resources whose path parameter is plain `{id}`, by path prefix. */
const ID_OF: Array<[string, string]> = [
  ['/v1/financing-requests', 'requestId'],
  ['/v1/products', 'productId'],
  ['/v1/loan-codes', 'code'],
  ['/v1/push-lists', 'pushListId'],
  ['/v1/supervision/reports', 'reportId'],
  ['/v1/api-keys', 'apiKeyId'],
  ['/v1/webhook-deliveries', 'deliveryId'],
];

/**
 * Which list of `Links` fills parameter `name` of path `template` for caller `who`: a bank acts on
 * the requests it holds a claim on and reads the push lists pushed to it.
 */
export function linkKey(template: string, name: string, who = ''): string {
  const bank = who.startsWith('bank:') ? who.slice(5) : undefined;
  if (bank && name === 'id' && /^\/v1\/financing-requests\/\{id\}\/(?!grab)/.test(template)) return `claim:${bank}`;
  if (bank && name === 'id' && template.startsWith('/v1/push-lists/')) return `pushListId:${bank}`;
  return name === 'id' ? (ID_OF.find(([prefix]) => template.startsWith(prefix))?.[1] ?? name) : name;
}

/** Claims (request id and bank) for the paths naming both, for the callers acting on them. */
export function claimPairs(template: string, links: Links): string[] | undefined {
  if (template.startsWith('/v1/financing-requests/{id}/guarantees/')) return links.guarantee;
  if (template.startsWith('/v1/supervision/claims/'))
    return Object.entries(links).flatMap(([k, ids]) => (k.startsWith('claim:') ? ids.map((id) => `${id}/${k.slice(6)}`) : []));
  return undefined;
}

export function link(links: Links, name: string, value: string | undefined | null): void {
  if (!value) return;
  const l = (links[name] ??= []);
  if (!l.includes(value)) l.push(value);
  if (l.length > 200) l.shift();
}

export interface Rnd {
  /** An integer in [min, max]. */
  nextInt(min: number, max: number): number;
  nextBoolean(): boolean;
}

/** A seeded source, so a seed replays the journeys' choices. */
export function seededRnd(seed: number): Rnd {
  const next = seedrandom(String(seed));
  return { nextInt: (min, max) => min + Math.floor(next() * (max - min + 1)), nextBoolean: () => next() < 0.5 };
}

export interface Ctx {
  send: Send;
  links: Links;
  rnd: Rnd;
  /** Creates rows no API call can (a report, an enterprise waiting for review). */
  fixtures: { report(): Promise<string>; pendingEnterprise(): Promise<string> };
  /** How many journeys of each kind have started. */
  seq: Record<string, number>;
  /** The webhook receiver the banks register. */
  hookUrl: string;
}

const pick = <T>(r: Rnd, a: readonly T[]): T => a[r.nextInt(0, a.length - 1)]!;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function newCreditCode(r: Rnd): string {
  let body = '91330402';
  for (let i = 0; i < 9; i++) body += ALPHABET[r.nextInt(0, ALPHABET.length - 1)];
  return body + creditCodeCheckChar(body)!;
}

/** Repeats `call` while it answers one of `waitFor` (the workflow has not got there yet), up to ~20 s. */
async function until(call: () => Promise<Reply>, waitFor: number[], tries = 40): Promise<Reply> {
  let r = await call();
  for (let i = 0; i < tries && waitFor.includes(r.status); i++) {
    await sleep(500);
    r = await call();
  }
  return r;
}

function need(amount = 0): { amountFen: number; termMonths: number; purpose: string; guaranteeMethod: string } {
  return { amountFen: amount, termMonths: 12, purpose: 'fuzz journey working capital', guaranteeMethod: 'credit' };
}

/** Directed request through the whole lifecycle, with a random ending. */
async function directed(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const bank = pick(rnd, BANKS);
  const asBank = `bank:${bank}`;
  const body = {
    ...need(rnd.nextInt(10, 500) * WAN),
    termMonths: rnd.nextInt(6, 36),
    guaranteeMethod: pick(rnd, GUARANTEE_METHODS),
    routing: 'directed',
    directedBankIds: [bank],
    dataConsent: true,
  };
  const key = `fz-${randomUUID()}`;
  const pub = await send('POST', '/v1/financing-requests', { as: 'enterprise', body, key });
  if (pub.status !== 201) return;
  const id = pub.body.id as string;
  link(c.links, 'requestId', id);
  link(c.links, `claim:${bank}`, id);
  if (rnd.nextInt(0, 4) === 0) await send('POST', '/v1/financing-requests', { as: 'enterprise', body, key }); // a retry: the same answer
  await until(async () => {
    const r = await send('GET', `/v1/financing-requests/${id}`, { as: 'enterprise' });
    return { ...r, status: r.body?.claims?.length ? r.status : 0 };
  }, [0]);
  // The first ten take every ending once; later ones draw.
  const n = (c.seq.directed = (c.seq.directed ?? 0) + 1);
  const ending = n <= 10 ? n - 1 : rnd.nextInt(0, 9);
  if (ending === 0) return void (await send('POST', `/v1/financing-requests/${id}/reject`, { as: asBank, body: { reason: 'outside our appetite' } }));
  if (ending === 1) return void (await send('POST', `/v1/financing-requests/${id}/withdraw`, { as: 'enterprise', body: { reason: 'no longer needed' } }));
  if ((await send('POST', `/v1/financing-requests/${id}/accept`, { as: asBank, body: {} })).status !== 200) return;
  await send('POST', `/v1/supervision/claims/${id}/${bank}/nudge`, { as: 'supervisor', body: { reason: 'please move on' } });
  await send('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait?sections=registration`, { as: asBank });
  await send('POST', `/v1/financing-requests/${id}/start-review`, { as: asBank, body: {} });
  await send('POST', `/v1/supervision/claims/${id}/${bank}/extend-deadline`, { as: 'supervisor', body: { reason: 'documents late', businessDays: 1 } });
  if (ending === 2) return void (await send('POST', `/v1/financing-requests/${id}/decline`, { as: asBank, body: { reason: 'cash flow too thin' } }));
  const guarantee = ending >= 7;
  const offer = {
    approvedAmountFen: body.amountFen - rnd.nextInt(0, 5) * WAN,
    annualRateBp: rnd.nextInt(350, 800),
    termMonths: body.termMonths,
    repaymentMethod: pick(rnd, REPAYMENT_METHODS),
  };
  const approved = await send('POST', `/v1/financing-requests/${id}/approve`, {
    as: asBank,
    body: { ...offer, ...(guarantee ? { guaranteeInstitutionId: GUARANTOR } : {}) },
  });
  if (approved.status !== 200) return;
  if (guarantee) link(c.links, 'guarantee', `${id}/${bank}`);
  if (ending === 3)
    return void (await send('POST', `/v1/supervision/claims/${id}/${bank}/release`, { as: 'supervisor', body: { reason: 'bank unresponsive' } }));
  await until(() => send('POST', `/v1/financing-requests/${id}/choose-offer`, { as: 'enterprise', body: { bankId: bank } }), [409]);
  if (guarantee) {
    const decline = ending === 9;
    const g = await until(
      () =>
        send('POST', `/v1/financing-requests/${id}/guarantees/${bank}/${decline ? 'decline' : 'approve'}`, {
          as: 'guaranteeInstitution',
          body: decline ? { reason: 'collateral too weak' } : { feeFen: rnd.nextInt(0, 20) * 10_000 },
        }),
      [404, 409],
    );
    if (g.status !== 200) return;
    if (decline) await until(() => send('POST', `/v1/financing-requests/${id}/continue-without-guarantee`, { as: asBank, body: {} }), [409]);
  }
  const disbursed = await until(
    () =>
      send('POST', `/v1/financing-requests/${id}/disburse`, {
        as: asBank,
        body: {
          amountFen: offer.approvedAmountFen,
          annualRateBp: offer.annualRateBp,
          termMonths: offer.termMonths,
          repaymentMethod: offer.repaymentMethod,
          disbursedOn: shanghaiToday(),
        },
      }),
    [409],
  );
  if (disbursed.status !== 200) return;
  const score = () => rnd.nextInt(1, 5);
  await until(
    () =>
      send('POST', `/v1/financing-requests/${id}/rating`, {
        as: 'enterprise',
        body: { meetsNeed: score(), cost: score(), speed: score(), communication: score() },
      }),
    [409],
  );
}

/** A pool request grabbed by a bank, sometimes released by a supervisor. */
async function pool(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const pub = await send('POST', '/v1/financing-requests', {
    as: 'enterprise',
    body: { ...need(rnd.nextInt(10, 500) * WAN), routing: 'pool' },
    key: `fz-${randomUUID()}`,
  });
  if (pub.status !== 201) return;
  const id = pub.body.id as string;
  link(c.links, 'requestId', id);
  const bank = pick(rnd, BANKS);
  const grabbed = await until(() => send('POST', `/v1/financing-requests/${id}/grab`, { as: `bank:${bank}`, body: {} }), [404, 409]);
  if (grabbed.status === 200) link(c.links, `claim:${bank}`, id);
  if (grabbed.status === 200 && rnd.nextBoolean())
    await until(
      () => send('POST', `/v1/supervision/claims/${id}/${bank}/release`, { as: 'supervisor', body: { reason: 'bank unresponsive' } }),
      [404, 409],
      10,
    );
}

/** A bank's product: published, read, changed; an enterprise applies to a demo product. */
async function products(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const bank = pick(rnd, BANKS);
  const min = rnd.nextInt(1, 50) * WAN;
  const created = await send('POST', '/v1/products', {
    as: `bank:${bank}`,
    body: {
      name: `fuzz product ${rnd.nextInt(0, 1e6)}`,
      minAmountFen: min,
      maxAmountFen: min + rnd.nextInt(1, 500) * WAN,
      minTermMonths: 1,
      maxTermMonths: rnd.nextInt(12, 60),
      minAnnualRateBp: 350,
      maxAnnualRateBp: rnd.nextInt(400, 900),
      guaranteeMethods: [pick(rnd, GUARANTEE_METHODS)],
    },
  });
  if (created.status === 201) {
    link(c.links, 'productId', created.body.id);
    await send('GET', `/v1/products/${created.body.id}`, { as: 'enterprise' });
    await send('PATCH', `/v1/products/${created.body.id}`, { as: `bank:${bank}`, body: { description: 'changed by the fuzz journey' } });
  }
  const page = await send('GET', `/v1/products?bankId=${pick(rnd, BANKS)}`, { as: 'enterprise' });
  const demo = (page.body?.items ?? []).find((p: { name: string; status: string }) => p.status === 'active' && !p.name.startsWith('fuzz'));
  if (demo) {
    const applied = await send('POST', `/v1/products/${demo.id}/apply`, { as: 'enterprise', body: need(rnd.nextInt(10, 300) * WAN) });
    link(c.links, 'requestId', applied.body?.id);
  }
  await send('GET', '/v1/product-matches', { as: `bank:${bank}` });
}

/** A portrait grant: given, used, audited, revoked. */
async function grants(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const bank = pick(rnd, BANKS);
  const g = await send('POST', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-grants`, {
    as: 'enterprise',
    body: { bankId: bank, sections: [pick(rnd, PORTRAIT_SECTIONS)], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  if (g.status !== 201) return;
  link(c.links, 'grantId', g.body.id);
  await send('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait`, { as: `bank:${bank}` });
  await send('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-reads`, { as: 'enterprise' });
  await send('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-grants`, { as: 'enterprise' });
  if (rnd.nextBoolean()) await send('POST', `/v1/enterprises/${DEMO_ENTERPRISE_ID}/portrait-grants/${g.body.id}/revoke`, { as: 'enterprise', body: {} });
}

/** A loan code: created, its QR codes, the public form filled in, the tracking page, deactivated. */
async function loanCodes(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const bank = `bank:${pick(rnd, BANKS)}`;
  const code = await send('POST', '/v1/loan-codes', { as: bank, body: { label: 'fuzz counter' } });
  if (code.status !== 201) return;
  const id = code.body.id as string;
  link(c.links, 'code', id);
  await send('GET', `/v1/loan-codes/${id}/qr.png`, { as: bank });
  await send('GET', `/v1/loan-codes/${id}/qr.svg`, { as: bank });
  const page = await send('GET', `/l/${id}`, { key: false });
  const token = /name="formToken" value="([^"]+)"/.exec(String(page.body))?.[1];
  if (token) {
    const posted = await send('POST', `/l/${id}`, {
      key: false,
      redirect: false,
      form: {
        formToken: token,
        companyName: `嘉兴模糊测试${rnd.nextInt(0, 1e6)}有限公司`,
        creditCode: newCreditCode(rnd),
        contactName: '王五',
        mobile: `139${String(rnd.nextInt(0, 99_999_999)).padStart(8, '0')}`,
        amountWan: String(rnd.nextInt(10, 300)),
        termMonths: '12',
        purpose: '购买设备 equipment',
      },
    });
    const tracking = /\/t\/([^/?#]+)/.exec(posted.headers.get('location') ?? '')?.[1];
    if (tracking) {
      link(c.links, 'token', tracking);
      await send('GET', `/t/${tracking}`, { key: false });
    }
  }
  if (rnd.nextInt(0, 2) === 0) await send('POST', `/v1/loan-codes/${id}/deactivate`, { as: bank, body: {} });
}

/** A push list built from credit codes, pushed to a bank that reads it and records an action. */
async function pushLists(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const ent = await send('GET', `/v1/enterprises/${DEMO_ENTERPRISE_ID}`, { as: 'supervisor' });
  const list = await send('POST', '/v1/push-lists', { as: 'supervisor', body: { name: `fuzz list ${rnd.nextInt(0, 1e6)}`, csv: `${ent.body.creditCode}\n` } });
  if (list.status !== 201) return;
  link(c.links, 'pushListId', list.body.id);
  const bank = pick(rnd, BANKS);
  await send('POST', `/v1/push-lists/${list.body.id}/push`, { as: 'supervisor', body: { bankIds: [bank] } });
  link(c.links, `pushListId:${bank}`, list.body.id);
  await send('GET', '/v1/push-lists/inbox', { as: `bank:${bank}` });
  await send('GET', `/v1/push-lists/${list.body.id}`, { as: `bank:${bank}` });
  await send('POST', `/v1/push-lists/${list.body.id}/actions`, { as: `bank:${bank}`, body: { enterpriseId: DEMO_ENTERPRISE_ID, action: 'contacted' } });
}

/** Principals and keys: an admin creates a bank user, who makes and revokes a key; enterprises registered and reviewed. */
async function access(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const p = await send('POST', '/v1/principals', { as: 'admin', body: { role: 'bank', name: 'fuzz bank user', bankId: pick(rnd, BANKS) } });
  if (p.status === 201) {
    const auth = `Bearer ${p.body.apiKey.key}`;
    await send('GET', '/v1/me', { as: auth });
    const k = await send('POST', '/v1/api-keys', { as: auth, body: { name: 'second key' } });
    if (k.status === 201) {
      link(c.links, 'apiKeyId', k.body.id);
      await send('DELETE', `/v1/api-keys/${k.body.id}`, { as: auth, key: false });
    }
    const token = await send('POST', '/v1/auth/token', { key: false, body: { apiKey: p.body.apiKey.key } });
    if (token.status === 200) await send('GET', '/v1/inbox', { as: `Bearer ${token.body.token}` });
  }
  const e = await send('POST', '/v1/enterprises', {
    as: 'supervisor',
    body: {
      creditCode: newCreditCode(rnd),
      name: `嘉兴模糊测试${rnd.nextInt(0, 1e6)}有限公司`,
      contactName: '李四',
      contactMobile: `+86139${String(rnd.nextInt(0, 99_999_999)).padStart(8, '0')}`,
      industry: 'C',
      region: '330400',
      registeredCapitalFen: rnd.nextInt(1, 1000) * WAN,
    },
  });
  if (e.status === 201) link(c.links, 'enterpriseId', e.body.id);
  const pending = await c.fixtures.pendingEnterprise();
  await send('POST', `/v1/enterprises/${pending}/review`, {
    as: 'supervisor',
    body: { decision: rnd.nextBoolean() ? 'approve' : 'reject', reason: 'checked by the fuzz journey' },
  });
}

/** Webhooks and preferences of a bank; a delivery replayed once the endpoint has logged one. */
async function webhooks(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const bank = pick(rnd, BANKS);
  const as = `bank:${bank}`;
  await send('POST', '/v1/webhook-endpoints', { as, body: { recipientType: 'bank', recipientId: bank, url: c.hookUrl } });
  await send('GET', `/v1/webhook-endpoints?recipientType=bank&recipientId=${bank}`, { as });
  // Webhooks on and no quiet hours, so the request below is delivered now.
  await send('PUT', `/v1/notification-preferences/bank/${bank}`, {
    as,
    body: { locale: pick(rnd, ['zh-CN', 'en']), channels: { webhook: true }, quietHours: null },
  });
  await send('GET', `/v1/notification-preferences/bank/${bank}`, { as });
  await send('POST', '/v1/financing-requests', {
    as: 'enterprise',
    body: { ...need(rnd.nextInt(10, 300) * WAN), routing: 'directed', directedBankIds: [bank] },
  });
  const log = await until(
    async () => {
      const r = await send('GET', `/v1/webhook-deliveries?recipientType=bank&recipientId=${bank}`, { as });
      return { ...r, status: r.body?.items?.length ? r.status : 0 };
    },
    [0],
    20,
  );
  const delivery = log.body?.items?.[0]?.id as string | undefined;
  if (delivery) {
    link(c.links, 'deliveryId', delivery);
    await send('POST', `/v1/webhook-deliveries/${delivery}/replay`, { as, body: {} });
  }
}

/** What overseers and every role read. */
async function reads(c: Ctx): Promise<void> {
  const { send, rnd } = c;
  const report = await c.fixtures.report();
  link(c.links, 'reportId', report);
  for (const [method, path, as] of [
    ['GET', '/healthz', undefined],
    ['GET', '/openapi.json', undefined],
    ['GET', `/problems/${pick(rnd, ['not-found', 'validation-failed', 'slots-full'])}?lang=${pick(rnd, ['zh', 'en'])}`, undefined],
    ['GET', '/dashboard', undefined],
    ['GET', `/dashboard/assets/${pick(rnd, ['app.js', 'i18n.js', 'style.css'])}`, undefined],
    ['GET', '/metrics', undefined],
    ['GET', '/v1/me', 'enterprise'],
    ['GET', '/v1/principals', 'admin'],
    ['GET', '/v1/api-keys', pick(rnd, ['enterprise', 'admin', 'supervisor'])],
    ['GET', '/v1/enterprises?status=active', 'supervisor'],
    ['GET', `/v1/inbox`, pick(rnd, ['enterprise', 'guaranteeInstitution', `bank:${pick(rnd, BANKS)}`])],
    ['GET', '/v1/financing-requests?limit=5', pick(rnd, ['enterprise', 'supervisor', `bank:${pick(rnd, BANKS)}`])],
    ['GET', `/v1/financing-requests/${pick(rnd, c.links.requestId ?? [randomUUID()])}`, 'enterprise'],
    ['GET', '/v1/loan-codes', `bank:${pick(rnd, BANKS)}`],
    ['GET', '/v1/supervision/stuck', 'supervisor'],
    ['GET', '/v1/supervision/stuck/crosscheck', 'supervisor'],
    ['GET', '/v1/supervision/assessment', 'supervisor'],
    ['GET', '/v1/supervision/ranking', 'supervisor'],
    ['GET', '/v1/supervision/ranking/me', `bank:${pick(rnd, BANKS)}`],
    ['GET', '/v1/supervision/reports', 'supervisor'],
    ['GET', `/v1/supervision/reports/${report}.html`, 'supervisor'],
    ['GET', `/v1/supervision/reports/${report}.pdf`, 'supervisor'],
    ['GET', '/v1/statistics', 'supervisor'],
    ['GET', '/v1/push-lists', 'supervisor'],
    ['GET', '/v1/notifications/failed', 'supervisor'],
    ['GET', '/v1/products', 'enterprise'],
  ] as const)
    await send(method, path, { as, key: false });
}

export const JOURNEYS = { directed, pool, products, grants, loanCodes, pushLists, access, webhooks, reads };
/** How often each journey is drawn: the lifecycle most, as it has the most operations. */
export const JOURNEY_WEIGHTS: Record<keyof typeof JOURNEYS, number> = {
  directed: 8,
  pool: 3,
  products: 2,
  grants: 2,
  loanCodes: 2,
  pushLists: 1,
  access: 1,
  webhooks: 2,
  reads: 2,
};
