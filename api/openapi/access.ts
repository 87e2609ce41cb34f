// OpenAPI paths for sign-in, principals, API keys, enterprise onboarding, the request list and inboxes.
import { z } from 'zod';
import {
  apiKeyCreated,
  apiKeyParams,
  apiKeysQuery,
  apiKeyView,
  createApiKeyBody,
  createPrincipalBody,
  deactivateBody,
  passwordBody,
  principalParams,
  principalView,
  tokenBody,
  tokenView,
} from '../schemas/auth';
import { enterpriseIdParams, enterprisesQuery, enterpriseView, registerEnterpriseBody, reviewEnterpriseBody } from '../schemas/enterprises';
import { financingRequestPage, financingRequestsQuery } from '../schemas/financingRequests';
import { apiKeyRevoked, inbox } from './answers';
import { authResponses, idempotencyParams, problemResponse } from './common';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

export const accessPaths = {
  '/v1/auth/token': {
    post: {
      summary: 'Sign in: an API key, or e-mail and password, for a 15-minute token (JWT) for the web pages',
      description: 'Public (rate limited per IP). Send the token as `Authorization: Bearer <token>`.',
      tags: ['access'],
      security: [],
      requestBody: { content: { 'application/json': { schema: tokenBody } } },
      responses: {
        '200': json(tokenView, 'Signed in'),
        '400': problemResponse('Invalid body'),
        '401': problemResponse('sign-in-failed'),
        '429': problemResponse('Too many sign-ins from this address'),
      },
    },
  },
  '/v1/me': { get: { summary: 'The calling principal', tags: ['access'], responses: { '200': json(principalView, 'You'), ...authResponses } } },
  '/v1/principals': {
    post: {
      summary: 'Admins: create a principal (user or machine client) of an organisation; its first API key is shown once',
      tags: ['access'],
      requestParams: idempotencyParams,
      requestBody: { content: { 'application/json': { schema: createPrincipalBody } } },
      responses: {
        '201': json(principalView.extend({ apiKey: apiKeyCreated }), 'Created, with its first API key'),
        '400': problemResponse('Invalid body'),
        '409': problemResponse('email-taken; secret-shown-once (a retry of a create whose key was shown once)'),
        '422': problemResponse('unknown-organisation'),
        ...authResponses,
      },
    },
    get: {
      summary: 'Admins: every principal',
      tags: ['access'],
      responses: { '200': json(z.object({ items: z.array(principalView) }), 'Principals'), ...authResponses },
    },
  },
  '/v1/principals/{principalId}/deactivate': {
    post: {
      summary: 'Admins: deactivate a principal; its API keys are revoked and its tokens refused from the next call',
      tags: ['access'],
      requestParams: { path: principalParams },
      requestBody: { content: { 'application/json': { schema: deactivateBody } } },
      responses: { '200': json(principalView, 'Deactivated'), '404': problemResponse('No such principal'), ...authResponses },
    },
  },
  '/v1/principals/{principalId}/password': {
    post: {
      summary: "Admins: set a principal's password (reset); the old one stops working at once",
      tags: ['access'],
      requestParams: { path: principalParams },
      requestBody: { content: { 'application/json': { schema: passwordBody } } },
      responses: {
        '200': json(principalView, 'Password set'),
        '400': problemResponse('Invalid body'),
        '404': problemResponse('No such principal'),
        '409': problemResponse('no-email'),
        ...authResponses,
      },
    },
  },
  '/v1/api-keys': {
    post: {
      summary: 'A new API key for yourself (admins: for any principal); the key is shown once',
      tags: ['access'],
      requestParams: idempotencyParams,
      requestBody: { content: { 'application/json': { schema: createApiKeyBody } } },
      responses: {
        '201': json(apiKeyCreated, 'Created; the key is shown only here, never stored'),
        '400': problemResponse('Invalid body'),
        '409': problemResponse('secret-shown-once: a retry with the same Idempotency-Key (names the key id); key-limit: 10 unrevoked keys already'),
        '422': problemResponse('unknown-principal: an admin named a principal that does not exist'),
        ...authResponses,
      },
    },
    get: {
      summary: 'Your API keys (never their secrets)',
      tags: ['access'],
      requestParams: { query: apiKeysQuery },
      responses: { '200': json(z.object({ items: z.array(apiKeyView) }), 'Keys'), ...authResponses },
    },
  },
  '/v1/api-keys/{id}': {
    delete: {
      summary: 'Revoke an API key at once (idempotent)',
      tags: ['access'],
      requestParams: { path: apiKeyParams },
      responses: { '200': json(apiKeyRevoked, 'Revoked'), '404': problemResponse('No such key of yours'), ...authResponses },
    },
  },
  '/v1/enterprises': {
    post: {
      summary: 'Supervisors and admins: register an enterprise (credit code check digit, +86 mobile, GB/T 4754 section), optionally with its first user',
      description: 'With ENTERPRISE_REVIEW_REQUIRED=true the enterprise waits in pending_review until a supervisor approves it.',
      tags: ['enterprises'],
      requestParams: idempotencyParams,
      requestBody: { content: { 'application/json': { schema: registerEnterpriseBody } } },
      responses: {
        '201': json(enterpriseView.extend({ user: z.object({ principalId: z.uuid(), apiKey: z.string() }).optional() }), 'Registered'),
        '400': problemResponse('Invalid body (field errors)'),
        '409': problemResponse('enterprise-exists / email-taken / secret-shown-once (a retry of a registration with a user)'),
        ...authResponses,
      },
    },
    get: {
      summary: 'Supervisors and admins: enterprises, newest first, by status',
      tags: ['enterprises'],
      requestParams: { query: enterprisesQuery },
      responses: { '200': json(z.object({ items: z.array(enterpriseView), nextCursor: z.string().nullable() }), 'A page'), ...authResponses },
    },
  },
  '/v1/enterprises/{enterpriseId}': {
    get: {
      summary: "An enterprise's profile: itself, overseers, and banks its requests reached",
      tags: ['enterprises'],
      requestParams: { path: enterpriseIdParams },
      responses: { '200': json(enterpriseView, 'The enterprise'), '404': problemResponse('No such enterprise you may see'), ...authResponses },
    },
  },
  '/v1/enterprises/{enterpriseId}/review': {
    post: {
      summary: 'Supervisors: approve (activate) or reject (suspend) an enterprise waiting for review',
      tags: ['enterprises', 'supervisor'],
      requestParams: { path: enterpriseIdParams, ...idempotencyParams },
      requestBody: { content: { 'application/json': { schema: reviewEnterpriseBody } } },
      responses: {
        '200': json(enterpriseView.extend({ review: z.object({ decision: z.string(), reason: z.string().nullable() }) }), 'Reviewed'),
        '404': problemResponse('No such enterprise'),
        '409': problemResponse('not-pending-review'),
        ...authResponses,
      },
    },
  },
  '/v1/inbox': {
    get: {
      summary:
        'What waits for you: a bank gets directed requests, grabbable pool requests, its live claims and product matches; a guarantor its guarantees; an enterprise offers to choose and loans to rate',
      tags: ['inbox'],
      responses: { '200': json(inbox, 'The inbox of your role'), ...authResponses },
    },
  },
};

/** GET /v1/financing-requests, merged into the path's entry next to POST. */
export const listFinancingRequests = {
  summary:
    'Financing requests you may see, newest first: an enterprise its own; a bank those directed to it, pool requests it may grab and those it claimed; overseers all',
  tags: ['financing requests'],
  requestParams: { query: financingRequestsQuery },
  responses: { '200': json(financingRequestPage, 'A page; pass nextCursor as cursor for the next'), '400': problemResponse('Invalid query'), ...authResponses },
};
