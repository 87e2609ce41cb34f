// The loan-code path to the end. Codes go through the outbox and the real twilio library to a
// Twilio-speaking server and are read from what it received. (a) Chromium at phone size: QR link →
// form → SMS code → tracking page → the bank's offer (amount, rate, term, repayment, guarantor and
// fee) → choose → disbursed → 4C rating; screenshots in test-artifacts/. (b) Without a browser: a
// request that ends without a loan is rated too, the comment reaches the rated bank and
// supervisors (not other banks), the page's actions need the code, and withdraw works.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../domain/creditCode';
import { startFakeTwilio, type FakeTwilio } from '../../tools/fake-twilio';
import { ARTIFACTS, haveChromium, launchChromium, noChromiumMessage, warnIfNoChromium } from '../support/chromium';
import { eventually } from '../support/eventually';
import { codeFromTwilio } from '../support/sms';
import { as, startTestStack, type TestStack } from '../support/stack';

warnIfNoChromium('loan-code-journey.test');

const BANK = 'bank:hecheng-rcb';
const GUARANTOR = 'jiaxing-guarantee-fund';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function newCreditCode(): string {
  let body = '91330402';
  for (let i = 0; i < 9; i++) body += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return body + creditCodeCheckChar(body)!;
}
let seq = 0;
const newMobile = () => `+86135${String(Date.now() % 1_000_000).padStart(6, '0')}${String(seq++ % 100).padStart(2, '0')}`;
const key = (k: string) => ({ 'Idempotency-Key': `${k}-${Math.random().toString(36).slice(2, 10)}` });
type Field = { value: string };

let s: TestStack;
let fake: FakeTwilio;
let code: { id: string; url: string };

beforeAll(async () => {
  fake = await startFakeTwilio();
  s = await startTestStack({
    notificationEnv: { TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550006', TWILIO_BASE_URL: fake.baseUrl },
    apiConfig: { rateLimits: { perPrincipalPerMinute: 5000, publicPerIpPerMinute: 1000 }, oneTimeCodes: { resendIntervalMs: 0, perIpPerHour: 10_000 } },
  });
  const created = await s.api('POST', '/v1/loan-codes', { label: 'journey', branch: '南湖支行 Nanhu branch' }, { ...as(BANK), ...key('code') });
  code = created.body;
}, 120_000);
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

/** The bank's side through the API, as its integration would do it. */
async function bank(action: string, requestId: string, body: Record<string, unknown> = {}, who = BANK) {
  const r = await s.api('POST', `/v1/financing-requests/${requestId}/${action}`, body, { ...as(who), ...key(action.replace(/\//g, '-')) });
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

const requestOf = async (creditCode: string) => {
  const e = await s.db.prisma.enterprise.findUniqueOrThrow({ where: { creditCode } });
  return eventually(
    () => s.db.prisma.financingRequest.findFirst({ where: { enterpriseId: e.id }, orderBy: { createdAt: 'desc' } }),
    (r) => r !== null,
  ).then((r) => r!);
};

describe('loan-code journey in Chromium', () => {
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

    it('goes from the QR link through the SMS code, the offer and its choice to disbursed and rated', async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `loan-code-journey-${name}.png`), fullPage: true });
      const page = await browser.newPage();
      await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const go = async (click: string) => {
        const [nav] = await Promise.all([page.waitForNavigation(), page.click(click)]);
        return nav;
      };
      const reloadUntil = (sel: string) =>
        eventually(
          async () => {
            await page.reload({ waitUntil: 'load' });
            return page.$(sel);
          },
          (el) => el !== null,
          30_000,
        );

      // The QR code's link: the form.
      expect((await page.goto(code.url, { waitUntil: 'load' }))?.status()).toBe(200);
      const creditCode = newCreditCode();
      const mobile = newMobile();
      await page.type('#companyName', '嘉兴扫码全流程机械有限公司');
      await page.type('#creditCode', creditCode);
      await page.type('#contactName', '张三');
      await page.type('#mobile', mobile.slice(3));
      await page.type('#amountWan', '300');
      await page.$eval('#termMonths', (el) => void ((el as unknown as Field).value = ''));
      await page.type('#termMonths', '24');
      await page.type('#purpose', '采购原材料 raw materials');
      await page.click('input[name=dataConsent]');
      await shot('1-form');

      // The code step: the SMS the platform sent, as the Twilio-speaking server received it.
      const sent = fake.messages.length;
      expect((await go('button[type=submit]'))?.status()).toBe(200);
      expect(await page.$eval('#masked-mobile', (el) => el.textContent)).toBe(`${mobile.slice(3, 6)}****${mobile.slice(-4)}`);
      await shot('2-code');
      const sms = await codeFromTwilio(fake, mobile, sent);
      expect(sms.body).toContain('验证码');
      await page.type('#code', sms.code);
      expect((await go('button[type=submit]'))?.status()).toBe(200);
      expect(page.url()).toMatch(new RegExp(`^${s.apiUrl}/t/[A-Za-z0-9_-]{43}$`));
      // Verified: the enterprise's part is there (no offer yet), no "send code" card.
      await reloadUntil('#offers');
      expect(await page.$('#verify-card')).toBeNull();
      expect(await page.$eval('#offers', (el) => el.textContent)).toContain('No offer yet');

      // The bank accepts, reviews and approves with a guarantor.
      const request = await requestOf(creditCode);
      expect(request.dataConsent).toBe(true);
      await eventually(
        () => s.db.prisma.claim.count({ where: { financingRequestId: request.id, bankId: 'hecheng-rcb' } }),
        (n) => n === 1,
      );
      await bank('accept', request.id);
      await bank('start-review', request.id);
      await bank('approve', request.id, {
        approvedAmountFen: 280_000_000,
        annualRateBp: 435,
        termMonths: 24,
        repaymentMethod: 'equal_installment',
        guaranteeInstitutionId: GUARANTOR,
      });

      const offer = await reloadUntil('.offer[data-status=approved]');
      expect(offer).not.toBeNull();
      const text = (sel: string) => page.$eval(`.offer[data-bank=hecheng-rcb] ${sel}`, (el) => el.textContent ?? '');
      expect(await text('.amount')).toBe('280 万元');
      expect(await text('.rate')).toBe('4.35%');
      expect(await text('.term')).toBe('24 个月 months');
      expect(await text('.repayment')).toContain('Equal instalments');
      expect(await text('.guarantor')).toContain('set by the guarantor after you choose');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shot('3-offer');

      expect((await go('.offer[data-bank=hecheng-rcb] button.choose'))?.status()).toBe(200);
      expect(await page.$('button.choose')).toBeNull();
      // The guarantor approves with its fee; the enterprise sees it.
      await eventually(
        () => s.db.prisma.guarantee.count({ where: { guaranteeInstitutionId: GUARANTOR, claim: { financingRequestId: request.id } } }),
        (n) => n === 1,
      );
      await bank(`guarantees/hecheng-rcb/approve`, request.id, { feeFen: 1_400_000 }, 'guaranteeInstitution');
      await eventually(
        async () => {
          await page.reload({ waitUntil: 'load' });
          return text('.guarantor');
        },
        (t) => t.includes('14,000.00 元'),
      );

      // The bank disburses; the page offers the rating.
      await eventually(
        () =>
          s.api(
            'POST',
            `/v1/financing-requests/${request.id}/disburse`,
            {
              amountFen: 280_000_000,
              annualRateBp: 435,
              termMonths: 24,
              repaymentMethod: 'equal_installment',
              disbursedOn: new Date().toISOString().slice(0, 10),
            },
            { ...as(BANK), 'Idempotency-Key': 'journey-disburse' },
          ),
        (r) => r.status === 200,
      );
      await reloadUntil('#rating-form');
      expect(await page.$eval('#stage', (el) => el.getAttribute('data-stage'))).toBe('disbursed');
      await page.click('input[name=cost][value="4"]');
      await page.click('input[name=speed][value="3"]');
      await page.type('#comment', '审批很快，利率合理 Fast approval, fair rate');
      await shot('4-disbursed');
      expect((await go('#rating-form button[type=submit]'))?.status()).toBe(200);
      expect(await page.$('#rated')).not.toBeNull();
      await shot('5-rated');

      const rating = await s.db.prisma.rating.findUniqueOrThrow({ where: { financingRequestId: request.id } });
      expect(rating).toMatchObject({
        bankId: 'hecheng-rcb',
        meetsNeed: 5,
        cost: 4,
        speed: 3,
        communication: 5,
        comment: '审批很快，利率合理 Fast approval, fair rate',
      });
      const closed = await eventually(
        () => s.db.prisma.financingRequest.findUniqueOrThrow({ where: { id: request.id } }),
        (r) => r.closeReason === 'completed',
      );
      expect(closed.stage).toBe('closed');
      expect(await s.db.prisma.loan.count({ where: { financingRequestId: request.id } })).toBe(1);
      await page.close();
    }, 180_000);
  });
});

describe('the tracking page without a browser', () => {
  /** Publishes through the form and the SMS code; answers the tracking path and the session cookie. */
  async function publish(mobile: string, creditCode: string, amountWan: string) {
    const token = /name="formToken" value="([^"]+)"/.exec(await (await fetch(code.url)).text())![1]!;
    const sent = fake.messages.length;
    const form = await fetch(code.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        formToken: token,
        companyName: '嘉兴无贷款评价有限公司',
        creditCode,
        contactName: '李四',
        mobile,
        amountWan,
        termMonths: '12',
        purpose: '流动资金',
      }),
    });
    const challengeId = /name="challengeId" value="([^"]+)"/.exec(await form.text())![1]!;
    const { code: sms } = await codeFromTwilio(fake, mobile, sent);
    const v = await fetch(`${code.url}/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ challengeId, code: sms }),
    });
    expect(v.status).toBe(303);
    const cookie = v.headers.get('set-cookie')!.split(';')[0]!;
    expect(v.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(v.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    return { path: v.headers.get('location')!, cookie };
  }
  const pageAt = async (p: string, cookie?: string) => (await fetch(`${s.apiUrl}${p}`, { headers: cookie ? { cookie } : {} })).text();
  const act = (p: string, fields: Record<string, string>, cookie?: string) =>
    fetch(`${s.apiUrl}${p}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields),
    });
  const actionToken = (html: string) => /name="actionToken" value="([^"]+)"/.exec(html)?.[1];

  it('offers the rating after a request ended without a loan; the comment reaches the rated bank and supervisors only', async () => {
    const mobile = newMobile();
    const creditCode = newCreditCode();
    const t = await publish(mobile, creditCode, '50');
    const request = await requestOf(creditCode);
    await eventually(
      () => s.db.prisma.claim.count({ where: { financingRequestId: request.id } }),
      (n) => n === 1,
    );
    await bank('reject', request.id, { reason: '行业不在支持范围 sector not served' });
    await eventually(
      () => s.db.prisma.financingRequest.findUniqueOrThrow({ where: { id: request.id } }),
      (r) => r.closeReason === 'unmatched',
    );
    // Anyone with the link sees the stage, not the rating form; the verified enterprise sees the form.
    const anonymous = await pageAt(t.path);
    expect(anonymous).toContain('id="verify-card"');
    expect(anonymous).not.toContain('rating-form');
    const html = await eventually(
      () => pageAt(t.path, t.cookie),
      (h) => h.includes('id="rating-form"'),
    );
    // Without the session the action does nothing.
    const noSession = await act(`${t.path}/rate`, { actionToken: actionToken(html)!, meetsNeed: '1', cost: '1', speed: '1', communication: '1' });
    expect(noSession.status).toBe(303);
    expect(await s.db.prisma.rating.count({ where: { financingRequestId: request.id } })).toBe(0);
    expect((await act(`${t.path}/rate`, { actionToken: actionToken(html)!, meetsNeed: '9', cost: '1', speed: '1', communication: '1' }, t.cookie)).status).toBe(
      422,
    );
    const rated = await act(
      `${t.path}/rate`,
      { actionToken: actionToken(html)!, meetsNeed: '1', cost: '3', speed: '1', communication: '2', comment: '一直没人联系 Nobody called us' },
      t.cookie,
    );
    expect(rated.status).toBe(303);
    expect(await pageAt(t.path, t.cookie)).toContain('id="rated"');

    const asBank = await s.api('GET', '/v1/ratings', undefined, as(BANK));
    expect(asBank.body.items.find((x: { financingRequestId: string }) => x.financingRequestId === request.id)).toMatchObject({
      bankId: 'hecheng-rcb',
      meetsNeed: 1,
      comment: '一直没人联系 Nobody called us',
      withLoan: false,
      closeReason: 'unmatched',
    });
    const asSupervisor = await s.api('GET', '/v1/ratings?bankId=hecheng-rcb', undefined, as('supervisor'));
    expect(asSupervisor.body.items.some((x: { financingRequestId: string }) => x.financingRequestId === request.id)).toBe(true);
    const otherBank = await s.api('GET', '/v1/ratings', undefined, as('bank:jiaxing-bank'));
    expect(otherBank.body.items.some((x: { financingRequestId: string }) => x.financingRequestId === request.id)).toBe(false);
    expect((await s.api('GET', '/v1/ratings', undefined, as('enterprise'))).status).toBe(403);
  });

  it('withdraws from the tracking page with the session, not without it', async () => {
    const creditCode = newCreditCode();
    const t = await publish(newMobile(), creditCode, '60');
    const request = await requestOf(creditCode);
    const html = await eventually(
      () => pageAt(t.path, t.cookie),
      (h) => h.includes('id="withdraw-form"'),
    );
    expect((await act(`${t.path}/withdraw`, { actionToken: actionToken(html)! })).status).toBe(303);
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.db.prisma.financingRequest.findUniqueOrThrow({ where: { id: request.id } })).closeReason).toBeNull();
    expect((await act(`${t.path}/withdraw`, { actionToken: actionToken(html)! }, t.cookie)).status).toBe(303);
    await eventually(
      () => s.db.prisma.financingRequest.findUniqueOrThrow({ where: { id: request.id } }),
      (r) => r.closeReason === 'withdrawn',
    );
    // A request withdrawn by the enterprise is not offered for rating.
    expect(await pageAt(t.path, t.cookie)).not.toContain('rating-form');
  });
});
