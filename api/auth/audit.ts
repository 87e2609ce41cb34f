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
