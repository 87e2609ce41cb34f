// Pieces every OpenAPI path file shares: the problem+json response and the Idempotency-Key header.
import { z } from 'zod';

/** Every member a problem of this API may carry (api/problem.ts adds `instance`; the rest are per-problem extensions). */
export const problemFields = {
  type: z.url().meta({ description: 'Identifies the problem; GET it for a page explaining it (zh, en)' }),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional().meta({ description: 'The request path and query that met the problem' }),
  errors: z
    .array(z.object({ field: z.string(), message: z.string(), code: z.string() }))
    .optional()
    .meta({ description: 'validation-failed: one per field' }),
  requiredRoles: z.array(z.string()).optional().meta({ description: 'forbidden: the roles that may do this' }),
  reason: z.string().optional().meta({ description: "rejected: the workflow's refusal type" }),
  bankIds: z.array(z.string()).optional().meta({ description: 'unknown-bank: the ids that name no active bank' }),
  enterpriseId: z.uuid().optional().meta({ description: 'enterprise-exists: the registered enterprise' }),
  productStatus: z.string().optional().meta({ description: "product-not-active: the product's status" }),
  unknownCreditCodes: z.array(z.string()).optional().meta({ description: 'empty-push-list: credit codes no enterprise has' }),
  invalidRows: z.array(z.unknown()).optional().meta({ description: 'empty-push-list: rows that could not be read' }),
  nameMismatches: z.array(z.unknown()).optional().meta({ description: 'empty-push-list: rows whose name differs from the registered one' }),
  duplicates: z.number().int().optional().meta({ description: 'empty-push-list: repeated rows' }),
  id: z.string().nullable().optional().meta({ description: 'secret-shown-once: what the first request created' }),
  denied: z.array(z.string()).optional().meta({ description: 'portrait-access-denied: the requested sections the grant does not cover' }),
  retryAfterSeconds: z.number().int().optional().meta({ description: 'SMS code budgets and pauses: when to ask again (also in Retry-After)' }),
  attemptsLeft: z.number().int().optional().meta({ description: 'code-wrong: how many more tries the code allows' }),
};

export const problem = z.object(problemFields).meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });

export const idempotencyHeader = z
  .string()
  .min(8)
  .max(128)
  .meta({ description: 'Unique per intended change; a retry with the same key changes nothing twice' });

export const idempotencyParams = { header: z.object({ 'Idempotency-Key': idempotencyHeader }) };

/** The answers every authenticated operation may give. */
export const authResponses = {
  '401': problemResponse('No or invalid credentials (unauthenticated)'),
  '403': problemResponse('Your role may not do this, or you named another organisation (forbidden)'),
  '429': problemResponse('Rate limited: retry after the Retry-After header'),
};
