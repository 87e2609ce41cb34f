// Request validation with zod: the same schemas generate the OpenAPI document (api/openapi.ts).
import type { Request } from 'express';
import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem';

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (!req.is('application/json')) throw new HttpProblem(415, 'unsupported-media-type', 'Send application/json');
  const r = schema.safeParse(req.body);
  if (!r.success) throw validationProblem(r.error, 'body');
  return r.data;
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw validationProblem(r.error, 'path');
  return r.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.query);
  if (!r.success) throw validationProblem(r.error, 'query');
  return r.data;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{8,128}$/;

/** `Idempotency-Key` is required on every POST that creates or changes something. */
export function idempotencyKey(req: Request): string {
  const key = req.get('Idempotency-Key');
  if (!key)
    throw new HttpProblem(400, 'idempotency-key-required', 'Idempotency-Key header required', 'Send a unique Idempotency-Key (8–128 chars) with every POST');
  if (!IDEMPOTENCY_KEY.test(key)) throw new HttpProblem(400, 'idempotency-key-invalid', 'Idempotency-Key must be 8–128 characters of A–Z a–z 0–9 _ - : .');
  return key;
}
