// Idempotency-Key for POST/PUTs that are not workflow updates: the first answer is stored and a
// retry with the same key and body gets it back (header Idempotent-Replayed); the same key with
// another body is refused. Workflow actions get the same guarantee from Temporal's update ids.
// Secrets in an answer (API keys, webhook secrets) are shown once and never stored: the stored
// answer has them blanked, and a retry of it gets 409 `secret-shown-once` naming what was created.
// Stored answers expire after IDEMPOTENCY_TTL_MS (a retry after that runs again).
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

/** How long a stored answer is replayed; older ones are deleted when the next one is stored. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** Written where a secret was in the stored copy of an answer. */
const SHOWN_ONCE = '[shown once]';

/** A deep copy of `body` with the values at the dotted `paths` replaced by SHOWN_ONCE. */
function redact(body: unknown, paths: readonly string[]): unknown {
  const copy = JSON.parse(JSON.stringify(body ?? null)) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let at: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) at = at?.[part] as Record<string, unknown> | undefined;
    const last = parts.at(-1)!;
    if (at && last in at) at[last] = SHOWN_ONCE;
  }
  return copy;
}

export async function respondIdempotently(
  prisma: PrismaClient,
  req: Request,
  res: Response,
  /** `secrets`: dotted paths of values shown only in this first answer. */
  run: () => Promise<{ status: number; body: unknown; location?: string; secrets?: readonly string[] }>,
): Promise<void> {
  const key = idempotencyKey(req);
  // Scoped by caller: two principals choosing the same key never see each other's answer.
  const caller = (res.locals.principal as { id?: string } | undefined)?.id ?? 'public';
  const id = createHash('sha256').update(`${caller}\n${req.method} ${req.baseUrl}${req.path}\n${key}`).digest('hex');
  const requestHash = hashBody(req.body);
  const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS);
  const stored = await prisma.idempotentResponse.findFirst({ where: { id, createdAt: { gte: cutoff } } });
  if (stored) {
    if (stored.requestHash !== requestHash) throw new HttpProblem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request');
    if (JSON.stringify(stored.body).includes(JSON.stringify(SHOWN_ONCE))) {
      const createdId = (stored.body as { id?: unknown }).id;
      throw new HttpProblem(
        409,
        'secret-shown-once',
        'Already done; its secret was shown once, in the first answer, and is not kept',
        'If the secret was lost, revoke or replace what was created and create it again with a new Idempotency-Key',
        { id: typeof createdId === 'string' ? createdId : null },
      );
    }
    res.status(stored.status).set('Idempotent-Replayed', 'true').json(stored.body);
    return;
  }
  const out = await run();
  const kept = out.secrets?.length ? redact(out.body, out.secrets) : out.body;
  await prisma.idempotentResponse.deleteMany({ where: { OR: [{ id }, { createdAt: { lt: cutoff } }] } });
  await prisma.idempotentResponse.createMany({ data: [{ id, requestHash, status: out.status, body: kept as object }], skipDuplicates: true });
  if (out.location) res.location(out.location);
  res.status(out.status).json(out.body);
}
