// Idempotency-Key for POST/PUTs that are not workflow updates: the first answer is stored and a
// retry with the same key and body gets it back (header Idempotent-Replayed); the same key with
// another body is refused. Workflow actions get the same guarantee from Temporal's update ids.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { PrismaClient } from '../generated/prisma/client';
import { HttpProblem } from './problem';
import { idempotencyKey } from './validate';

/** sha256 of a request body, to tell a retry from a reuse of its Idempotency-Key for another body. */
export function hashBody(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

export async function respondIdempotently(
  prisma: PrismaClient,
  req: Request,
  res: Response,
  run: () => Promise<{ status: number; body: unknown; location?: string }>,
): Promise<void> {
  const key = idempotencyKey(req);
  // Scoped by caller: two principals choosing the same key never see each other's answer.
  const caller = (res.locals.principal as { id?: string } | undefined)?.id ?? 'public';
  const id = createHash('sha256').update(`${caller}\n${req.method} ${req.baseUrl}${req.path}\n${key}`).digest('hex');
  const requestHash = hashBody(req.body);
  const stored = await prisma.idempotentResponse.findUnique({ where: { id } });
  if (stored) {
    if (stored.requestHash !== requestHash) throw new HttpProblem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request');
    res.status(stored.status).set('Idempotent-Replayed', 'true').json(stored.body);
    return;
  }
  const out = await run();
  await prisma.idempotentResponse.createMany({ data: [{ id, requestHash, status: out.status, body: out.body as object }], skipDuplicates: true });
  if (out.location) res.location(out.location);
  res.status(out.status).json(out.body);
}
