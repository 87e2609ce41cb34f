// The enterprises' 4C ratings with their comments: a bank reads those about itself, supervisors and
// admins read all (optionally one bank's). Ratings after a request that ended without a loan are
// included and marked (withLoan: false): those are the ones supervisors most need to hear.
import { Router } from 'express';
import { requireRole } from '../auth/access';
import type { ApiDeps } from '../deps';
import { ratingsQuery } from '../schemas/ratings';
import { parseQuery } from '../validate';

export function ratingsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  r.get('/', async (req, res) => {
    const p = requireRole(req, res, prisma, 'bank', 'supervisor', 'admin');
    const q = parseQuery(ratingsQuery, req);
    const bankId = p.role === 'bank' ? p.bankId : q.bankId;
    const rows = await prisma.rating.findMany({
      where: bankId ? { bankId } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: q.limit,
      include: { financingRequest: { select: { closeReason: true, loan: { select: { id: true } } } } },
    });
    res.json({
      items: rows.map((x) => ({
        financingRequestId: x.financingRequestId,
        bankId: x.bankId,
        meetsNeed: x.meetsNeed,
        cost: x.cost,
        speed: x.speed,
        communication: x.communication,
        comment: x.comment,
        withLoan: Boolean(x.financingRequest.loan),
        closeReason: x.financingRequest.closeReason,
        createdAt: x.createdAt.toISOString(),
      })),
    });
  });
  return r;
}
