// /v1/financing-requests: publish (enterprises), list and read (each principal sees what
// api/auth/requestAccess.ts allows), and the actions (api/routes/actions.ts).
import { Router } from 'express';
import { financingRequestWorkflowId } from '../../domain/ids';
import { getStateQuery } from '../../workflows/messages';
import type { FinancingRequestState } from '../../workflows/state';
import { notVisible, ownEnterprise, principalOf, requireRole } from '../auth/access';
import { isOverseer, type Principal } from '../auth/principal';
import { visibleClaimBanks, visibleRequests } from '../auth/requestAccess';
import type { ApiDeps } from '../deps';
import { afterCursor, CURSOR_ORDER, decodeCursor, page } from '../pagination';
import { publishFinancingRequest, temporalUiLink } from '../publish';
import {
  financingRequestParams,
  financingRequestsQuery,
  publishFinancingRequestBody,
  type FinancingRequestSummary,
  type FinancingRequestView,
} from '../schemas/financingRequests';
import { mapTemporalError } from '../temporalErrors';
import { idempotencyKey, parseBody, parseParams, parseQuery } from '../validate';
import type { Prisma } from '../../generated/prisma/client';

type Row = Prisma.FinancingRequestGetPayload<{ include: { claims: { include: { guarantee: true } } } }>;

function summary(deps: ApiDeps, row: Row, p: Principal): FinancingRequestSummary {
  const seen = visibleClaimBanks(
    p,
    row.claims.map((c) => ({ bankId: c.bankId, guaranteeInstitutionId: c.guarantee?.guaranteeInstitutionId })),
  );
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    amountFen: Number(row.amountFen),
    termMonths: row.termMonths,
    purpose: row.purpose,
    guaranteeMethod: row.guaranteeMethod,
    routing: row.routing,
    // A bank learns only whether it was named, not which competitors were.
    directedBankIds: isOverseer(p) || p.role === 'enterprise' ? row.directedBankIds : row.directedBankIds.filter((b) => seen.has(b) || b === p.bankId),
    productId: row.productId,
    stage: row.stage,
    closeReason: row.closeReason,
    poolClosesAt: row.poolClosesAt?.toISOString() ?? null,
    // The Temporal workflow and its UI are operators' tools: overseers only.
    ...(isOverseer(p) ? { workflowId: row.workflowId, temporalUiUrl: temporalUiLink(deps, row.workflowId) } : {}),
    createdAt: row.createdAt.toISOString(),
    claims: row.claims
      .filter((c) => seen.has(c.bankId))
      .map((c) => ({
        bankId: c.bankId,
        origin: c.origin,
        status: c.status,
        deadlineAt: c.deadlineAt?.toISOString() ?? null,
        reason: c.reason,
        offer:
          c.approvedAmountFen !== null && c.annualRateBp !== null && c.offerTermMonths !== null
            ? {
                approvedAmountFen: Number(c.approvedAmountFen),
                annualRateBp: c.annualRateBp,
                termMonths: c.offerTermMonths,
                repaymentMethod: c.repaymentMethod,
              }
            : null,
      })),
  };
}

/** `offer:chosen:<bank>` names the winner: a losing bank learns only that it was not chosen (its claim says so). */
function otherBanksChoice(event: string, bankId: string | null): boolean {
  const m = /^offer:chosen:(.+)$/.exec(event);
  return Boolean(m && m[1] !== bankId);
}

export function financingRequestsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  async function view(id: string, p: Principal): Promise<FinancingRequestView | undefined> {
    const row = await prisma.financingRequest.findFirst({
      where: { AND: [{ id }, visibleRequests(p)] },
      include: { claims: { orderBy: { createdAt: 'asc' }, include: { guarantee: true } }, events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    });
    if (!row) return undefined;
    const s = summary(deps, row, p);
    const seen = new Set(s.claims.map((c) => c.bankId));
    return {
      ...s,
      timeline: row.events
        .map((e) => ({ event: e.event, actor: e.actor, at: e.at.toISOString(), ...(e.claimId ? { bankId: e.claimId.split(':')[1] } : {}) }))
        // Another bank's steps are that bank's business, and so is which bank the enterprise chose.
        .filter((e) => (!e.bankId || seen.has(e.bankId)) && !(p.role === 'bank' && otherBanksChoice(e.event, p.bankId))),
    };
  }

  r.post('/', async (req, res) => {
    // Role before anything else: a caller who may not publish learns nothing from validation.
    requireRole(req, res, prisma, 'enterprise');
    const key = idempotencyKey(req);
    const body = parseBody(publishFinancingRequestBody, req);
    const enterpriseId = ownEnterprise(req, res, prisma, body.enterpriseId);
    const out = await publishFinancingRequest(deps, { ...body, enterpriseId }, key);
    const { status, id, stage } = out;
    if (status === 200) res.set('Idempotent-Replayed', 'true');
    else res.location(`/v1/financing-requests/${out.id}`);
    // Temporal identifiers and links are for operators, not for the enterprise.
    res.status(status).json({ id, stage });
  });

  r.get('/', async (req, res) => {
    const p = principalOf(res);
    const q = parseQuery(financingRequestsQuery, req);
    const where: Prisma.FinancingRequestWhereInput = {
      AND: [
        visibleRequests(p),
        {
          ...(q.stage ? { stage: q.stage } : {}),
          ...(q.routing ? { routing: q.routing } : {}),
          ...(q.guaranteeMethod ? { guaranteeMethod: q.guaranteeMethod } : {}),
          ...(q.enterpriseId ? { enterpriseId: q.enterpriseId } : {}),
          ...(q.minAmountFen !== undefined || q.maxAmountFen !== undefined
            ? {
                amountFen: {
                  ...(q.minAmountFen !== undefined ? { gte: BigInt(q.minAmountFen) } : {}),
                  ...(q.maxAmountFen !== undefined ? { lte: BigInt(q.maxAmountFen) } : {}),
                },
              }
            : {}),
          ...(q.createdFrom || q.createdTo
            ? { createdAt: { ...(q.createdFrom ? { gte: new Date(q.createdFrom) } : {}), ...(q.createdTo ? { lt: new Date(q.createdTo) } : {}) } }
            : {}),
        },
        afterCursor(decodeCursor(q.cursor)),
      ],
    };
    const rows = await prisma.financingRequest.findMany({
      where,
      include: { claims: { orderBy: { createdAt: 'asc' }, include: { guarantee: true } } },
      orderBy: CURSOR_ORDER,
      take: q.limit + 1,
    });
    const pg = page(rows, q.limit);
    res.json({ items: pg.items.map((row) => summary(deps, row, p)), nextCursor: pg.nextCursor });
  });

  r.get('/:id', async (req, res) => {
    const p = principalOf(res);
    const { id } = parseParams(financingRequestParams, req);
    const v = await view(id, p);
    if (v) return void res.json(v);
    // Not in the database: published a moment ago (the first activity has not run) or not visible.
    if ((await prisma.financingRequest.count({ where: { id } })) > 0)
      notVisible(req, res, prisma, 'financing request', `request ${id} not visible to ${p.role}`);
    let state: FinancingRequestState;
    try {
      state = await deps.temporal.workflow.getHandle(financingRequestWorkflowId(id)).query(getStateQuery);
    } catch (err) {
      return mapTemporalError(err);
    }
    if (!isOverseer(p) && state.enterpriseId !== p.enterpriseId) notVisible(req, res, prisma, 'financing request', `request ${id} not visible to ${p.role}`);
    res.json({
      id,
      stage: state.stage,
      closeReason: state.closeReason ?? null,
      claims: state.claims,
      timeline: state.timeline,
      workflowId: financingRequestWorkflowId(id),
    });
  });

  return r;
}
