// The supervisor dashboard in a real Chromium against the real stack: a small synthetic platform
// (bench/seed-platform.ts) plus one live request with a real claim workflow. The demo supervisor
// signs in through the page; the numbers in the DOM must be the API's; a filter changes the stuck
// table; the nudge and extend buttons reach the claim workflow (its timeline records them).
// Without Chromium the browser part fails in CI and is skipped (with a message) elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPlatform } from '../../bench/seed-platform';
import { ARTIFACTS, haveChromium, launchChromium, noChromiumMessage, warnIfNoChromium } from '../support/chromium';
import { eventually } from '../support/eventually';
import { as, startTestStack, type TestStack } from '../support/stack';

warnIfNoChromium('dashboard.test');
const BANK = 'hecheng-rcb';

let s: TestStack;
let requestId: string;

beforeAll(async () => {
  s = await startTestStack();
  await seedPlatform(s.database.url, { enterprises: 300, requests: 800, banks: 6, productsPerBank: 2 });
  // One request with a real claim workflow, its offer made overdue in the read model (the stuck list reads it).
  const pub = await s.api(
    'POST',
    '/v1/financing-requests',
    { amountFen: 250_000_000, termMonths: 12, purpose: 'dashboard test', guaranteeMethod: 'credit', routing: 'directed', directedBankIds: [BANK] },
    { ...as('enterprise'), 'Idempotency-Key': `dash-${randomUUID()}` },
  );
  expect(pub.status).toBe(201);
  requestId = pub.body.id;
  const claimId = `${requestId}:${BANK}`;
  await eventually(
    () => s.db.prisma.claim.findUnique({ where: { id: claimId } }),
    (c) => c?.status === 'offered',
  );
  await s.db.prisma.claim.update({ where: { id: claimId }, data: { deadlineAt: new Date(Date.now() - 3 * 3_600_000) } });
  // Figures as of now, so the page and this test read the same pre-aggregated cells.
  expect((await s.api('GET', '/v1/statistics?fresh=true', undefined, as('supervisor'))).status).toBe(200);
}, 240_000);
afterAll(async () => {
  await s?.close();
});

describe('supervisor dashboard', () => {
  it('serves the public shell and Chart.js from node_modules, no data without credentials', async () => {
    const shell = await fetch(`${s.apiUrl}/dashboard`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await shell.text()).toContain('id="signin-form"');
    const chart = await fetch(`${s.apiUrl}/dashboard/assets/chart.umd.js`);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('Chart');
    expect((await fetch(`${s.apiUrl}/dashboard/assets/nope.js`)).status).toBe(404);
  });

  it.runIf(!haveChromium && Boolean(process.env.CI))('needs Chromium in CI', () => {
    throw new Error(noChromiumMessage());
  });

  describe.skipIf(!haveChromium)('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    beforeAll(async () => {
      browser = await launchChromium();
      page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
    });
    afterAll(async () => {
      await browser?.close();
    });

    const stuckRows = () =>
      page.$$eval('#stuck-table tbody tr', (trs) =>
        trs.map((tr) => ({ requestId: tr.getAttribute('data-request-id'), bankId: tr.getAttribute('data-bank-id') })),
      );

    it('signs the demo supervisor in and shows the API’s figures', async () => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${s.apiUrl}/dashboard`, { waitUntil: 'load' });
      expect(await page.$eval('#app-view', (e) => e.hasAttribute('hidden'))).toBe(true);
      await page.type('#email', 'supervisor@loanbridge.example');
      await page.type('#password', 'supervisor-demo-password');
      await page.click('#signin-submit');
      await page.waitForSelector('#kpis .kpi[data-kpi=requests]');
      await page.waitForSelector('#ranking-table tbody tr');
      await page.waitForSelector('#stuck-table tbody tr');
      expect(await page.evaluate('Boolean(sessionStorage.getItem("lb.dashboard.token"))')).toBe(true);

      const api = (await s.api('GET', '/v1/statistics', undefined, as('supervisor'))).body;
      const kpi = (name: string) => page.$eval(`#kpis .kpi[data-kpi=${name}]`, (e) => e.getAttribute('data-value'));
      expect(Number(await kpi('requests'))).toBe(api.totals.requests);
      expect(api.totals.requests).toBeGreaterThan(800);
      expect(Number(await kpi('requested'))).toBe(api.totals.requestedFen);
      expect(Number(await kpi('claimRate'))).toBe(api.totals.claimRate);
      expect(Number(await kpi('lendingRate'))).toBe(api.totals.lendingRate);
      expect(Number(await kpi('disbursed'))).toBe(api.totals.disbursed);
      expect(Number(await kpi('firstLoans'))).toBe(api.totals.firstLoanEnterprises);
      expect(Number(await kpi('creditLoans'))).toBe(api.totals.creditLoans);
      // The shown text is the same figure formatted: e.g. the request count with grouping.
      expect(await page.$eval('#kpis .kpi[data-kpi=requests] .value', (e) => e.textContent)).toBe(new Intl.NumberFormat('zh-CN').format(api.totals.requests));
      const bankRows = await page.$$eval('#bank-table tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-bank-id'), tr.children[4]!.textContent]));
      expect(bankRows).toEqual(api.byBank.map((b: any) => [b.key, new Intl.NumberFormat('zh-CN').format(b.disbursed)]));
      // Four charts drawn by Chart.js.
      expect(await page.$$eval('canvas', (c) => c.length)).toBe(4);
      expect(await page.evaluate('Boolean(window.Chart)')).toBe(true);

      const ranking = (await s.api('GET', '/v1/supervision/ranking', undefined, as('supervisor'))).body;
      expect(await page.$$eval('#ranking-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-bank-id')))).toEqual(
        ranking.rows.map((r: any) => r.bankId),
      );
      expect(errors).toEqual([]);
    });

    it('filters the stuck table', async () => {
      const all = await stuckRows();
      expect(all.length).toBeGreaterThan(1);
      expect(all.some((r) => r.bankId !== BANK)).toBe(true);
      await page.select('#stuck-bank', BANK);
      await page.click('#stuck-form button[type=submit]');
      await page.waitForFunction(`[...document.querySelectorAll('#stuck-table tbody tr')].every((tr) => tr.getAttribute('data-bank-id') === '${BANK}')`);
      const mine = await stuckRows();
      expect(mine).toEqual([{ requestId, bankId: BANK }]);
      const api = (await s.api('GET', `/v1/supervision/stuck?bankId=${BANK}&limit=20`, undefined, as('supervisor'))).body;
      expect(api.items.map((x: any) => x.requestId)).toEqual([requestId]);
    });

    it('drills into a request: claims, public timeline and the Temporal UI link', async () => {
      await page.click(`#stuck-table tbody tr[data-request-id="${requestId}"] td button.link`);
      await page.waitForSelector('#detail-timeline li');
      expect(await page.$$eval('#detail-claims tr', (trs) => trs.map((tr) => tr.getAttribute('data-bank-id')))).toEqual([BANK]);
      const timeline = await page.$$eval('#detail-timeline li', (lis) => lis.map((li) => li.textContent ?? ''));
      expect(timeline.some((t) => t.includes('已发布'))).toBe(true);
      expect(await page.$eval('#temporal-link', (a) => a.getAttribute('href'))).toContain(encodeURIComponent(`financingRequest-${requestId}`));
      await page.click('#detail button[type=submit]');
    });

    it('nudges and extends through the buttons: the claim workflow records both', async () => {
      const row = `#stuck-table tbody tr[data-request-id="${requestId}"]`;
      await page.click(`${row} button[data-action=nudge]`);
      await page.waitForSelector('#action-dialog[open]');
      await page.type('#action-reason', '请尽快受理 please accept today');
      await page.click('#action-confirm');
      await page.waitForSelector('#action-dialog:not([open])');
      expect(await page.$eval('#app-status', (e) => e.textContent)).toContain(requestId.slice(0, 8));
      await eventually(
        () => s.db.prisma.stageEvent.findMany({ where: { claimId: `${requestId}:${BANK}`, event: 'supervision:nudged' } }),
        (rows) => rows.length === 1,
      );

      await page.waitForSelector(`${row} button[data-action=extend-deadline]`);
      await page.click(`${row} button[data-action=extend-deadline]`);
      await page.waitForSelector('#action-dialog[open]');
      await page.type('#action-reason', '企业补充材料 documents pending');
      await page.$eval('#action-days', (e) => void ((e as unknown as { value: string }).value = '2'));
      await page.click('#action-confirm');
      await page.waitForSelector('#action-dialog:not([open])');
      await eventually(
        () => s.db.prisma.stageEvent.findMany({ where: { claimId: `${requestId}:${BANK}`, event: 'supervision:deadline-extended' } }),
        (rows) => rows.length === 1,
      );
      // The extension moved the deadline past now and the claim just changed: it is no longer stuck.
      await eventually(
        () => s.db.prisma.claim.findUniqueOrThrow({ where: { id: `${requestId}:${BANK}` } }),
        (c) => c.deadlineAt!.getTime() > Date.now(),
      );
      await page.click('#stuck-form button[type=submit]');
      await page.waitForSelector('#stuck-empty:not([hidden])');
      expect(await stuckRows()).toEqual([]);
    });

    it('switches to English and back, and leaves a screenshot', async () => {
      await page.click('#lang');
      expect(await page.$eval('h1', (e) => e.textContent)).toBe('Supervisor dashboard');
      expect(await page.$eval('#kpis .kpi[data-kpi=claimRate] .label', (e) => e.textContent)).toBe('Claim rate');
      expect(await page.$eval('#stuck-table thead th', (e) => e.textContent)).toBe('Request');
      await page.select('#stuck-bank', '');
      await page.click('#stuck-form button[type=submit]');
      await page.waitForFunction("document.querySelectorAll('#stuck-table tbody tr').length > 1");
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      expect(fs.statSync(path.join(ARTIFACTS, 'dashboard.png')).size).toBeGreaterThan(10_000);
      await page.click('#lang');
      expect(await page.$eval('h1', (e) => e.textContent)).toBe('监管驾驶舱');
    });
  });
});
