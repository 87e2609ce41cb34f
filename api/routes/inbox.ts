// GET /v1/inbox: what waits for the caller. A bank: directed requests to answer, open-pool requests
// it may grab, its live claims, and needs that fit its products; a guarantee institution: guarantees
// to decide; an enterprise: offers to choose and loans to rate.
import { Router } from 'express';
import type { Prisma } from '../../generated/prisma/client';
import { grabSlotsLeft } from '../../domain/lifecycle';
import { LIVE_CLAIM_STATUSES } from '../../domain/vocabulary';
import { lifecyclePolicy } from '../../domain/policy';
import { requireRole } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDeps } from '../deps';

/** Each inbox list shows at most this many items, the most urgent first. */
const INBOX_LIMIT = 100;

const requestBrief = (r: {
  id: string;
  enterpriseId: string;
  amountFen: bigint;
  termMonths: number;
  purpose: string;
  guaranteeMethod: string;
  routing: string;
  stage: string;
  productId: string | null;
  createdAt: Date;
  enterprise?: { name: string; industry: string; region: string };
}) => ({
  id: r.id,
  enterpriseId: r.enterpriseId,
  enterpriseName: r.enterprise?.name ?? null,
  industry: r.enterprise?.industry ?? null,
  region: r.enterprise?.region ?? null,
  amountFen: Number(r.amountFen),
  termMonths: r.termMonths,
  purpose: r.purpose,
  guaranteeMethod: r.guaranteeMethod,
  routing: r.routing,
  stage: r.stage,
  productId: r.productId,
  createdAt: r.createdAt.toISOString(),
});

const enterpriseBrief = { select: { name: true, industry: true, region: true } } as const;

async function bankInbox(deps: ApiDeps, p: Principal) {
  const bankId = p.bankId ?? '-';
  const now = new Date();
  const inRegion: Prisma.FinancingRequestWhereInput = p.region ? { enterprise: { region: p.region } } : {};
  const [directed, claims, pool, matches] = await Promise.all([
    deps.prisma.claim.findMany({
      where: { bankId, status: 'offered', financingRequest: inRegion },
      include: { financingRequest: { include: { enterprise: enterpriseBrief } } },
      orderBy: { deadlineAt: 'asc' },
      take: INBOX_LIMIT,
    }),
    deps.prisma.claim.findMany({
      where: { bankId, status: { in: LIVE_CLAIM_STATUSES.filter((s) => s !== 'offered') }, financingRequest: inRegion },
      include: { financingRequest: { include: { enterprise: enterpriseBrief } } },
      orderBy: { deadlineAt: 'asc' },
      take: INBOX_LIMIT,
    }),
    deps.prisma.financingRequest.findMany({
      where: { ...inRegion, eligibleBankIds: { has: bankId }, stage: { not: 'closed' }, poolClosesAt: { gt: now }, claims: { none: { bankId } } },
      include: { enterprise: enterpriseBrief, claims: { select: { origin: true, status: true } } },
      orderBy: { poolClosesAt: 'asc' },
      take: INBOX_LIMIT,
    }),
    deps.prisma.productMatch.findMany({ where: { bankId }, orderBy: { createdAt: 'desc' }, take: INBOX_LIMIT }),
  ]);
  const matchedRequests = await deps.prisma.financingRequest.findMany({
    where: { id: { in: matches.map((m) => m.financingRequestId) }, stage: { not: 'closed' }, ...inRegion },
    include: { enterprise: enterpriseBrief },
  });
  const byId = new Map(matchedRequests.map((r) => [r.id, r]));
  const claimItem = (c: (typeof claims)[number]) => ({
    ...requestBrief(c.financingRequest),
    claim: { origin: c.origin, status: c.status, deadlineAt: c.deadlineAt?.toISOString() ?? null },
  });
  return {
    role: 'bank' as const,
    directed: directed.map(claimItem),
    pool: pool
      .map((r) => ({
        ...requestBrief(r),
        poolClosesAt: r.poolClosesAt!.toISOString(),
        // The request's own policy version: the limit it was published under.
        slotsLeft: grabSlotsLeft(r.claims, lifecyclePolicy(r.policyVersion).grabLimit),
      }))
      .filter((r) => r.slotsLeft > 0),
    claims: claims.map(claimItem),
    productMatches: matches
      .filter((m) => byId.has(m.financingRequestId))
      .map((m) => ({ ...requestBrief(byId.get(m.financingRequestId)!), match: { productId: m.productId, score: m.score, reasons: m.reasons } })),
  };
}

async function guarantorInbox(deps: ApiDeps, p: Principal) {
  const rows = await deps.prisma.guarantee.findMany({
    where: { guaranteeInstitutionId: p.guaranteeInstitutionId ?? '-', status: 'requested' },
    include: { claim: { include: { financingRequest: { include: { enterprise: enterpriseBrief } } } } },
    orderBy: { deadlineAt: 'asc' },
    take: INBOX_LIMIT,
  });
  return {
    role: 'guaranteeInstitution' as const,
    guarantees: rows.map((g) => ({
      ...requestBrief(g.claim.financingRequest),
      bankId: g.claim.bankId,
      guarantee: { status: g.status, deadlineAt: g.deadlineAt?.toISOString() ?? null },
      offer: {
        approvedAmountFen: g.claim.approvedAmountFen === null ? null : Number(g.claim.approvedAmountFen),
        annualRateBp: g.claim.annualRateBp,
        termMonths: g.claim.offerTermMonths,
      },
    })),
  };
}

async function enterpriseInbox(deps: ApiDeps, p: Principal) {
  const enterpriseId = p.enterpriseId ?? '00000000-0000-0000-0000-000000000000';
  const [offers, toRate] = await Promise.all([
    deps.prisma.claim.findMany({
      where: { status: 'approved', financingRequest: { enterpriseId, stage: { not: 'closed' } } },
      include: { financingRequest: true },
      orderBy: { updatedAt: 'asc' },
      take: INBOX_LIMIT,
    }),
    deps.prisma.financingRequest.findMany({ where: { enterpriseId, stage: 'disbursed', rating: null }, orderBy: { updatedAt: 'asc' }, take: INBOX_LIMIT }),
  ]);
  return {
    role: 'enterprise' as const,
    offersToChoose: offers.map((c) => ({
      ...requestBrief(c.financingRequest),
      bankId: c.bankId,
      offer: {
        approvedAmountFen: Number(c.approvedAmountFen),
        annualRateBp: c.annualRateBp,
        termMonths: c.offerTermMonths,
        repaymentMethod: c.repaymentMethod,
      },
    })),
    loansToRate: toRate.map(requestBrief),
  };
}

export function inboxRouter(deps: ApiDeps): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const p = requireRole(req, res, deps.prisma, 'bank', 'guaranteeInstitution', 'enterprise');
    res.json(p.role === 'bank' ? await bankInbox(deps, p) : p.role === 'guaranteeInstitution' ? await guarantorInbox(deps, p) : await enterpriseInbox(deps, p));
  });
  return r;
}
