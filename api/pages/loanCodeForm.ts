// Public loan-code pages (no credentials): GET /l/:code shows the phone form with the code's bank
// preselected; POST /l/:code registers or matches the enterprise by credit code and publishes a
// request directed to that bank; GET /t/:token shows the request's stage and timeline.
//
// Double submits: the form carries a random one-time token. It is the submission's dedupeKey and
// the source of the publish Idempotency-Key, so a second POST with the same token (double tap,
// browser retry, concurrent) finds or re-derives the same request and lands on the same page. A
// reloaded form (new token) with the same company, amount and term within 30 minutes lands there too.
import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { publishFinancingRequest } from '../publish';
import { perIpLimit } from '../rateLimits';
import { notFoundPage, sendPage } from './layout';
import { formValues, validateApplication, type FormValues, type LoanCodeApplication } from './loanCodeFields';
import { formPage, timelineLabel, trackingPage, type CodeContext } from './loanCodeViews';
import { publicBase, trackingPath } from './urls';

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
    const same = await recentSameApplication(c.code, checked.value);
    if (same) return trackingRedirect(res, same);

    try {
      const trackingToken = await submit(req, c, checked.value, v.formToken);
      trackingRedirect(res, trackingToken);
    } catch (err) {
      // A concurrent twin with the same token may have won (and its key now differs in body): follow it.
      const twin = await prisma.loanCodeSubmission.findUnique({ where: { dedupeKey: v.formToken } }).catch(() => null);
      if (twin) return trackingRedirect(res, twin.trackingToken);
      if (err instanceof HttpProblem && err.status < 500) return sendPage(res, err.status === 403 ? 403 : 422, formPage(c, v, {}, refusal(err)));
      deps.log.error({ err, code: c.code }, 'loan-code submission failed');
      // The same token stays in the form: submitting again is safe.
      sendPage(res, 503, formPage(c, v, {}, '系统繁忙，请稍后再次提交 / The service is busy: please submit again in a moment.'));
    }
  });

  /**
   * A reloaded form carries a new token: the same company asking the same bank (code) for the same
   * amount and term within DUPLICATE_WINDOW_MS is the same application, answered with its tracking link.
   */
  async function recentSameApplication(code: string, a: LoanCodeApplication): Promise<string | undefined> {
    const enterprise = await prisma.enterprise.findUnique({ where: { creditCode: a.creditCode }, select: { id: true } });
    if (!enterprise) return undefined;
    const recent = await prisma.loanCodeSubmission.findMany({
      where: { loanCodeId: code, enterpriseId: enterprise.id, createdAt: { gte: new Date(Date.now() - DUPLICATE_WINDOW_MS) } },
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

  /** Matches or registers the enterprise, publishes (idempotently), records the submission; returns its tracking token. */
  async function submit(req: Request, c: CodeContext & { region: string }, a: LoanCodeApplication, formToken: string): Promise<string> {
    // createMany + skipDuplicates: two concurrent first submissions of one company create it once.
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
          status: 'active',
          source: 'loan_code',
        },
      ],
      skipDuplicates: true,
    });
    // An existing enterprise is matched, never overwritten: an anonymous form may not change its profile.
    const enterprise = await prisma.enterprise.findUniqueOrThrow({ where: { creditCode: a.creditCode }, select: { id: true, contactMobile: true } });
    // Credit codes are public: consent to share the enterprise's credit portrait counts only from its
    // registered contact's mobile (a new enterprise's is the one just given), so an anonymous form
    // cannot open another company's portrait to a bank. Same answer on a retry of the same form.
    const dataConsent = a.dataConsent && enterprise.contactMobile === a.contactMobile;
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

  r.get('/t/:token', pageLimit, async (req, res) => {
    const token = String(req.params.token);
    const sub = TOKEN.test(token) ? await prisma.loanCodeSubmission.findUnique({ where: { trackingToken: token } }) : null;
    if (!sub) return sendPage(res, 404, notFoundPage());
    const code = await prisma.loanCode.findUnique({ where: { id: sub.loanCodeId }, select: { bankId: true } });
    const bank = code ? await prisma.bank.findUnique({ where: { id: code.bankId }, select: { name: true } }) : null;
    // Only the stage and the timeline: the link is a bearer secret, but it shows no enterprise data.
    const request = await prisma.financingRequest.findUnique({
      where: { id: sub.financingRequestId },
      select: { stage: true, closeReason: true, events: { orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { event: true, at: true } } },
    });
    const timeline = (request?.events ?? []).flatMap((e) => {
      const label = timelineLabel(e.event);
      return label ? [{ label, at: e.at }] : [];
    });
    sendPage(
      res,
      200,
      trackingPage({
        bankName: bank?.name ?? '',
        trackingUrl: publicBase(deps, req) + trackingPath(token),
        stage: request?.stage ?? 'published',
        closeReason: request?.closeReason ?? null,
        recorded: Boolean(request),
        timeline,
      }),
    );
  });

  return r;
}

/** What the applicant is told when publishing is refused (inactive enterprise, bank gone, …). */
function refusal(p: HttpProblem): string {
  if (p.code === 'enterprise-not-active')
    return '该企业尚未通过审核或已暂停，暂不能提交 / This enterprise is awaiting review or suspended and cannot publish yet.';
  if (p.code === 'unknown-bank') return '该银行暂不受理 / This bank does not take requests at the moment.';
  return `无法提交 / Could not submit: ${p.title}`;
}
