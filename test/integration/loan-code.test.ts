// Loan code (贷款码) end to end: a bank creates a code through the API and fetches its QR codes;
// real Chromium at phone size opens the form, sees the bank preselected, gets a field error for a
// bad credit code (422), submits, types the SMS code the platform sent (dev inbox), lands on the
// tracking page; the request reaches the bank's inbox. Forgery regressions: identity.test.ts.
// Without Chromium the browser part fails in CI and is skipped (with a message) elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { QR_OPTIONS } from '../../api/routes/loanCodes';
import { as, startTestStack, type TestStack } from '../support/stack';
import { ARTIFACTS, haveChromium, launchChromium, noChromiumMessage, warnIfNoChromium } from '../support/chromium';
import { eventually } from '../support/eventually';
import { codeFromDevInbox } from '../support/sms';

warnIfNoChromium('loan-code.test');

const BANK = 'bank:hecheng-rcb';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A random valid unified social credit code (Jiaxing, enterprise legal person). */
function newCreditCode(): string {
  let body = '91330402';
  for (let i = 0; i < 9; i++) body += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return body + creditCodeCheckChar(body)!;
}
const withWrongCheckChar = (code: string) => code.slice(0, 17) + ALPHABET[(ALPHABET.indexOf(code[17]!) + 1) % ALPHABET.length];
/** An input or select in the page (the test compiles without the DOM library). */
type Field = { value: string };
const key = (k: string) => ({ 'Idempotency-Key': `${k}-${Math.random().toString(36).slice(2, 10)}` });

let s: TestStack;
let code: { id: string; url: string };

beforeAll(async () => {
  // Budgets relaxed: this file sends many codes from one address to few numbers.
  s = await startTestStack({
    apiConfig: {
      rateLimits: { perPrincipalPerMinute: 5000, publicPerIpPerMinute: 1000 },
      oneTimeCodes: { resendIntervalMs: 0, perNumberPerHour: 1000, perNumberPerDay: 1000, perIpPerHour: 100_000 },
    },
  });
  const created = await s.api('POST', '/v1/loan-codes', { label: 'Nanhu counter', branch: '南湖支行 Nanhu branch' }, { ...as(BANK), ...key('code') });
  expect(created.status).toBe(201);
  code = created.body;
});
afterAll(async () => {
  await s?.close();
});

const formToken = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)?.[1];
const challengeOf = (html: string) => /name="challengeId" value="([^"]+)"/.exec(html)?.[1];

/** Types the code the platform sent (read from the dev inbox) into the code step of a form answer. */
async function verifyWithSms(id: string, codePage: string, creditCode: string, typed?: string) {
  const challengeId = challengeOf(codePage)!;
  const enterprise = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
  const row = await s.db.prisma.oneTimeCode.findUniqueOrThrow({ where: { id: challengeId } });
  const sms = typed ?? (await codeFromDevInbox(s.db.prisma, enterprise.id, row.createdAt));
  return fetch(`${s.apiUrl}/l/${id}/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ challengeId, code: sms }),
  });
}

async function postForm(id: string, fields: Record<string, string>) {
  return fetch(`${s.apiUrl}/l/${id}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

describe('loan code API', () => {
  it('creates a code with a short URL-safe id whose URL is the public form; a retry answers the same', async () => {
    expect(code.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(code.url).toBe(`${s.apiUrl}/l/${code.id}`);
    expect(code).toMatchObject({ bankId: 'hecheng-rcb', branch: '南湖支行 Nanhu branch', label: 'Nanhu counter', active: true });
    const k = key('same');
    const a = await s.api('POST', '/v1/loan-codes', {}, { ...as(BANK), ...k });
    const b = await s.api('POST', '/v1/loan-codes', {}, { ...as(BANK), ...k });
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const list = await s.api('GET', '/v1/loan-codes', undefined, as(BANK));
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([code.id, a.body.id]));
    expect((await s.api('POST', '/v1/loan-codes', { region: '33040' }, { ...as(BANK), ...key('bad') })).status).toBe(400);
    expect((await s.api('POST', '/v1/loan-codes', {}, { ...as('enterprise'), ...key('ent') })).status).toBe(403);
  });

  it('serves PNG and SVG QR codes that encode the form URL, to the owning bank only', async () => {
    const png = await fetch(`${s.apiUrl}/v1/loan-codes/${code.id}/qr.png`, { headers: as(BANK) });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // The qrcode library is deterministic: the same URL and options give the same image, another URL another one.
    expect(bytes.equals(await QRCode.toBuffer(code.url, { ...QR_OPTIONS, type: 'png' }))).toBe(true);
    expect(bytes.equals(await QRCode.toBuffer(`${code.url}x`, { ...QR_OPTIONS, type: 'png' }))).toBe(false);

    const svg = await fetch(`${s.apiUrl}/v1/loan-codes/${code.id}/qr.svg`, { headers: as(BANK) });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const text = await svg.text();
    expect(text).toMatch(/^<svg /);
    expect(text).toBe(await QRCode.toString(code.url, { ...QR_OPTIONS, type: 'svg' }));

    for (const fmt of ['png', 'svg']) {
      const other = await s.api('GET', `/v1/loan-codes/${code.id}/qr.${fmt}`, undefined, as('bank:jiaxing-bank'));
      expect(other.status).toBe(404);
      expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await s.api('GET', `/v1/loan-codes/${code.id}/qr.png`)).status).toBe(401);
  });

  it('re-renders the form with a field error and 422 for a bad credit code, keeping what was typed', async () => {
    const html = await (await fetch(`${s.apiUrl}/l/${code.id}`)).text();
    const token = formToken(html)!;
    const res = await postForm(code.id, {
      formToken: token,
      companyName: '嘉兴测试<b>贸易</b>有限公司',
      creditCode: withWrongCheckChar(newCreditCode()),
      contactName: '李四',
      mobile: '13912345678',
      amountWan: '50',
      termMonths: '12',
      purpose: '流动资金',
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('data-field="creditCode"');
    expect(page).not.toContain('data-field="mobile"');
    expect(page).toContain('嘉兴测试&lt;b&gt;贸易&lt;/b&gt;有限公司');
    expect(formToken(page)).toBe(token);
  });

  it('turns a double submit (same form token, concurrent and repeated) into one code step, one request and one tracking link', async () => {
    const token = formToken(await (await fetch(`${s.apiUrl}/l/${code.id}`)).text())!;
    const creditCode = newCreditCode();
    const fields = {
      formToken: token,
      companyName: '嘉兴双击机械有限公司',
      creditCode,
      contactName: '王五',
      mobile: '139 1234 5679',
      amountWan: '120.5',
      termMonths: '24',
      purpose: '购买设备 equipment',
      dataConsent: 'on',
    };
    const first = await postForm(code.id, fields);
    const [a, b] = await Promise.all([postForm(code.id, fields), postForm(code.id, fields)]);
    const pages = await Promise.all([first, a, b].map((r) => r.text()));
    for (const r of [first, a, b]) expect(r.status).toBe(200);
    expect(new Set(pages.map(challengeOf)).size).toBe(1);
    // Nothing is published before the code.
    const enterprise = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
    expect(enterprise).toMatchObject({
      source: 'loan_code',
      status: 'active',
      industry: 'C',
      region: '330400',
      contactMobile: '+8613912345679',
      mobileVerifiedAt: null,
    });
    expect(await s.db.prisma.financingRequest.count({ where: { enterpriseId: enterprise.id } })).toBe(0);

    const sms = await codeFromDevInbox(s.db.prisma, enterprise.id);
    const [v1, v2] = await Promise.all([verifyWithSms(code.id, pages[0]!, creditCode, sms), verifyWithSms(code.id, pages[0]!, creditCode, sms)]);
    const v3 = await verifyWithSms(code.id, pages[0]!, creditCode, sms);
    for (const r of [v1, v2, v3]) expect(r.status).toBe(303);
    expect(new Set([v1, v2, v3].map((r) => r.headers.get('location'))).size).toBe(1);
    expect(v1.headers.get('location')).toMatch(/^\/t\/[A-Za-z0-9_-]{43}$/);
    // A form submitted again after publishing lands on the same tracking page.
    const again = await postForm(code.id, fields);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(v1.headers.get('location'));

    expect(await s.db.prisma.loanCodeSubmission.count({ where: { dedupeKey: token } })).toBe(1);
    const request = await eventually(
      () => s.db.prisma.financingRequest.findMany({ where: { enterpriseId: enterprise.id } }),
      (rows) => rows.length > 0,
    );
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({ amountFen: 120_500_000n, termMonths: 24, routing: 'directed', directedBankIds: ['hecheng-rcb'], dataConsent: true });
    expect(await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } })).toMatchObject({ mobileVerifiedAt: expect.any(Date) });
  });

  it('recognises a reloaded form (new token) with the same company, amount and term as the same application', async () => {
    const creditCode = newCreditCode();
    const fields = {
      companyName: '嘉兴重复提交有限公司',
      creditCode,
      contactName: '钱七',
      mobile: '13912340002',
      amountWan: '80',
      termMonths: '12',
      purpose: '流动资金',
    };
    const submit = async (extra: Record<string, string> = {}) => {
      const token = formToken(await (await fetch(`${s.apiUrl}/l/${code.id}`)).text())!;
      const r = await postForm(code.id, { ...fields, ...extra, formToken: token });
      expect(r.status).toBe(200);
      const v = await verifyWithSms(code.id, await r.text(), creditCode);
      expect(v.status).toBe(303);
      return v.headers.get('location');
    };
    const first = await submit();
    const enterprise = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
    await eventually(
      () => s.db.prisma.financingRequest.count({ where: { enterpriseId: enterprise.id } }),
      (n) => n === 1,
    );
    expect(await submit()).toBe(first);
    // Another amount is another application.
    const other = await submit({ amountWan: '90' });
    expect(other).not.toBe(first);
    const rows = await eventually(
      () => s.db.prisma.financingRequest.findMany({ where: { enterpriseId: enterprise.id } }),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => Number(r.amountFen)).sort()).toEqual([80_000_000, 90_000_000]);
  });

  it('answers 404 for unknown and deactivated codes', async () => {
    expect((await fetch(`${s.apiUrl}/l/no-such-code-0000`)).status).toBe(404);
    const other = await s.api('POST', '/v1/loan-codes', {}, { ...as(BANK), ...key('temp') });
    expect((await fetch(other.body.url)).status).toBe(200);
    expect((await s.api('POST', `/v1/loan-codes/${other.body.id}/deactivate`, undefined, { ...as('bank:jiaxing-bank'), ...key('deact') })).status).toBe(404);
    const off = await s.api('POST', `/v1/loan-codes/${other.body.id}/deactivate`, undefined, { ...as(BANK), ...key('deact') });
    expect(off.body.active).toBe(false);
    expect((await fetch(other.body.url)).status).toBe(404);
    expect((await fetch(`${s.apiUrl}/t/${'x'.repeat(43)}`)).status).toBe(404);
  });
});

describe('loan code form in Chromium', () => {
  it.runIf(!haveChromium && Boolean(process.env.CI))('needs Chromium in CI', () => {
    throw new Error(noChromiumMessage());
  });

  describe.skipIf(!haveChromium)('at phone size', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the bank preselected, refuses a bad credit code, publishes to the bank and shows the tracking page', async () => {
      const page = await browser.newPage();
      const clear = (sel: string) => page.$eval(sel, (el) => void ((el as unknown as Field).value = ''));
      await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const first = await page.goto(code.url, { waitUntil: 'load' });
      expect(first?.status()).toBe(200);
      expect(await page.$eval('meta[name=viewport]', (m) => m.getAttribute('content'))).toContain('width=device-width');
      expect(await page.$eval('#bank', (el) => (el as unknown as Field).value)).toBe('hecheng-rcb');
      expect(await page.$eval('#bank option:checked', (el) => el.textContent)).toBe('禾城农商银行 Hecheng Rural Commercial Bank · 南湖支行 Nanhu branch');
      // Phone-sized: nothing wider than the viewport.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      const creditCode = newCreditCode();
      const company = '嘉兴扫码精密机械有限公司';
      await page.type('#companyName', company);
      await page.type('#creditCode', withWrongCheckChar(creditCode));
      await page.type('#contactName', '张三');
      await page.type('#mobile', '13912345678');
      await page.type('#amountWan', '300.5');
      await clear('#termMonths');
      await page.type('#termMonths', '36');
      await page.type('#purpose', '采购原材料 raw materials');
      await page.click('input[name=dataConsent]');
      const [refused] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(refused?.status()).toBe(422);
      expect(await page.$eval('.field-error[data-field=creditCode]', (el) => el.textContent)).toContain('统一社会信用代码');
      expect(await page.$eval('#companyName', (el) => (el as unknown as Field).value)).toBe(company);

      await clear('#creditCode');
      await page.type('#creditCode', creditCode.toLowerCase());
      const [codeStep] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(codeStep?.status()).toBe(200);
      expect(await page.$eval('#masked-mobile', (el) => el.textContent)).toBe('139****5678');
      const enterprise = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
      await page.type('#code', await codeFromDevInbox(s.db.prisma, enterprise.id));
      const [done] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(done?.status()).toBe(200);
      expect(page.url()).toMatch(new RegExp(`^${s.apiUrl}/t/[A-Za-z0-9_-]{43}$`));
      expect(await page.$eval('#tracking-link', (a) => a.textContent)).toBe(page.url());
      expect(await page.$eval('#stage', (el) => el.getAttribute('data-stage'))).toBe('published');
      // The tracking page shows the stage and timeline only: no company data.
      expect(await page.content()).not.toContain(company);

      const inbox = await eventually(
        () => s.api('GET', '/v1/inbox', undefined, as(BANK)),
        (r) => r.body.directed?.some((d: { enterpriseName: string }) => d.enterpriseName === company),
      );
      const item = inbox.body.directed.find((d: { enterpriseName: string }) => d.enterpriseName === company);
      expect(item).toMatchObject({
        amountFen: 300_500_000,
        termMonths: 36,
        routing: 'directed',
        stage: 'published',
        claim: { origin: 'directed', status: 'offered' },
      });
      expect(await s.db.prisma.enterprise.findUnique({ where: { creditCode } })).toMatchObject({ name: company, source: 'loan_code' });

      // Reloaded, the timeline shows the request reached the bank.
      await eventually(
        async () => {
          await page.reload({ waitUntil: 'load' });
          return page.$eval('#timeline', (el) => el.textContent ?? '');
        },
        (t) => t.includes('Sent to the bank'),
      );
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'loan-code-confirmation.png'), fullPage: true });
      await page.close();
    });
  });
});
