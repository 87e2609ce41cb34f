// OpenAPI paths of enterprise identity: SMS sign-in, self-registration, profile edits and the
// supervisors' identity corrections (api/routes/identity.ts).
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { enterpriseIdParams, enterpriseView } from '../schemas/enterprises';
import {
  codeChallenge,
  confirmTagsBody,
  identityEventsView,
  profileBody,
  reassignContactBody,
  registrationBody,
  registrationStarted,
  releaseBody,
  smsCodeBody,
  smsToken,
  verifyCodeBody,
} from '../schemas/identity';
import { ratingsQuery, ratingsView } from '../schemas/ratings';
import { publicProductList, publicProductsQuery } from '../schemas/publicProducts';
import { authResponses, idempotencyParams, problemResponse as problem } from './common';

const tags = ['enterprise identity'];
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const codeProblems = {
  '404': problem('code-unknown: no such challenge for this purpose'),
  '409': problem('code-used, or mobile-changed (the registered mobile changed since the code was sent)'),
  '410': problem('code-expired'),
  '422': problem('code-wrong, with attemptsLeft'),
  '429': problem('code-locked (too many wrong codes), or rate-limited'),
};
const sendProblems = {
  '422': problem('mobile-not-mainland: the registered mobile is not a mainland China mobile'),
  '429': problem('code-recently-sent, sms-budget-exhausted (per number, hour, day, address), or rate-limited; retryAfterSeconds says when'),
  '503': problem('sms-circuit-open (platform-wide pause) or sms-unavailable'),
};
const withProfile = enterpriseView.extend({ proposedTags: z.array(z.string()) });

export const identityPaths: ZodOpenApiPathsObject = {
  '/v1/auth/sms-code': {
    post: {
      summary: "Public: sends a one-time sign-in code to the enterprise's registered contact mobile",
      tags,
      security: [],
      requestBody: { content: { 'application/json': { schema: smsCodeBody } } },
      responses: {
        '202': json('Sent', codeChallenge),
        '400': problem('Invalid credit code'),
        '403': problem('enterprise-suspended'),
        '404': problem('unknown-enterprise'),
        ...sendProblems,
      },
    },
  },
  '/v1/auth/sms-token': {
    post: {
      summary: 'Public: exchanges the code for a 15-minute enterprise token',
      tags,
      security: [],
      requestBody: { content: { 'application/json': { schema: verifyCodeBody } } },
      responses: { '200': json('Signed in', smsToken), '400': problem('Invalid body'), ...codeProblems },
    },
  },
  '/v1/enterprise-registrations': {
    post: {
      summary: 'Public: an enterprise registers itself; the record is unverified until the code sent to contactMobile is typed',
      description:
        'Idempotent: the same registration again answers the same enterprise and live challenge without a second SMS. With ENTERPRISE_REVIEW_REQUIRED the enterprise then waits for a supervisor (pending_review).',
      tags,
      security: [],
      requestBody: { content: { 'application/json': { schema: registrationBody } } },
      responses: {
        '202': json('Registered, unverified; the code went to contactMobile', registrationStarted),
        '400': problem('Invalid body (a non-mainland mobile is refused here)'),
        '409': problem('enterprise-exists (sign in by SMS instead) or enterprise-claimed (another unverified contact holds it: ask a supervisor)'),
        ...sendProblems,
      },
    },
  },
  '/v1/enterprise-registrations/verify': {
    post: {
      summary: 'Public: verifies the registration code; answers the enterprise and a 15-minute token',
      tags,
      security: [],
      requestBody: { content: { 'application/json': { schema: verifyCodeBody } } },
      responses: {
        '200': json('Verified', smsToken.extend({ enterprise: enterpriseView })),
        '400': problem('Invalid body'),
        ...codeProblems,
      },
    },
  },
  '/v1/enterprises/{enterpriseId}/profile': {
    patch: {
      summary: 'The enterprise edits its profile (contact name, e-mail, industry, region, registered capital) and proposes policy tags',
      tags,
      requestParams: { path: enterpriseIdParams },
      requestBody: { content: { 'application/json': { schema: profileBody } } },
      responses: { '200': json('Updated', withProfile), '400': problem('Invalid body'), ...authResponses, '404': problem('Not your enterprise') },
    },
  },
  '/v1/enterprises/{enterpriseId}/tags': {
    post: {
      summary: "Supervisors: confirm the enterprise's policy tags (clears its proposal), audited",
      tags,
      requestParams: { path: enterpriseIdParams, ...idempotencyParams },
      requestBody: { content: { 'application/json': { schema: confirmTagsBody } } },
      responses: { '200': json('Confirmed', withProfile), '400': problem('Invalid body'), ...authResponses, '404': problem('No such enterprise') },
    },
  },
  '/v1/enterprises/{enterpriseId}/contact': {
    post: {
      summary: 'Supervisors: reassign the contact mobile (a correction, or taking a squatted record back), audited',
      description:
        'The new mobile starts unverified. Sessions of SMS-verified principals end; with squatted: true every principal of the enterprise is deactivated and its live portrait grants revoked.',
      tags,
      requestParams: { path: enterpriseIdParams, ...idempotencyParams },
      requestBody: { content: { 'application/json': { schema: reassignContactBody } } },
      responses: { '200': json('Reassigned', enterpriseView), '400': problem('Invalid body'), ...authResponses, '404': problem('No such enterprise') },
    },
  },
  '/v1/enterprises/{enterpriseId}/release': {
    post: {
      summary: 'Supervisors: delete a squatted record that has no requests, freeing its credit code (audited)',
      tags,
      requestParams: { path: enterpriseIdParams, ...idempotencyParams },
      requestBody: { content: { 'application/json': { schema: releaseBody } } },
      responses: {
        '200': json('Released', z.object({ id: z.uuid(), creditCode: z.string(), released: z.literal(true) })),
        '400': problem('Invalid body'),
        ...authResponses,
        '404': problem('No such enterprise'),
        '409': problem('enterprise-has-requests: reassign it instead'),
      },
    },
  },
  '/v1/enterprises/{enterpriseId}/identity-events': {
    get: {
      summary: 'The identity audit of an enterprise (verifications, reassignments, releases, tag confirmations), newest first',
      tags,
      requestParams: { path: enterpriseIdParams },
      responses: { '200': json('Events', identityEventsView), ...authResponses, '404': problem('Not visible') },
    },
  },
  '/v1/ratings': {
    get: {
      summary: "Enterprises' 4C ratings with comments: a bank reads those about itself, supervisors all (also after requests that ended without a loan)",
      tags,
      requestParams: { query: ratingsQuery },
      responses: { '200': json('Ratings, newest first', ratingsView), '400': problem('Invalid query'), ...authResponses },
    },
  },
  '/v1/public/products': {
    get: {
      summary: 'Public credit supermarket: active products of active banks, no sign-in, with tier filters and popularity order',
      description:
        'Per-IP rate limited. No institution-internal fields (minimum score, capital bounds, status, popularity figures). To apply, sign in and POST apply.endpoint.',
      tags: ['products'],
      security: [],
      requestParams: { query: publicProductsQuery },
      responses: {
        '200': json('Products', publicProductList),
        '400': problem('Invalid query'),
        '429': problem('Rate limited: retry after the Retry-After header'),
      },
    },
  },
};
