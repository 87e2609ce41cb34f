// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { ACTIONS } from './routes/actions';
import { claimParams, financingRequestParams, financingRequestView, publishFinancingRequestBody } from './schemas/financingRequests';

const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const idempotencyHeader = z.string().min(8).max(128).meta({ description: 'Unique per intended change; a retry with the same key changes nothing twice' });
const created = z.object({ id: z.uuid(), workflowId: z.string(), stage: z.string(), temporalUiUrl: z.string() }).meta({ id: 'Published' });

export function openApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'loanbridge API', version: '0.1.0', description: 'SME financing requests, bank claims and credit data, orchestrated by Temporal.' },
    paths: {
      '/healthz': {
        get: {
          summary: 'Health of database, Temporal and worker',
          responses: { '200': { description: 'all up' }, '503': { description: 'something is down' } },
        },
      },
      '/v1/financing-requests': {
        post: {
          summary: 'Publish a financing request',
          requestParams: { header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
          requestBody: { content: { 'application/json': { schema: publishFinancingRequestBody } } },
          responses: {
            '201': { description: 'Published; the workflow runs', content: { 'application/json': { schema: created } } },
            '200': { description: 'Replay of an earlier publish with the same Idempotency-Key', content: { 'application/json': { schema: created } } },
            '400': problemResponse('Invalid body or headers'),
            '422': problemResponse('Unknown enterprise or bank, or Idempotency-Key reused for another body'),
          },
        },
      },
      '/v1/financing-requests/{id}': {
        get: {
          summary: 'A financing request with its claims and public timeline',
          requestParams: { path: financingRequestParams },
          responses: {
            '200': { description: 'The request', content: { 'application/json': { schema: financingRequestView } } },
            '404': problemResponse('No such request'),
          },
        },
      },
      ...Object.fromEntries(
        ACTIONS.map((a) => [
          `/v1/financing-requests${a.path.replace(/:(\w+)/g, '{$1}')}`,
          {
            post: {
              summary: a.summary,
              tags: [a.actor],
              requestParams: {
                path: a.path.includes(':bankId') ? claimParams : financingRequestParams,
                header: z.object({ 'Idempotency-Key': idempotencyHeader }),
              },
              requestBody: { content: { 'application/json': { schema: a.body } } },
              responses: {
                '200': { description: 'Done; the workflow state after the action' },
                '400': problemResponse('Invalid body or headers'),
                '403': problemResponse('Not yours to act on'),
                '404': problemResponse('No such request, claim or guarantee'),
                '409': problemResponse('Not allowed in the current state (already answered, slots full, closed, …)'),
                '422': problemResponse('Offer or loan outside what the request allows'),
              },
            },
          },
        ]),
      ),
    },
  });
}
