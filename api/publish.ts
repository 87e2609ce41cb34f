// Publishing a financing request: one function for every way in (the API, a product application,
// a loan-code form), so each gets the same checks and the same idempotency.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { v5 as uuidv5 } from 'uuid';
import { financingRequestWorkflowId } from '../domain/ids';
import { CURRENT_LIFECYCLE_POLICY } from '../domain/policy';
import { financingRequestWorkflow } from '../workflows/financingRequest';
import { getStateQuery } from '../workflows/messages';
import { LOAN_REGION } from '../workflows/searchAttributes';
import type { FinancingRequestInput } from '../workflows/state';
import type { ApiDeps } from './deps';
import { hashBody } from './idempotency';
import { HttpProblem } from './problem';
import type { PublishFinancingRequestBody } from './schemas/financingRequests';
import { consentBlocker } from '../domain/identity';

/** Namespace for deriving request ids from (enterprise, Idempotency-Key): a retried publish gets the same id. */
const REQUEST_ID_NAMESPACE = '6f1c2c52-8a43-4d59-9a39-6b7d3f0c8e11';

export function requestIdFor(enterpriseId: string, key: string): string {
  return uuidv5(`${enterpriseId}:${key}`, REQUEST_ID_NAMESPACE);
}

export interface Published {
  /** 201 first time, 200 for a replay of the same key and body. */
  status: 201 | 200;
  id: string;
  workflowId: string;
  stage: string;
  temporalUiUrl: string;
}

export type PublishInput = Omit<PublishFinancingRequestBody, 'enterpriseId'> & { enterpriseId: string; productId?: string };

export function temporalUiLink(deps: Pick<ApiDeps, 'temporalUiUrl' | 'namespace'>, workflowId: string): string {
  return `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Starts the request's workflow (id derived from enterprise + key), or answers a retry as the first time. */
export async function publishFinancingRequest(
  deps: ApiDeps,
  body: PublishInput,
  key: string,
  /** allowPendingReview: a loan-code form may publish to the code's bank while the enterprise awaits review. */
  opts: { allowPendingReview?: boolean } = {},
): Promise<Published> {
  const enterprise = await deps.prisma.enterprise.findUnique({
    where: { id: body.enterpriseId },
    select: { status: true, region: true, source: true, mobileVerifiedAt: true },
  });
  if (!enterprise) throw new HttpProblem(422, 'unknown-enterprise', 'No such enterprise', body.enterpriseId);
  const publishable = enterprise.status === 'active' || (opts.allowPendingReview && enterprise.status === 'pending_review');
  if (!publishable) throw new HttpProblem(403, 'enterprise-not-active', 'The enterprise is not active yet', `status ${enterprise.status}`);
  const noConsent = body.dataConsent ? consentBlocker(enterprise) : undefined;
  if (noConsent) throw new HttpProblem(403, 'consent-not-allowed', 'This enterprise cannot grant data consent yet', noConsent);
  if (body.directedBankIds.length > 0) {
    const banks = await deps.prisma.bank.findMany({ where: { id: { in: body.directedBankIds }, active: true }, select: { id: true } });
    const missing = body.directedBankIds.filter((b) => !banks.some((x) => x.id === b));
    if (missing.length) throw new HttpProblem(422, 'unknown-bank', 'No such active bank', missing.join(', '), { bankIds: missing });
  }
  const id = requestIdFor(body.enterpriseId, key);
  const requestHash = hashBody(body);
  const input: FinancingRequestInput = { ...body, id, idempotencyKey: key, policyVersion: CURRENT_LIFECYCLE_POLICY.version, requestHash };
  const workflowId = financingRequestWorkflowId(id);
  const link = temporalUiLink(deps, workflowId);
  try {
    await deps.temporal.workflow.start(financingRequestWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Set at start by the client, not by the workflow: no command, so nothing for replay to check.
      typedSearchAttributes: [{ key: LOAN_REGION, value: enterprise.region }],
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
    return { status: 200, id, workflowId, stage: existing?.stage ?? stored!.stage, temporalUiUrl: link };
  }
  return { status: 201, id, workflowId, stage: 'published', temporalUiUrl: link };
}
