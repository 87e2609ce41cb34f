// Public loan-code pages (no credentials): GET /l/:code shows the phone form with the code's bank
// preselected; POST /l/:code matches the enterprise by credit code (or registers it, self-declared
// and unverified) and sends a one-time code to its *registered* contact mobile; POST /l/:code/verify
// checks the code and only then publishes a request directed to that bank, with portrait consent
// only if the enterprise may grant it (domain/identity.ts). The tracking page is trackingPage.ts.
//
// Double submits: the form carries a random one-time token. It is the submission's dedupeKey and
// the source of the publish Idempotency-Key, so a second verify with the same token (double tap,
// browser retry, concurrent) finds or re-derives the same request and lands on the same page. A
// reloaded form (new token) with the same company, amount and term within 30 minutes lands there
// too, once the code is verified (the tracking link is never handed to someone who did not verify).
import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Prisma } from '../../generated/prisma/client';
import { initialStatus, maskMobile, mayGrantConsent } from '../../domain/identity';
import type { ApiDeps } from '../deps';
import { smsPrincipal, startTrackingSession } from '../identity/enterpriseSessions';
import { issueCode, verifyCode } from '../identity/oneTimeCodes';
import { HttpProblem } from '../problem';
import { publishFinancingRequest } from '../publish';
import { perIpLimit } from '../rateLimits';
import { notFoundPage, sendPage } from './layout';
import { formValues, validateApplication, type FormValues, type LoanCodeApplication } from './loanCodeFields';
import { codePage, formPage, type CodeContext } from './loanCodeViews';
import { trackingPath } from './urls';

/**
 * An enterprise first seen through a loan code has no declared industry (the form stays minimal).
 * Default: C, manufacturing — the section most requesters belong to (62 % in Jiaxing); the bank
 * corrects it when it reviews the request. Registered capital is unknown: 0.
 */
export const LOAN_CODE_DEFAULT_INDUSTRY = 'C';
/** The form asks for no guarantee method: "other" means to be agreed with the bank. */
export const LOAN_CODE_GUARANTEE_METHOD = 'other';

/** A second application with the same company, bank, amount and term within this window is the first one again. */
export const DUPLICATE_WINDOW_MS = 30 * 60_000;

const CODE = /^[A-Za-z0-9_-]{8,64}$/;
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;
const newToken = (): string => randomBytes(24).toString('base64url');

/** What a loan_code_publish code unlocks (OneTimeCode.context). */
interface PendingApplication {
  formToken: string;
  application: LoanCodeApplication;
}

export const bodyString = (body: unknown, name: string): string => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v.slice(0, 200) : '';
};

/** The form filled in again from a pending application (after a refusal at publishing). */
const formOf = (a: LoanCodeApplication, formToken: string): FormValues => ({
  companyName: a.companyName,
  creditCode: a.creditCode,
  contactName: a.contactName,
  mobile: a.contactMobile,
  amountWan: String(a.amountFen / 1_000_000),
  termMonths: String(a.termMonths),
  purpose: a.purpose,
  dataConsent: a.dataConsent,
  formToken,
});

const emptyForm = (): FormValues => ({
  companyName: '',
  creditCode: '',
  contactName: '',
  mobile: '',
  amountWan: '',
  termMonths: '12',
  purpose: '',
  dataConsent: false,
  formToken: newToken(),
});

export function loanCodePagesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  const submitLimit = perIpLimit(deps.config.rateLimits);
  // Reading the form and the tracking page is cheap, but public: its own, larger per-IP budget.
  const pageLimit = perIpLimit(deps.config.rateLimits, deps.config.rateLimits.publicPerIpPerMinute * 10);

  /** The active code with its active bank, or undefined (unknown, deactivated, bank gone). */
  async function codeContext(code: string): Promise<(CodeContext & { region: string }) | undefined> {
    if (!CODE.test(code)) return undefined;
    const row = await prisma.loanCode.findUnique({ where: { id: code } });
    if (!row?.active) return undefined;
    const bank = await prisma.bank.findUnique({ where: { id: row.bankId } });
    if (!bank?.active) return undefined;
    return { code: row.id, bankId: bank.id, bankName: bank.name, branch: row.branch, region: row.region ?? bank.region };
  }

  const trackingRedirect = (res: Response, token: string) => res.redirect(303, trackingPath(token));

  r.get('/l/:code', pageLimit, async (req, res) => {
    const c = await codeContext(String(req.params.code));
    if (!c) return sendPage(res, 404, notFoundPage());
    sendPage(res, 200, formPage(c, emptyForm()));
  });

  r.post('/l/:code', submitLimit, async (req, res) => {
    const c = await codeContext(String(req.params.code));
    if (!c) return sendPage(res, 404, notFoundPage());
    const v = formValues(req.body);
    if (!TOKEN.test(v.formToken)) {
      return sendPage(res, 422, formPage(c, { ...v, formToken: newToken() }, {}, '表单已过期，请重新提交 / The form expired: please submit again.'));
    }
    const seen = await prisma.loanCodeSubmission.findUnique({ where: { dedupeKey: v.formToken } });
    if (seen && seen.loanCodeId === c.code) return trackingRedirect(res, seen.trackingToken);
    if (seen) return sendPage(res, 422, formPage(c, { ...v, formToken: newToken() }, {}, '表单已过期，请重新提交 / The form expired: please submit again.'));

    const checked = validateApplication(v);
    if (!checked.ok) return sendPage(res, 422, formPage(c, v, checked.errors));
    const a = checked.value;
    // The same form again (double tap, back and resubmit) while its code is live: the same code step.
    const live = await liveChallenge(c.code, v.formToken);
    if (live)
      return sendPage(res, 200, codePage(c, { challengeId: live.id, maskedMobile: maskMobile(live.mobile), typedOther: a.contactMobile !== live.mobile }));
    try {
      const e = await enterpriseFor(c, a);
      // Nothing is published until the holder of the registered mobile types the code sent to it.
      const issued = await issueCode(deps, {
        enterpriseId: e.id,
        purpose: 'loan_code_publish',
        ip: req.ip,
        loanCodeId: c.code,
        context: { formToken: v.formToken, application: a } as unknown as Prisma.InputJsonValue,
        publicForm: true,
      });
      sendPage(res, 200, codePage(c, { challengeId: issued.challengeId, maskedMobile: issued.maskedMobile, typedOther: a.contactMobile !== e.contactMobile }));
    } catch (err) {
      // A concurrent twin of this form won the code: show its code step.
      const twin = err instanceof HttpProblem && err.code === 'code-recently-sent' ? await liveChallenge(c.code, v.formToken) : undefined;
      if (twin)
        return sendPage(res, 200, codePage(c, { challengeId: twin.id, maskedMobile: maskMobile(twin.mobile), typedOther: a.contactMobile !== twin.mobile }));
      if (err instanceof HttpProblem) {
        // An SMS budget refusal says when to come back, as the per-IP limit of this form does.
        if (typeof err.extra.retryAfterSeconds === 'number') res.set('Retry-After', String(err.extra.retryAfterSeconds));
        return sendPage(res, err.status, formPage(c, v, {}, refusal(err)));
      }
      deps.log.error({ err, code: c.code }, 'loan-code code request failed');
      sendPage(res, 503, formPage(c, v, {}, '系统繁忙，请稍后再次提交 / The service is busy: please submit again in a moment.'));
    }
  });

  r.post('/l/:code/verify', submitLimit, async (req, res) => {
    const c = await codeContext(String(req.params.code));
    if (!c) return sendPage(res, 404, notFoundPage());
    const challengeId = bodyString(req.body, 'challengeId');
    const typed = bodyString(req.body, 'code').replace(/\s/g, '');
    const row = /^[0-9a-f-]{36}$/.test(challengeId) ? await prisma.oneTimeCode.findUnique({ where: { id: challengeId } }) : null;
    const pending = row?.loanCodeId === c.code ? (row.context as PendingApplication | null) : null;
    if (!row || !pending)
      return sendPage(res, 404, formPage(c, emptyForm(), {}, '验证已失效，请重新填写 / This verification is unknown: please fill in the form again.'));
    // A double tap on "verify": the first one published; this one follows it.
    const done = await prisma.loanCodeSubmission.findUnique({ where: { dedupeKey: pending.formToken } });
    if (done) return trackingRedirect(res, done.trackingToken);
    let verified;
    try {
      verified = await verifyCode(deps, { challengeId, code: typed, purpose: 'loan_code_publish' });
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      // A concurrent twin used the code and is publishing: follow it once it has.
      const twin = err.code === 'code-used' ? await submissionSoon(pending.formToken) : undefined;
      if (twin) return trackingRedirect(res, twin.trackingToken);
      const again = err.code === 'code-wrong' && Number(err.extra.attemptsLeft) > 0;
      const masked = maskMobile(row.mobile);
      return sendPage(res, err.status, codePage(c, { challengeId, maskedMobile: masked, typedOther: false }, codeRefusal(err), !again));
    }
    const principal = await smsPrincipal(deps, verified.enterpriseId, verified.mobile);
    await startTrackingSession(deps, req, res, principal.id);
    const a = pending.application;
    const same = await recentSameApplication(c.code, verified.enterpriseId, a);
    if (same) return trackingRedirect(res, same);
    try {
      const trackingToken = await submit(req, c, verified.enterpriseId, a, pending.formToken);
      trackingRedirect(res, trackingToken);
    } catch (err) {
      const twin = await prisma.loanCodeSubmission.findUnique({ where: { dedupeKey: pending.formToken } }).catch(() => null);
      if (twin) return trackingRedirect(res, twin.trackingToken);
      if (err instanceof HttpProblem && err.status < 500)
        return sendPage(res, err.status === 403 ? 403 : 422, formPage(c, formOf(a, pending.formToken), {}, refusal(err)));
      deps.log.error({ err, code: c.code }, 'loan-code submission failed');
      sendPage(res, 503, formPage(c, formOf(a, newToken()), {}, '系统繁忙，请稍后重新提交 / The service is busy: please submit again in a moment.'));
    }
  });

  /** The submission of this form token, waiting up to 10 s for a concurrent verify that is publishing it. */
  async function submissionSoon(formToken: string) {
    for (let i = 0; i < 100; i++) {
      const sub = await prisma.loanCodeSubmission.findUnique({ where: { dedupeKey: formToken } });
      if (sub) return sub;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  }

  /** The unused, unexpired code this form token asked for, if any. */
  async function liveChallenge(code: string, formToken: string) {
    return prisma.oneTimeCode.findFirst({
      where: {
        loanCodeId: code,
        purpose: 'loan_code_publish',
        consumedAt: null,
        expiresAt: { gt: new Date() },
        context: { path: ['formToken'], equals: formToken },
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, mobile: true },
    });
  }

  /**
   * The enterprise the application is for: matched by credit code (never changed by an anonymous
   * form), or registered now with the typed contact as self-declared, unverified, and pending review
   * when review is required. createMany + skipDuplicates: two concurrent first submissions create it once.
   */
  async function enterpriseFor(c: CodeContext & { region: string }, a: LoanCodeApplication): Promise<{ id: string; contactMobile: string }> {
    await prisma.enterprise.createMany({
      data: [
        {
          id: randomUUID(),
          creditCode: a.creditCode,
          name: a.companyName,
          contactName: a.contactName,
          contactMobile: a.contactMobile,
          industry: LOAN_CODE_DEFAULT_INDUSTRY,
          region: c.region,
          registeredCapitalFen: 0n,
          status: initialStatus(deps.config.enterpriseReviewRequired),
          source: 'loan_code',
        },
      ],
      skipDuplicates: true,
    });
    return prisma.enterprise.findUniqueOrThrow({ where: { creditCode: a.creditCode }, select: { id: true, contactMobile: true } });
  }

  /**
   * A reloaded form carries a new token: the same company asking the same bank (code) for the same
   * amount and term within DUPLICATE_WINDOW_MS is the same application, answered with its tracking link.
   */
  async function recentSameApplication(code: string, enterpriseId: string, a: LoanCodeApplication): Promise<string | undefined> {
    const recent = await prisma.loanCodeSubmission.findMany({
      where: { loanCodeId: code, enterpriseId, createdAt: { gte: new Date(Date.now() - DUPLICATE_WINDOW_MS) } },
      orderBy: { createdAt: 'desc' },
      take: 20,
    });
    if (recent.length === 0) return undefined;
    const requests = await prisma.financingRequest.findMany({
      where: { id: { in: recent.map((x) => x.financingRequestId) }, amountFen: BigInt(a.amountFen), termMonths: a.termMonths },
      select: { id: true },
    });
    return recent.find((x) => requests.some((q) => q.id === x.financingRequestId))?.trackingToken;
  }

  /** Publishes for the verified enterprise (idempotently), records the submission; returns its tracking token. */
  async function submit(req: Request, c: CodeContext & { region: string }, enterpriseId: string, a: LoanCodeApplication, formToken: string): Promise<string> {
    const enterprise = await prisma.enterprise.findUniqueOrThrow({
      where: { id: enterpriseId },
      select: { id: true, status: true, source: true, mobileVerifiedAt: true },
    });
    // Consent counts only when the enterprise may grant it (domain/identity.ts): verified mobile,
    // and approved when review is on. Otherwise the request still goes to the bank, without it.
    const dataConsent = a.dataConsent && mayGrantConsent(enterprise);
    const published = await publishFinancingRequest(
      deps,
      {
        enterpriseId: enterprise.id,
        amountFen: a.amountFen,
        termMonths: a.termMonths,
        purpose: a.purpose,
        guaranteeMethod: LOAN_CODE_GUARANTEE_METHOD,
        routing: 'directed',
        directedBankIds: [c.bankId],
        fallbackToPool: false,
        dataConsent,
        offerSelection: 'enterprise_choice',
      },
      `loan-code:${formToken}`,
      { allowPendingReview: true },
    );
    await prisma.loanCodeSubmission.createMany({
      data: [
        {
          id: randomUUID(),
          loanCodeId: c.code,
          enterpriseId: enterprise.id,
          financingRequestId: published.id,
          trackingToken: randomBytes(32).toString('base64url'),
          dedupeKey: formToken,
          ip: req.ip ?? null,
        },
      ],
      skipDuplicates: true,
    });
    const stored = await prisma.loanCodeSubmission.findUniqueOrThrow({ where: { dedupeKey: formToken }, select: { trackingToken: true } });
    return stored.trackingToken;
  }

  return r;
}

/** What the applicant is told when publishing is refused (inactive enterprise, bank gone, …). */
function refusal(p: HttpProblem): string {
  if (p.code === 'enterprise-not-active')
    return '该企业尚未通过审核或已暂停，暂不能提交 / This enterprise is awaiting review or suspended and cannot publish yet.';
  if (p.code === 'unknown-bank') return '该银行暂不受理 / This bank does not take requests at the moment.';
  if (p.code === 'mobile-not-mainland')
    return '该企业登记的手机号码不是中国大陆手机号码，无法发送验证码，请联系银行或平台 / The registered mobile is not a mainland number: please contact the bank or the platform.';
  if (p.code === 'code-recently-sent') return `验证码刚刚发送过，请稍后再试 / A code was sent a moment ago: ${p.detail ?? ''}`;
  if (p.code === 'sms-budget-exhausted') return `验证码发送次数已达上限，请稍后再试 / ${p.title}: please try later.`;
  if (p.code === 'sms-circuit-open' || p.code === 'sms-unavailable') return '验证码服务繁忙，请稍后再试 / Codes cannot be sent right now: please try later.';
  return `无法提交 / Could not submit: ${p.title}`;
}

/** What the applicant is told when a code is refused. */
export function codeRefusal(p: HttpProblem): string {
  if (p.code === 'code-wrong') return `验证码不正确 / The code is not right (${p.detail ?? ''})`;
  if (p.code === 'code-expired') return '验证码已过期，请重新获取 / The code expired: ask for a new one.';
  if (p.code === 'code-locked') return '错误次数过多，请重新获取验证码 / Too many wrong codes: ask for a new one.';
  if (p.code === 'code-used') return '验证码已使用 / This code was already used.';
  if (p.code === 'mobile-changed') return '登记手机号已变更，请重新获取验证码 / The registered mobile changed: ask for a new code.';
  return `验证失败 / Verification failed: ${p.title}`;
}
