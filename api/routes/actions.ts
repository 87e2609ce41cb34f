// Every action on a running request is a Temporal update on one workflow: the request itself
// (enterprise actions, grabs), a bank's claim, or a guarantee. One table lists them; the route,
// its validation, its OpenAPI entry and its error mapping all come from that table.
import { Router, type Request, type Response } from 'express';
import { notVisible, ownBank, ownEnterprise, ownGuarantor, principalOf, requireRole } from '../auth/access';
import type { ClaimState, FinancingRequestState, GuaranteeState } from '../../workflows/state';
import { claimActionView, guaranteeStateView, requestStateView } from './actionViews';
import { auditRefusal } from '../auth/audit';
import type { Principal } from '../auth/principal';
import { inRegion } from '../auth/requestAccess';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import * as m from '../../workflows/messages';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import * as sc from '../schemas/financingRequests';
import { mapTemporalError } from '../temporalErrors';
import { idempotencyKey, parseBody, parseParams } from '../validate';
import { WorkflowNotFoundError } from '@temporalio/client';

type Target = 'request' | 'claim' | 'guarantee';

export interface ActionSpec {
  /** Path under /v1/financing-requests. */
  path: string;
  summary: string;
  target: Target;
  update: UpdateDefinition<unknown, [any], string>;
  body: z.ZodType;
  /** Who acts (the only role allowed); the acting organisation is always the caller's own. */
  actor: 'enterprise' | 'bank' | 'guaranteeInstitution';
}

export const ACTIONS: ActionSpec[] = [
  {
    path: '/:id/withdraw',
    summary: 'The enterprise withdraws the request (any time before disbursement)',
    target: 'request',
    update: m.withdrawUpdate,
    body: sc.withdrawBody,
    actor: 'enterprise',
  },
  {
    path: '/:id/choose-offer',
    summary: 'The enterprise chooses one approved offer',
    target: 'request',
    update: m.chooseOfferUpdate,
    body: sc.chooseOfferBody,
    actor: 'enterprise',
  },
  {
    path: '/:id/rating',
    summary: 'The enterprise rates the bank (4C, 1–5 each)',
    target: 'request',
    update: m.rateUpdate,
    body: sc.ratingBody,
    actor: 'enterprise',
  },
  { path: '/:id/grab', summary: 'A bank grabs an open-pool request (first 3 win)', target: 'request', update: m.grabUpdate, body: sc.grabBody, actor: 'bank' },
  { path: '/:id/accept', summary: 'A directed bank accepts (受理)', target: 'claim', update: m.acceptUpdate, body: sc.bankActionBody, actor: 'bank' },
  { path: '/:id/reject', summary: 'A directed bank rejects, with a reason', target: 'claim', update: m.rejectUpdate, body: sc.bankReasonBody, actor: 'bank' },
  {
    path: '/:id/start-review',
    summary: 'The bank starts its review (审核)',
    target: 'claim',
    update: m.startReviewUpdate,
    body: sc.bankActionBody,
    actor: 'bank',
  },
  { path: '/:id/approve', summary: 'The bank approves (审批) with an offer', target: 'claim', update: m.approveUpdate, body: sc.approveBody, actor: 'bank' },
  { path: '/:id/decline', summary: 'The bank declines, with a reason', target: 'claim', update: m.declineUpdate, body: sc.bankReasonBody, actor: 'bank' },
  {
    path: '/:id/continue-without-guarantee',
    summary: 'After the guarantor declined, the bank lends without it',
    target: 'claim',
    update: m.continueWithoutGuaranteeUpdate,
    body: sc.bankActionBody,
    actor: 'bank',
  },
  { path: '/:id/disburse', summary: 'The bank records the loan (放款)', target: 'claim', update: m.disburseUpdate, body: sc.disburseBody, actor: 'bank' },
  {
    path: '/:id/guarantees/:bankId/approve',
    summary: 'The guarantee institution approves, with its fee',
    target: 'guarantee',
    update: m.guaranteeApproveUpdate,
    body: sc.guaranteeDecisionBody,
    actor: 'guaranteeInstitution',
  },
  {
    path: '/:id/guarantees/:bankId/decline',
    summary: 'The guarantee institution declines, with a reason',
    target: 'guarantee',
    update: m.guaranteeDeclineUpdate,
    body: sc.guaranteeDecisionBody,
    actor: 'guaranteeInstitution',
  },
];

/** The enterprise acts only on its own requests; others' are "not found" (their existence is not leaked). */
async function assertOwnRequest(req: Request, res: Response, deps: ApiDeps, id: string, enterpriseId: string): Promise<void> {
  const row = await deps.prisma.financingRequest.findUnique({ where: { id }, select: { enterpriseId: true } });
  let owner = row?.enterpriseId;
  if (!row) {
    // Published a moment ago: not persisted yet, the workflow knows its enterprise.
    owner = await deps.temporal.workflow
      .getHandle(financingRequestWorkflowId(id))
      .query(m.getStateQuery)
      .then((s) => s.enterpriseId)
      .catch(() => undefined);
  }
  if (owner !== enterpriseId) notVisible(req, res, deps.prisma, 'financing request', `request ${id} is not this enterprise's`);
}

/** A branch user acts only on requests of its region's enterprises; others' are "not found". */
async function assertRequestInRegion(req: Request, res: Response, deps: ApiDeps, id: string): Promise<void> {
  const p = principalOf(res);
  if (!p.region) return;
  const row = await deps.prisma.financingRequest.findUnique({ where: { id }, select: { enterprise: { select: { region: true } } } });
  let region = row?.enterprise.region;
  if (!row) {
    // Published a moment ago: the workflow knows its enterprise.
    const enterpriseId = await deps.temporal.workflow
      .getHandle(financingRequestWorkflowId(id))
      .query(m.getStateQuery)
      .then((s) => s.enterpriseId)
      .catch(() => undefined);
    if (enterpriseId) region = (await deps.prisma.enterprise.findUnique({ where: { id: enterpriseId }, select: { region: true } }))?.region;
  }
  if (!inRegion(p, region)) notVisible(req, res, deps.prisma, 'financing request', `request ${id} is outside region ${p.region}`);
}

/** A bank acts only on a claim it holds (row persisted, or the claim workflow started a moment ago). */
async function assertHoldsClaim(req: Request, res: Response, deps: ApiDeps, id: string, bankId: string): Promise<void> {
  if (await deps.prisma.claim.count({ where: { financingRequestId: id, bankId } })) return;
  const started = await deps.temporal.workflow
    .getHandle(claimWorkflowId(id, bankId))
    .describe()
    .then(
      () => true,
      () => false,
    );
  if (started) return;
  auditRefusal(deps.prisma, req, res.locals.principal as Principal | undefined, 404, `bank ${bankId} holds no claim on ${id}`);
  throw new HttpProblem(404, 'no-claim', 'Your bank holds no claim on this request');
}

/** The caller's view of what it acted on, never the raw workflow state (which holds every bank's claim). */
function answerOf(target: Target, p: Principal, result: unknown) {
  if (target === 'request') return requestStateView(p, result as FinancingRequestState);
  if (target === 'claim') return claimActionView(result as ClaimState);
  return guaranteeStateView(result as GuaranteeState);
}

function workflowIdFor(target: Target, requestId: string, bankId: string | undefined): string {
  if (target === 'request') return financingRequestWorkflowId(requestId);
  if (target === 'claim') return claimWorkflowId(requestId, bankId!);
  return `guarantee-${requestId}:${bankId!}`;
}

export function actionsRouter(deps: ApiDeps): Router {
  const r = Router();
  for (const a of ACTIONS) {
    const name = a.path.split('/').at(-1)!;
    r.post(a.path, async (req, res) => {
      // Role and ownership first (a caller who may not act learns nothing from validation), then the body.
      requireRole(req, res, deps.prisma, a.actor);
      const { id, bankId: pathBank } = parseParams(a.path.includes(':bankId') ? sc.claimParams : sc.financingRequestParams, req) as {
        id: string;
        bankId?: string;
      };
      if (a.actor === 'enterprise') await assertOwnRequest(req, res, deps, id, ownEnterprise(req, res, deps.prisma));
      if (a.actor === 'bank') await assertRequestInRegion(req, res, deps, id);
      if (a.target === 'claim') await assertHoldsClaim(req, res, deps, id, ownBank(req, res, deps.prisma));
      const key = idempotencyKey(req);
      const body = parseBody(a.body, req) as { bankId?: string; guaranteeInstitutionId?: string };
      // The caller acts for its own organisation only; a body naming another is refused (403, audited).
      if (a.actor === 'bank') body.bankId = ownBank(req, res, deps.prisma, body.bankId);
      else if (a.actor === 'guaranteeInstitution') body.guaranteeInstitutionId = ownGuarantor(req, res, deps.prisma, body.guaranteeInstitutionId);
      const bankId = pathBank ?? body.bankId;
      const handle = deps.temporal.workflow.getHandle(workflowIdFor(a.target, id, bankId));
      try {
        // The Idempotency-Key is the update id: Temporal runs an update id once per workflow.
        const result = await handle.executeUpdate(a.update, { args: [body], updateId: `${name}:${bankId ?? ''}:${key}` });
        res.json(answerOf(a.target, principalOf(res), result));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          // Updates cannot reach a completed workflow; tell "closed" apart from "never existed".
          const closed = await handle.describe().then(
            (d) => d.status.name,
            () => undefined,
          );
          if (closed) throw new HttpProblem(409, 'closed', `This ${a.target === 'request' ? 'request' : a.target} is closed`, `workflow status ${closed}`);
        }
        if (err instanceof WorkflowNotFoundError && a.target !== 'request')
          throw new HttpProblem(
            404,
            a.target === 'claim' ? 'no-claim' : 'no-guarantee',
            a.target === 'claim' ? 'Your bank holds no claim on this request' : 'No guarantee was requested for this claim',
          );
        mapTemporalError(err);
      }
    });
  }
  return r;
}
