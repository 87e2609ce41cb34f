// The workbench in a real Chromium on the real stack (Temporal, PostgreSQL, a real SMTP server
// receiving the prompts). An admin registers a bank and a guarantee institution with users through
// the API; the enterprise publishes to the pool; the officer opens the link from the mail in its
// mailbox, signs in and works the claim by clicking only: grab, review, portrait, approval with a
// guarantor; the guarantor approves from its own mail's link; the bank records the disbursement.
// Then two banks race for a pool request's last slot from their to-do pages.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtp, type TestSmtp } from '../../tools/smtp-sink';
import { taskCode } from '../../notifications/taskLinks';
import { ARTIFACTS, haveChromium, launchChromium, noChromiumMessage, warnIfNoChromium } from '../support/chromium';
import { eventually } from '../support/eventually';
import { addUser, broadProduct, idempotency, publishPool, registerBank, registerGuarantor, WAN, type InstitutionUser } from '../support/institutions';
import { as, startTestStack, type TestStack } from '../support/stack';
import { randomUUID } from 'node:crypto';
import { DEMO_ENTERPRISE_ID, DEMO_PRINCIPALS } from '../../prisma/seed';

warnIfNoChromium('workbench.test');

let s: TestStack;
let smtp: TestSmtp;
const TASK_LINK = /http:\/\/127\.0\.0\.1:\d+\/w\/[A-Za-z0-9_-]{22}/;

beforeAll(async () => {
  smtp = await createSmtp();
  await smtp.start();
  s = await startTestStack({ notificationEnv: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMS_PROVIDER: 'devinbox' } });
}, 240_000);
afterAll(async () => {
  await s?.close();
  await smtp?.stop();
});

/** The first mail to `to` whose subject matches, with the task link in its text. */
async function mailTo(to: string, subject: RegExp) {
  const mail = await eventually(
    async () => smtp.mails.find((m, i) => smtp.envelopes[i]!.includes(to) && subject.test(m.subject ?? '')),
    (m) => m !== undefined,
    60_000,
  );
  const link = TASK_LINK.exec(mail!.text ?? '')?.[0];
  expect(link, mail!.text).toBeDefined();
  expect(mail!.html).toContain(`href="${link}"`);
  return { mail: mail!, link: link! };
}

describe('workbench', () => {
  it('serves the shell, the bundle and task links that grant nothing', async () => {
    const shell = await fetch(`${s.apiUrl}/app/requests/whatever`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await shell.text()).toContain('<div id="app">');
    const js = await fetch(`${s.apiUrl}/app/assets/main.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(20_000);
    const id = '0b7c8f44-5b1e-4c59-9a0e-4cf5c3d1e2a1';
    const link = await fetch(`${s.apiUrl}/w/${taskCode(id)}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toBe(`/app/requests/${id}`);
    expect((await fetch(`${s.apiUrl}/w/not-a-code`, { redirect: 'manual' })).status).toBe(404);
  });

  it.runIf(!haveChromium && Boolean(process.env.CI))('needs Chromium in CI', () => {
    throw new Error(noChromiumMessage());
  });

  describe.skipIf(!haveChromium)('in Chromium', () => {
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    beforeAll(async () => {
      browser = await launchChromium();
      fs.mkdirSync(ARTIFACTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** A fresh browser profile (its own localStorage: its own sign-in). */
    async function newPage(width = 1280, height = 900): Promise<Page> {
      const ctx = await browser.createBrowserContext();
      contexts.push(ctx);
      const page = await ctx.newPage();
      await page.setViewport({ width, height });
      page.on('pageerror', (e) => errors.push(String(e)));
      return page;
    }
    const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `workbench-${name}.png`), fullPage: true });
    const status = (page: Page, want: string) => page.waitForSelector(`#claim-status[data-status="${want}"]`, { timeout: 30_000 });

    async function signIn(page: Page, u: InstitutionUser) {
      await page.waitForSelector('#signin-form');
      await page.type('#signin-form input[name=email]', u.email);
      await page.type('#signin-form input[name=password]', u.password);
      await page.click('#signin-form button[type=submit]');
    }

    it('from the mailed prompt to disbursement, every screen reached by clicking', async () => {
      // The admin registers the institutions and their users through the API.
      const bank = await registerBank(s, { name: '南湖科技农商银行', email: 'xiaoli@nanhu-rcb.example' });
      const officer = await addUser(s, 'banks', bank.id, { role: 'approver', name: '李晓 loan officer', email: 'xiaoli@nanhu-rcb.example' });
      await broadProduct(s, officer.auth, '南湖科创贷');
      const guarantor = await registerGuarantor(s, { name: '嘉兴市南湖融资担保有限公司', email: 'review@nanhu-guarantee.example', feeRateBp: 80 });
      const reviewer = await addUser(s, 'guarantee-institutions', guarantor.id, { role: 'approver', name: '王芳 reviewer' });
      // Whatever the time of day: SMS held for quiet hours would hold the guarantee step until 08:00 Shanghai.
      for (const [type, id] of [
        ['bank', bank.id],
        ['guaranteeInstitution', guarantor.id],
      ])
        expect((await s.api('PUT', `/v1/notification-preferences/${type}/${id}`, { quietHours: null }, { ...as('admin'), ...idempotency() })).status).toBe(200);

      // The enterprise publishes to the pool; the prompt reaches the officer's mailbox with the task link.
      const requestId = await publishPool(s, '购置数控机床 CNC machines', { offerSelection: 'first_approval', amountFen: 300 * WAN });
      const { link } = await mailTo('xiaoli@nanhu-rcb.example', /抢单提醒/);

      const page = await newPage();
      await page.goto(link, { waitUntil: 'load' });
      await signIn(page, officer);
      await page.waitForSelector('#grab');
      expect(page.url()).toBe(`${s.apiUrl}/app/requests/${requestId}`);
      await shot(page, '01-request');

      await page.click('#grab');
      await status(page, 'accepted');
      const enterprise = await s.db.prisma.enterprise.findFirstOrThrow({ where: { financingRequests: { some: { id: requestId } } } });
      await page.waitForFunction(`document.querySelector('#request-title')?.textContent === ${JSON.stringify(enterprise.name)}`);
      await page.click('#start-review');
      await status(page, 'under_review');
      await shot(page, '02-under-review');

      await page.click('#open-portrait');
      await page.waitForSelector('#portrait-score');
      const score = Number(await page.$eval('#portrait-score', (e) => e.textContent));
      expect(score).toBeGreaterThan(0);
      await shot(page, '03-portrait');
      const reads = await s.db.prisma.portraitReadAudit.findMany({ where: { bankId: bank.id } });
      expect(reads.some((r) => r.allowed)).toBe(true);

      await page.click('#back-to-request');
      await page.waitForSelector('#approve-form');
      await page.waitForSelector(`#guarantor-select option[value="${guarantor.id}"]`);
      await page.select('#guarantor-select', guarantor.id);
      await page.click('#approve-form button[type=submit]');
      await status(page, 'guarantee_pending');
      await shot(page, '04-approved-guarantee-pending');

      // The guarantor opens the link in its own prompt and approves with its fee.
      const g = await mailTo('review@nanhu-guarantee.example', /担保申请/);
      const gPage = await newPage(390, 844); // a phone
      await gPage.goto(g.link, { waitUntil: 'load' });
      await signIn(gPage, reviewer);
      await gPage.waitForSelector('#guarantee-approve-form');
      await shot(gPage, '05-guarantor-phone');
      await gPage.click('#guarantee-approve-form button[type=submit]');
      await gPage.waitForSelector('#guarantee-approve-form .ok');
      await status(gPage, 'approved');

      // Back in the bank's page (it refreshes itself): record the disbursement.
      await page.waitForSelector('#disburse-form', { timeout: 30_000 });
      await page.click('#disburse-form button[type=submit]');
      await status(page, 'disbursed');
      await shot(page, '06-disbursed');
      const loan = await s.db.prisma.loan.findUnique({ where: { financingRequestId: requestId } });
      expect(loan).toMatchObject({ bankId: bank.id, amountFen: 300n * BigInt(WAN) });
      const guarantee = await s.db.prisma.guarantee.findFirstOrThrow({ where: { claimId: `${requestId}:${bank.id}` } });
      expect(guarantee).toMatchObject({ guaranteeInstitutionId: guarantor.id, status: 'approved' });
      expect(await s.db.prisma.claimOfficer.findFirst({ where: { financingRequestId: requestId } })).toMatchObject({ principalId: officer.id });

      expect(await page.$eval('#officer', (e) => e.textContent)).toContain('李晓 loan officer');

      // The bank's loan codes (a printable QR code) and its own assessment, from the navigation.
      await page.click('header nav a[href="/app/loan-codes"]');
      await page.waitForSelector('#loan-code-form');
      await page.type('#loan-code-form input[name=label]', '南湖支行柜台');
      await page.click('#loan-code-form button[type=submit]');
      await page.waitForSelector('ul.codes li img.qr');
      const code = await s.db.prisma.loanCode.findFirstOrThrow({ where: { bankId: bank.id } });
      expect(code.label).toBe('南湖支行柜台');
      await shot(page, '10-loan-codes');
      await page.click('header nav a[href="/app/ranking"]');
      await page.waitForSelector('#my-rank');
      await shot(page, '11-ranking');

      // Notification settings: quiet hours are off (set above through the API); switch SMS off here.
      await page.click('header nav a[href="/app/settings"]');
      await page.waitForSelector('#preferences-form');
      expect(await page.$eval('#preferences-form input[name=quiet]', (e) => (e as unknown as { checked: boolean }).checked)).toBe(false);
      await page.click('#preferences-form input[name=sms]');
      await page.click('#preferences-form button[type=submit]');
      await page.waitForSelector('#preferences-form .ok');
      const prefs = await s.api('GET', `/v1/notification-preferences/bank/${bank.id}`, undefined, officer.auth);
      expect(prefs.body.preferences).toMatchObject({ channels: { sms: false, email: true }, quietHours: null });
      await shot(page, '12-settings');

      // The to-do, reached by clicking, in English too.
      await page.click('header nav a[href="/app/"]');
      await page.waitForSelector('#pool');
      await page.click('#locale-switch');
      await page.waitForFunction("document.querySelector('#pool h2')?.textContent?.startsWith('Open requests')");
      await shot(page, '07-todo-english');
      await page.click('#locale-switch');
      expect(errors).toEqual([]);
    }, 240_000);

    it('two banks race for the last slot from their to-do pages: one wins, the other reads "slots full"', async () => {
      const requestId = await publishPool(s, 'race for the last slot');
      await eventually(
        () => s.db.prisma.financingRequest.findUnique({ where: { id: requestId } }),
        (r) => (r?.eligibleBankIds.length ?? 0) >= 4,
      );
      for (const b of ['hecheng-rcb', 'jiaxing-bank']) {
        const r = await s.api('POST', `/v1/financing-requests/${requestId}/grab`, {}, { ...as(`bank:${b}`), ...idempotency() });
        expect(r.status).toBe(200);
      }
      const racers = await Promise.all(
        ['suzhou-bank', 'icbc-jiaxing'].map(async (b) => {
          const page = await newPage();
          await page.goto(`${s.apiUrl}/app/`, { waitUntil: 'load' });
          await signIn(page, { email: `officer@${b}.example`, password: 'bank-demo-password' } as InstitutionUser);
          // Polling shows the request with one slot left.
          await page.waitForFunction(`document.querySelector('#pool li[data-request-id="${requestId}"] .slots')?.textContent === '1'`, { timeout: 30_000 });
          return page;
        }),
      );
      await shot(racers[0]!, '08-race-before');
      await Promise.all(racers.map((p) => p.click(`#pool li[data-request-id="${requestId}"] button.grab`)));
      const outcomes = await Promise.all(
        racers.map(async (p) => {
          const el = await p.waitForSelector(`#notices li[data-request-id="${requestId}"]`);
          return el!.evaluate((e) => ({ ok: e.classList.contains('ok'), text: e.textContent ?? '' }));
        }),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const lost = outcomes.find((o) => !o.ok)!;
      expect(lost.text).toContain('名额已满');
      await shot(racers[outcomes.indexOf(lost)]!, '09-race-slots-full');
      await eventually(
        () => s.db.prisma.claim.count({ where: { financingRequestId: requestId, origin: 'grab' } }),
        (n) => n === 3,
      );
    }, 180_000);

    it('a bank works its precise-push inbox: opens a pushed list and records what it did', async () => {
      const supervisor = DEMO_PRINCIPALS.find((p) => p.role === 'supervisor')!;
      const list = await s.db.prisma.pushList.create({
        data: {
          id: randomUUID(),
          name: '科技型中小企业名单 2026',
          source: 'tags:high_tech',
          supervisorId: supervisor.id,
          entries: { create: [{ enterpriseId: DEMO_ENTERPRISE_ID }] },
          targets: { create: [{ bankId: 'hecheng-rcb' }] },
        },
      });
      const page = await newPage(390, 844);
      await page.goto(`${s.apiUrl}/app/`, { waitUntil: 'load' });
      await signIn(page, { email: 'officer@hecheng-rcb.example', password: 'bank-demo-password' } as InstitutionUser);
      await page.waitForSelector('header nav a[href="/app/push-lists"]');
      await page.click('header nav a[href="/app/push-lists"]');
      await page.waitForSelector(`li[data-push-list="${list.id}"] a`);
      await page.click(`li[data-push-list="${list.id}"] a`);
      const form = `#push-action-${DEMO_ENTERPRISE_ID}`;
      await page.waitForSelector(form);
      await page.select(`${form} select`, 'contacted');
      await page.click(`${form} button[type=submit]`);
      await page.waitForSelector(`${form} .ok`);
      const target = await s.db.prisma.pushTarget.findUniqueOrThrow({ where: { pushListId_bankId: { pushListId: list.id, bankId: 'hecheng-rcb' } } });
      expect((target.actions as Record<string, { action: string }>)[DEMO_ENTERPRISE_ID]?.action).toBe('contacted');
      await page.waitForFunction(`document.querySelector('li[data-enterprise-id="${DEMO_ENTERPRISE_ID}"] > .ok')?.textContent === '已联系'`);
      await shot(page, '13-push-list-phone');
    }, 120_000);
  });
});
