// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { ACTIONS } from './routes/actions';
import { guaranteeActionView, requestActionView } from './routes/actionViews';
import { institutionPaths } from './openapi/institutions';
import { loanCodePaths } from './openapi/loanCodes';
import { identityPaths } from './openapi/identity';
import { productPaths } from './openapi/products';
import { supervisionPaths } from './openapi/supervision';
import { pushPaths, statisticsPaths } from './openapi/supervisionStats';
import {
  claimParams,
  claimView,
  financingRequestParams,
  financingRequestPending,
  financingRequestView,
  publishFinancingRequestBody,
} from './schemas/financingRequests';
import {
  auditQuery,
  enterpriseParams,
  grantBody,
  grantParams,
  grantView,
  portraitQuery,
  portraitReadsView,
  portraitView,
  revokeBody,
} from './schemas/portraits';
import {
  deliveryParams,
  preferenceParams,
  preferencesBody,
  preferencesView,
  recipientQuery,
  replayBody,
  webhookDeliveriesView,
  webhookDeliveryView,
  webhookEndpointBody,
  webhookEndpointCreated,
  webhookEndpointsView,
} from './schemas/notifications';

import { accessPaths, listFinancingRequests } from './openapi/access';
import { idempotencyHeader, problemResponse } from './openapi/common';
import { withDerivedResponses } from './openapi/derived';
import { failedNotifications, health } from './openapi/answers';
import { platformPaths, webhooks } from './openapi/platform';
const created = z.object({ id: z.uuid(), stage: z.string() }).meta({ id: 'Published' });

/** The document with the answers middleware gives on every operation (api/openapi/derived.ts). */
export function openApiDocument() {
  return withDerivedResponses(
    createDocument({
      openapi: '3.1.0',
      info: {
        title: 'loanbridge API',
        version: '0.2.0',
        description:
          'SME financing requests, bank claims and credit data, orchestrated by Temporal. Every /v1 operation needs `Authorization: Bearer <API key or token>` (or `X-Api-Key`); each checks role and ownership.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (lb_…) or a token from POST /v1/auth/token' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      webhooks,
      paths: {
        ...platformPaths,
        ...institutionPaths,
        ...accessPaths,
        ...identityPaths,
        '/healthz': {
          get: {
            security: [],
            summary: 'Health of database, Temporal and worker',
            responses: {
              '200': { description: 'all up', content: { 'application/json': { schema: health } } },
              '503': { description: 'something is down', content: { 'application/json': { schema: health } } },
            },
          },
        },
        '/v1/financing-requests': {
          get: listFinancingRequests,
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
              '200': {
                description: 'The request (or, for a moment after publishing, what its workflow knows)',
                content: { 'application/json': { schema: z.union([financingRequestView, financingRequestPending]) } },
              },
              '404': problemResponse('No such request'),
            },
          },
        },
        '/v1/enterprises/{enterpriseId}/portrait': {
          get: {
            summary: "An enterprise's credit portrait, for a bank it has authorised (every read is audited)",
            description:
              'Banks only; the reading bank is the caller (`bankId` may repeat it). Only the sections the grant covers are returned; requested sections outside it are listed in `access.denied`.',
            tags: ['credit'],
            requestParams: { path: enterpriseParams, query: portraitQuery },
            responses: {
              '200': { description: 'The portrait, redacted to the granted sections', content: { 'application/json': { schema: portraitView } } },
              '400': problemResponse('Invalid query (unknown section, bad bank id)'),
              '403': problemResponse('portrait-access-denied: no grant, revoked, expired, or no requested section covered'),
              '404': problemResponse('No such enterprise'),
              '503': problemResponse('The portrait could not be built now'),
            },
          },
        },
        '/v1/webhook-endpoints': {
          post: {
            summary: 'A bank or guarantee institution registers its webhook endpoint (replaces the active one, rotates the secret)',
            description: "The institution names itself in the body and must be the caller's own (admins: any). The signing secret is returned once.",
            tags: ['notifications'],
            requestParams: { header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
            requestBody: { content: { 'application/json': { schema: webhookEndpointBody } } },
            responses: {
              '201': {
                description: 'Registered; the secret is shown only here, never stored',
                content: { 'application/json': { schema: webhookEndpointCreated } },
              },
              '400': problemResponse('Invalid body or headers'),
              '409': problemResponse('secret-shown-once: a retry with the same Idempotency-Key (names the endpoint id)'),
              '404': problemResponse('No such bank or guarantee institution'),
              '422': problemResponse('webhook-url-refused: not https, or a private, loopback or link-local address'),
            },
          },
          get: {
            summary: "The institution's active webhook endpoint (without the secret)",
            tags: ['notifications'],
            requestParams: { query: recipientQuery },
            responses: {
              '200': { description: 'Endpoints', content: { 'application/json': { schema: webhookEndpointsView } } },
              '400': problemResponse('Invalid query'),
            },
          },
        },
        '/v1/notifications/failed': {
          get: {
            summary: 'Supervisors: notifications that failed for good (invalid number, rejected address), newest first',
            tags: ['notifications', 'supervisor'],
            responses: {
              '200': { description: 'Failed notifications', content: { 'application/json': { schema: failedNotifications } } },
              '400': problemResponse('Invalid query'),
            },
          },
        },
        '/v1/webhook-deliveries': {
          get: {
            summary: "The institution's webhook delivery log, newest first (every attempt, replays included)",
            tags: ['notifications'],
            requestParams: { query: recipientQuery },
            responses: {
              '200': { description: 'Deliveries', content: { 'application/json': { schema: webhookDeliveriesView } } },
              '400': problemResponse('Invalid query'),
            },
          },
        },
        '/v1/webhook-deliveries/{id}/replay': {
          post: {
            summary:
              'Sends a logged delivery again to the current endpoint (from the worker): same body and X-Loanbridge-Delivery id, fresh signature; a few per minute',
            tags: ['notifications'],
            requestParams: { path: deliveryParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
            requestBody: { content: { 'application/json': { schema: replayBody } } },
            responses: {
              '201': {
                description: "The new attempt (ok or not): the receiver's HTTP status, or a coarse `not delivered` / `url refused`",
                content: { 'application/json': { schema: webhookDeliveryView } },
              },
              '429': problemResponse('Too many replays'),
              '400': problemResponse('Invalid body or headers'),
              '404': problemResponse('No such delivery for this institution'),
              '409': problemResponse('No active webhook endpoint'),
            },
          },
        },
        '/v1/notification-preferences/{recipientType}/{recipientId}': {
          put: {
            summary: "Sets the institution's notification preferences (channels, quiet hours, pool batching, locale)",
            tags: ['notifications'],
            requestParams: { path: preferenceParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
            requestBody: { content: { 'application/json': { schema: preferencesBody } } },
            responses: {
              '200': { description: 'Stored', content: { 'application/json': { schema: preferencesView } } },
              '400': problemResponse('Invalid body or headers'),
              '404': problemResponse('No such bank or guarantee institution'),
            },
          },
          get: {
            summary: "The institution's notification preferences (null: platform defaults)",
            tags: ['notifications'],
            requestParams: { path: preferenceParams },
            responses: {
              '200': { description: 'Preferences', content: { 'application/json': { schema: preferencesView } } },
              '400': problemResponse('Invalid path'),
            },
          },
        },
        '/v1/enterprises/{enterpriseId}/portrait-grants': {
          post: {
            summary: 'The enterprise authorises a bank to read sections of its portrait until expiresAt',
            tags: ['credit'],
            requestParams: { path: enterpriseParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
            requestBody: { content: { 'application/json': { schema: grantBody } } },
            responses: {
              '201': { description: 'Granted', content: { 'application/json': { schema: grantView } } },
              '200': { description: 'Replay of an earlier grant with the same Idempotency-Key', content: { 'application/json': { schema: grantView } } },
              '400': problemResponse('Invalid body or headers'),
              '404': problemResponse('No such enterprise'),
              '422': problemResponse('Unknown bank, expiry in the past, or Idempotency-Key reused for another grant'),
            },
          },
          get: {
            summary: "The enterprise's grants, newest first",
            tags: ['credit'],
            requestParams: { path: enterpriseParams },
            responses: {
              '200': {
                description: 'The grants',
                content: { 'application/json': { schema: z.object({ enterpriseId: z.uuid(), items: z.array(grantView) }) } },
              },
              '404': problemResponse('No such enterprise'),
            },
          },
        },
        '/v1/enterprises/{enterpriseId}/portrait-grants/{grantId}/revoke': {
          post: {
            summary: 'The enterprise revokes a grant (idempotent: the first revocation time stays)',
            tags: ['credit'],
            requestParams: { path: grantParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
            requestBody: { content: { 'application/json': { schema: revokeBody } } },
            responses: {
              '200': { description: 'Revoked', content: { 'application/json': { schema: grantView } } },
              '400': problemResponse('Invalid body or headers'),
              '404': problemResponse('No such grant for this enterprise'),
            },
          },
        },
        '/v1/enterprises/{enterpriseId}/portrait-reads': {
          get: {
            summary: "Audit of every read of the enterprise's portrait: who, when, which sections, under which grant, allowed or not",
            tags: ['credit'],
            requestParams: { path: enterpriseParams, query: auditQuery },
            responses: {
              '200': { description: 'Reads, newest first', content: { 'application/json': { schema: portraitReadsView } } },
              '404': problemResponse('No such enterprise'),
            },
          },
        },
        ...loanCodePaths,
        ...productPaths,
        ...supervisionPaths,
        ...statisticsPaths,
        ...pushPaths,
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
                  '200': {
                    description: "Done; what the caller's GET would show of the object acted on (the request, the caller's claim, or its guarantee)",
                    content: {
                      'application/json': { schema: a.target === 'request' ? requestActionView : a.target === 'claim' ? claimView : guaranteeActionView },
                    },
                  },
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
    }),
  );
}
