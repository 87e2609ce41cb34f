// /v1/financing-requests: publish, read, and the banks' actions (as workflow updates).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Router } from 'express';
import { v5 as uuidv5 } from 'uuid';
import { financingRequestWorkflowId } from '../../domain/ids';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import { financingRequestWorkflow } from '../../workflows/financingRequest';
import { getStateQuery } from '../../workflows/messages';
import type { FinancingRequestInput, FinancingRequestState } from '../../workflows/state';
import type { ApiDeps } from '../deps';
import { hashBody } from '../idempotency';
import { HttpProblem } from '../problem';
import { financingRequestParams, publishFinancingRequestBody, type FinancingRequestView } from '../schemas/financingRequests';
import { mapTemporalError } from '../temporalErrors';
import { idempotencyKey, parseBody, parseParams } from '../validate';

/** Namespace for deriving request ids from (enterprise, Idempotency-Key): a retried publish gets the same id. */
const REQUEST_ID_NAMESPACE = '6f1c2c52-8a43-4d59-9a39-6b7d3f0c8e11';

export function requestIdFor(enterpriseId: string, key: string): string {
  return uuidv5(`${enterpriseId}:${key}`, REQUEST_ID_NAMESPACE);
}

export function financingRequestsRouter(deps: ApiDeps): Router {
  const r = Router();
  const uiLink = (workflowId: string) => `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(workflowId)}`;

  async function view(id: string): Promise<FinancingRequestView | undefined> {
    const row = await deps.prisma.financingRequest.findUnique({
      where: { id },
      include: { claims: { orderBy: { createdAt: 'asc' } }, events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
    });
    if (!row) return undefined;
    return {
      id: row.id,
      enterpriseId: row.enterpriseId,
      amountFen: Number(row.amountFen),
      termMonths: row.termMonths,
      purpose: row.purpose,
      guaranteeMethod: row.guaranteeMethod,
      routing: row.routing,
      directedBankIds: row.directedBankIds,
      stage: row.stage,
      closeReason: row.closeReason,
      workflowId: row.workflowId,
      temporalUiUrl: uiLink(row.workflowId),
      createdAt: row.createdAt.toISOString(),
      claims: row.claims.map((c) => ({ bankId: c.bankId, origin: c.origin, status: c.status, deadlineAt: c.deadlineAt?.toISOString() ?? null })),
      timeline: row.events.map((e) => ({ event: e.event, actor: e.actor, at: e.at.toISOString(), ...(e.claimId ? { bankId: e.claimId.split(':')[1] } : {}) })),
    };
  }

  r.post('/', async (req, res) => {
    const key = idempotencyKey(req);
    const body = parseBody(publishFinancingRequestBody, req);
    const enterprise = await deps.prisma.enterprise.findUnique({ where: { id: body.enterpriseId }, select: { status: true } });
    if (!enterprise) throw new HttpProblem(422, 'unknown-enterprise', 'No such enterprise', body.enterpriseId);
    if (enterprise.status !== 'active') throw new HttpProblem(403, 'enterprise-not-active', 'The enterprise is not active yet');
    if (body.directedBankIds.length > 0) {
      const banks = await deps.prisma.bank.findMany({ where: { id: { in: body.directedBankIds }, active: true }, select: { id: true } });
      const missing = body.directedBankIds.filter((b) => !banks.some((x) => x.id === b));
      if (missing.length) throw new HttpProblem(422, 'unknown-bank', 'No such active bank', missing.join(', '), { bankIds: missing });
    }
    const id = requestIdFor(body.enterpriseId, key);
    const requestHash = hashBody(body);
    const input: FinancingRequestInput = { ...body, id, idempotencyKey: key, policyVersion: CURRENT_LIFECYCLE_POLICY.version, requestHash };
    const workflowId = financingRequestWorkflowId(id);
    try {
      await deps.temporal.workflow.start(financingRequestWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // A retry of the same publish: answer as the first time, unless the key was reused for a different body.
      const existing = await deps.temporal.workflow
        .getHandle(workflowId)
        .query(getStateQuery)
        .catch(() => undefined);
      const stored = existing ? undefined : await deps.prisma.financingRequest.findUnique({ where: { id } });
      if ((existing && existing.requestHash !== requestHash) || (!existing && !stored))
        throw new HttpProblem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request');
      res
        .status(200)
        .set('Idempotent-Replayed', 'true')
        .json({ id, workflowId, stage: existing?.stage ?? stored?.stage, temporalUiUrl: uiLink(workflowId) });
      return;
    }
    res
      .status(201)
      .location(`/v1/financing-requests/${id}`)
      .json({ id, workflowId, stage: 'published', temporalUiUrl: uiLink(workflowId) });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseParams(financingRequestParams, req);
    const v = await view(id);
    if (v) return void res.json(v);
    // Published a moment ago and not yet persisted by its first activity: answer from the workflow.
    let state: FinancingRequestState;
    try {
      state = await deps.temporal.workflow.getHandle(financingRequestWorkflowId(id)).query(getStateQuery);
    } catch (err) {
      return mapTemporalError(err);
    }
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
