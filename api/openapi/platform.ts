// OpenAPI paths outside /v1 that are not loan-code pages: the document itself, the problem pages,
// the supervisor dashboard's shell and assets, /metrics; and the `webhooks` section (what a bank or
// guarantee institution receives at its registered endpoint, notifications/webhooks/deliver.ts).
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { WEBHOOK_DELIVERY_ID_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '../../notifications/config';
import { TEMPLATE_IDS } from '../../notifications/templates';
import { RECIPIENT_TYPES } from '../../notifications/types';

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

export const platformPaths: ZodOpenApiPathsObject = {
  '/openapi.json': {
    get: {
      summary: 'This document',
      tags: ['platform'],
      security: [],
      responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({ openapi: z.string() }).loose() } } } },
    },
  },
  '/problems/{type}': {
    get: {
      summary: "The page a problem's `type` URI leads to: what it means and what to do, in Chinese or English",
      tags: ['platform'],
      security: [],
      requestParams: {
        path: z.object({ type: z.string() }),
        query: z.object({ lang: z.enum(['zh', 'en']).optional().meta({ description: 'Default: from Accept-Language, else zh' }) }),
      },
      responses: { '200': html('The explanation') },
    },
  },
  '/dashboard': {
    get: {
      summary: "The supervisor dashboard's page (signs in through /v1/auth/token)",
      tags: ['platform'],
      security: [],
      responses: { '200': html('The page') },
    },
  },
  '/dashboard/assets/{name}': {
    get: {
      summary: "The dashboard's scripts and style sheet",
      tags: ['platform'],
      security: [],
      requestParams: { path: z.object({ name: z.string() }) },
      responses: {
        '200': { description: 'The asset', content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() } } },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics of the API process and the database',
      description: 'With METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>`; without it the endpoint is open.',
      tags: ['platform'],
      security: [],
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
        '401': {
          description: 'METRICS_TOKEN is set and was not sent',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    },
  },
};

const webhookPayload = z
  .object({
    id: z.string().meta({ description: 'Stable per notification: de-duplicate on it (it is also the X-Loanbridge-Delivery header)' }),
    event: z.enum(TEMPLATE_IDS),
    createdAt: z.iso.datetime(),
    financingRequestId: z.uuid().nullable(),
    recipient: z.object({ type: z.enum(RECIPIENT_TYPES), id: z.string() }),
    locale: z.string(),
    title: z.string(),
    text: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'WebhookPayload' });

/** The `webhooks` section: one event envelope, POSTed to the institution's registered endpoint. */
export const webhooks = {
  notification: {
    post: {
      summary: 'A notification for the institution (one per lifecycle event it must hear about)',
      description:
        'Signed: `X-Loanbridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Retried with backoff until a 2xx; a 4xx other than 408/409/425/429 (and 410) stops the retries. Replays carry the same body and delivery id, freshly signed.',
      requestParams: {
        header: z.object({
          [WEBHOOK_SIGNATURE_HEADER]: z.string(),
          [WEBHOOK_DELIVERY_ID_HEADER]: z.string(),
          [WEBHOOK_EVENT_HEADER]: z.enum(TEMPLATE_IDS),
        }),
      },
      requestBody: { content: { 'application/json': { schema: webhookPayload } } },
      responses: { '200': { description: 'Any 2xx: received' }, '410': { description: 'Gone: stop sending (logged, replayable)' } },
    },
  },
};
