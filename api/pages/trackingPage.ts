// The public tracking page of a loan-code request, GET /t/:token: stage and timeline for whoever
// holds the link (a bearer secret, so no enterprise data), and, once the holder of the enterprise's
// registered mobile has typed a one-time code (POST /t/:token/code, /verify), the banks' offers
// with choose, withdraw and the 4C rating (after the loan, or after the request ended without one).
// Actions are the same Temporal updates the API uses, acting as the enterprise; a rating after a
// request ended without a loan is written directly (the request's workflow has finished).
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { maskMobile } from '../../domain/identity';
import { ratingOpenWithoutLoan } from '../../domain/rating';
import type { CloseReason, Stage } from '../../domain/vocabulary';
import { financingRequestWorkflowId } from '../../domain/ids';
import { chooseOfferUpdate, getStateQuery, rateUpdate, withdrawUpdate } from '../../workflows/messages';
import type { FinancingRequestState } from '../../workflows/state';
import type { ApiDeps } from '../deps';
import { smsPrincipal, startTrackingSession, trackingSessionEnterprise } from '../identity/enterpriseSessions';
import { issueCode, verifyCode } from '../identity/oneTimeCodes';
import { HttpProblem } from '../problem';
import { perIpLimit } from '../rateLimits';
import { mapTemporalError } from '../temporalErrors';
import { escapeHtml, notFoundPage, page, sendPage } from './layout';
import { bodyString, codeRefusal } from './loanCodeForm';
import { codeForm, timelineLabel, trackingPage } from './loanCodeViews';
import { enterpriseActions, verifyCard, type OfferView } from './trackingViews';
import { publicBase, trackingPath } from './urls';

const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;
const ACTION_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const OFFER_STATUSES = ['approved', 'guarantee_pending', 'disbursed', 'not_chosen'];

export function trackingPagesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  const pageLimit = perIpLimit(deps.config.rateLimits, deps.config.rateLimits.publicPerIpPerMinute * 10);
  const actLimit = perIpLimit(deps.config.rateLimits);

  async function submissionOf(req: Request) {
    const token = String(req.params.token);
    const sub = TOKEN.test(token) ? await prisma.loanCodeSubmission.findUnique({ where: { trackingToken: token } }) : null;
    return sub ? { ...sub, token, base: trackingPath(token) } : undefined;
  }
  type Submission = NonNullable<Awaited<ReturnType<typeof submissionOf>>>;

  /** The live workflow state, or undefined once the workflow has finished (or is not there yet). */
  async function liveState(requestId: string): Promise<FinancingRequestState | undefined> {
    const handle = deps.temporal.workflow.getHandle(financingRequestWorkflowId(requestId));
    const running = await handle.describe().then(
      (d) => d.status.name === 'RUNNING',
      () => false,
    );
    return running ? handle.query(getStateQuery).catch(() => undefined) : undefined;
  }

  async function render(req: Request, res: Response, sub: Submission, status = 200, alert?: string): Promise<void> {
    const code = await prisma.loanCode.findUnique({ where: { id: sub.loanCodeId }, select: { bankId: true } });
    const bank = code ? await prisma.bank.findUnique({ where: { id: code.bankId }, select: { id: true, name: true } }) : null;
    const request = await prisma.financingRequest.findUnique({
      where: { id: sub.financingRequestId },
      select: {
        stage: true,
        closeReason: true,
        offerSelection: true,
        updatedAt: true,
        rating: { select: { id: true } },
        events: { orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { event: true, at: true } },
      },
    });
    const timeline = (request?.events ?? []).flatMap((e) => {
      const label = timelineLabel(e.event);
      return label ? [{ label, at: e.at }] : [];
    });
    const session = await trackingSessionEnterprise(deps, req);
    let actionsHtml: string | undefined;
    if (request && session === sub.enterpriseId) {
      actionsHtml = await actionsFor(sub, request, bank);
    } else if (request) actionsHtml = verifyCard(sub.base);
    sendPage(
      res,
      status,
      trackingPage({
        bankName: bank?.name ?? '',
        trackingUrl: publicBase(deps, req) + trackingPath(sub.token),
        stage: (request?.stage ?? 'published') as Stage,
        closeReason: (request?.closeReason ?? null) as CloseReason | null,
        recorded: Boolean(request),
        timeline,
        actionsHtml,
        alert,
      }),
    );
  }

  async function actionsFor(
    sub: Submission,
    request: { stage: string; closeReason: string | null; offerSelection: string; updatedAt: Date; rating: { id: string } | null },
    codeBank: { id: string; name: string } | null,
  ): Promise<string> {
    const state = await liveState(sub.financingRequestId);
    const claims = await prisma.claim.findMany({
      where: { financingRequestId: sub.financingRequestId, status: { in: OFFER_STATUSES as never } },
      include: { bank: { select: { name: true } }, guarantee: { include: { guaranteeInstitution: { select: { name: true } } } } },
      orderBy: { createdAt: 'asc' },
    });
    const guarantorIds = state?.claims.flatMap((c) => (c.offer?.guaranteeInstitutionId ? [c.offer.guaranteeInstitutionId] : [])) ?? [];
    const guarantors = new Map(
      (await prisma.guaranteeInstitution.findMany({ where: { id: { in: guarantorIds } }, select: { id: true, name: true } })).map((g) => [g.id, g.name]),
    );
    const offers: OfferView[] = claims
      .filter((c) => c.approvedAmountFen !== null)
      .map((c) => {
        const live = state?.claims.find((x) => x.bankId === c.bankId);
        const guarantorId = c.guarantee?.guaranteeInstitutionId ?? live?.offer?.guaranteeInstitutionId;
        return {
          bankId: c.bankId,
          bankName: c.bank.name,
          status: live?.status ?? c.status,
          approvedAmountFen: Number(c.approvedAmountFen),
          annualRateBp: c.annualRateBp ?? 0,
          termMonths: c.offerTermMonths ?? 0,
          repaymentMethod: c.repaymentMethod ?? '',
          guarantorName: guarantorId ? (c.guarantee?.guaranteeInstitution.name ?? guarantors.get(guarantorId) ?? guarantorId) : undefined,
          guaranteeFeeFen: c.guarantee?.feeFen === null || c.guarantee?.feeFen === undefined ? null : Number(c.guarantee.feeFen),
        };
      });
    const open = state !== undefined && state.stage !== 'closed';
    const disbursedBank = state?.claims.find((c) => c.status === 'disbursed')?.bankId;
    let rateBank: { bankId: string; bankName: string } | undefined;
    if (!request.rating) {
      // Both the workflow and the stored stage (which the page shows) say disbursed.
      if (open && state.stage === 'disbursed' && request.stage === 'disbursed' && !state.rated && disbursedBank)
        rateBank = { bankId: disbursedBank, bankName: offers.find((o) => o.bankId === disbursedBank)?.bankName ?? disbursedBank };
      else if (!open && codeBank && ratingOpenWithoutLoan(request.closeReason as CloseReason | null, request.updatedAt, new Date()))
        rateBank = { bankId: codeBank.id, bankName: codeBank.name };
    }
    return enterpriseActions({
      base: sub.base,
      actionToken: randomBytes(18).toString('base64url'),
      offers,
      canChoose: open && request.offerSelection === 'enterprise_choice' && !state.chosenBankId,
      canWithdraw: open && state.stage !== 'disbursed',
      rateBank,
      rated: Boolean(request.rating),
    });
  }

  r.get('/t/:token', pageLimit, async (req, res) => {
    const sub = await submissionOf(req);
    if (!sub) return sendPage(res, 404, notFoundPage());
    await render(req, res, sub);
  });

  r.post('/t/:token/code', actLimit, async (req, res) => {
    const sub = await submissionOf(req);
    if (!sub) return sendPage(res, 404, notFoundPage());
    try {
      const issued = await issueCode(deps, { enterpriseId: sub.enterpriseId, purpose: 'tracking', ip: req.ip, loanCodeId: sub.loanCodeId, publicForm: true });
      sendPage(res, 200, trackingCodePage(sub.base, { challengeId: issued.challengeId, maskedMobile: issued.maskedMobile, typedOther: false }));
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      await render(req, res, sub, err.status, `${err.title}. ${err.detail ?? ''}`);
    }
  });

  r.post('/t/:token/verify', actLimit, async (req, res) => {
    const sub = await submissionOf(req);
    if (!sub) return sendPage(res, 404, notFoundPage());
    const challengeId = bodyString(req.body, 'challengeId');
    const row = /^[0-9a-f-]{36}$/.test(challengeId)
      ? await prisma.oneTimeCode.findUnique({ where: { id: challengeId }, select: { enterpriseId: true, mobile: true } })
      : null;
    if (!row || row.enterpriseId !== sub.enterpriseId)
      return render(req, res, sub, 404, '验证已失效，请重新获取验证码 / This verification is unknown: ask for a new code.');
    try {
      const v = await verifyCode(deps, { challengeId, code: bodyString(req.body, 'code').replace(/\s/g, ''), purpose: 'tracking' });
      const principal = await smsPrincipal(deps, v.enterpriseId, v.mobile);
      await startTrackingSession(deps, req, res, principal.id);
      res.redirect(303, sub.base);
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      const again = err.code === 'code-wrong' && Number(err.extra.attemptsLeft) > 0;
      if (!again) return render(req, res, sub, err.status, codeRefusal(err));
      sendPage(res, err.status, trackingCodePage(sub.base, { challengeId, maskedMobile: maskMobile(row.mobile), typedOther: false }, codeRefusal(err)));
    }
  });

  /** Runs an enterprise action for the verified session, then shows the page again. */
  function action(path: string, run: (sub: Submission, actionToken: string, body: Record<string, unknown>) => Promise<void>) {
    r.post(`/t/:token/${path}`, actLimit, async (req, res) => {
      const sub = await submissionOf(req);
      if (!sub) return sendPage(res, 404, notFoundPage());
      // No session: back to the page, which offers the code.
      if ((await trackingSessionEnterprise(deps, req)) !== sub.enterpriseId) return res.redirect(303, sub.base);
      const actionToken = bodyString(req.body, 'actionToken');
      if (!ACTION_TOKEN.test(actionToken)) return render(req, res, sub, 422, '页面已过期，请重试 / The page expired: please try again.');
      try {
        await run(sub, actionToken, (req.body ?? {}) as Record<string, unknown>);
      } catch (err) {
        const problem = toProblem(err);
        return render(req, res, sub, problem.status, `${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
      }
      res.redirect(303, sub.base);
    });
  }

  const handle = (sub: Submission) => deps.temporal.workflow.getHandle(financingRequestWorkflowId(sub.financingRequestId));

  action('choose', async (sub, t, body) => {
    const bankId = bodyString(body, 'bankId');
    if (!/^[a-z0-9-]{1,64}$/.test(bankId)) throw new HttpProblem(422, 'validation-failed', 'Choose one of the offers');
    await handle(sub).executeUpdate(chooseOfferUpdate, { args: [{ bankId }], updateId: `choose-offer:${bankId}:page-${t}` });
  });

  action('withdraw', async (sub, t) => {
    await handle(sub).executeUpdate(withdrawUpdate, { args: [{ reason: 'withdrawn on the tracking page' }], updateId: `withdraw::page-${t}` });
  });

  action('rate', async (sub, t, body) => {
    const score = (k: string) => {
      const n = Number(bodyString(body, k));
      if (!Number.isInteger(n) || n < 1 || n > 5) throw new HttpProblem(422, 'validation-failed', 'Each score is 1–5', k);
      return n;
    };
    const comment = (typeof body.comment === 'string' ? body.comment : '').trim().slice(0, 1000) || undefined;
    const rating = { meetsNeed: score('meetsNeed'), cost: score('cost'), speed: score('speed'), communication: score('communication'), comment };
    const state = await liveState(sub.financingRequestId);
    // A closed request's workflow may still be finishing its deliveries: it takes no rating any more.
    if (state && state.stage !== 'closed') {
      await handle(sub).executeUpdate(rateUpdate, { args: [rating], updateId: `rating::page-${t}` });
      return;
    }
    // The request has ended: only one that ended without a loan may still be rated.
    const request = await prisma.financingRequest.findUniqueOrThrow({ where: { id: sub.financingRequestId }, select: { closeReason: true, updatedAt: true } });
    if (!ratingOpenWithoutLoan(request.closeReason as CloseReason | null, request.updatedAt, new Date()))
      throw new HttpProblem(409, 'rating-closed', 'This request can no longer be rated');
    const code = await prisma.loanCode.findUniqueOrThrow({ where: { id: sub.loanCodeId }, select: { bankId: true } });
    await prisma.rating.createMany({
      data: [
        { id: `rating-${sub.financingRequestId}`, financingRequestId: sub.financingRequestId, bankId: code.bankId, ...rating, comment: rating.comment ?? null },
      ],
      skipDuplicates: true,
    });
  });

  return r;
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof WorkflowNotFoundError) return new HttpProblem(409, 'request-closed', 'The request is closed');
  try {
    mapTemporalError(err);
  } catch (mapped) {
    if (mapped instanceof HttpProblem) return mapped;
  }
  throw err;
}

function trackingCodePage(base: string, ch: { challengeId: string; maskedMobile: string; typedOther: boolean }, alert?: string): string {
  const body = `${alert ? `<div class="alert" role="alert">${escapeHtml(alert)}</div>` : ''}${codeForm(`${base}/verify`, ch)}`;
  return page({ title: '短信验证 Verify by SMS', heading: '短信验证 · Verify by SMS', subheading: '融资需求进度 Request status', body });
}
