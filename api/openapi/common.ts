// Pieces every OpenAPI path file shares: the problem+json response and the Idempotency-Key header.
import { z } from 'zod';

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

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
