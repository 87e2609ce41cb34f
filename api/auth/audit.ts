// Refused accesses are audited (OWASP API1/API5): who tried what, from where, and why.
import type { Request } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Principal } from './principal';

export function auditRefusal(prisma: PrismaClient, req: Request, p: Principal | undefined, status: number, reason: string): void {
  // Fire and forget: an audit write failing must not turn a 403 into a 500; it is logged by the caller's logger.
  void prisma.accessAudit
    .create({
      data: {
        principalId: p?.id ?? null,
        role: p?.role ?? null,
        method: req.method,
        path: req.originalUrl.slice(0, 500),
        status,
        reason: reason.slice(0, 500),
        ip: req.ip ?? null,
      },
    })
    .catch(() => undefined);
}

/** Unauthenticated refusals are written once per address per window; the rest are counted into the next row. */
const UNAUTHENTICATED_WINDOW_MS = 60_000;
const MAX_TRACKED_ADDRESSES = 10_000;
const unauthenticated = new Map<string, { since: number; suppressed: number }>();

export function auditUnauthenticated(prisma: PrismaClient, req: Request, reason: string): void {
  const ip = req.ip ?? 'unknown';
  const now = Date.now();
  const seen = unauthenticated.get(ip);
  if (seen && now - seen.since < UNAUTHENTICATED_WINDOW_MS) {
    seen.suppressed += 1;
    return;
  }
  if (unauthenticated.size >= MAX_TRACKED_ADDRESSES) unauthenticated.clear();
  unauthenticated.set(ip, { since: now, suppressed: 0 });
  const more = seen?.suppressed ? ` (+${seen.suppressed} more refusals from this address in the window before)` : '';
  auditRefusal(prisma, req, undefined, 401, reason + more);
}
