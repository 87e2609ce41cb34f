// Enterprise onboarding: platform operators (admins, supervisors — or an identity-verified gateway
// holding an admin key) register enterprises; with ENTERPRISE_REVIEW_REQUIRED a supervisor reviews
// each one before it may publish (Suzhou style). Enterprises read themselves; banks read the
// enterprises whose requests reached them.
import { enterpriseProfileData } from '../enterpriseData';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Enterprise } from '../../generated/prisma/client';
import { notVisible, principalOf, requireRole } from '../auth/access';
import { createApiKey } from '../auth/apiKeys';
import { hashPassword } from '../auth/passwords';
import { isOverseer, type Principal } from '../auth/principal';
import { COUNTERPARTY_CLAIM_STATUSES } from '../../domain/stages';
import { inRegion } from '../auth/requestAccess';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { afterCursor, CURSOR_ORDER, decodeCursor, page } from '../pagination';
import { HttpProblem } from '../problem';
import { enterpriseIdParams, enterprisesQuery, registerEnterpriseBody, reviewEnterpriseBody } from '../schemas/enterprises';
import { parseBody, parseParams, parseQuery } from '../validate';

export const enterpriseView = (e: Enterprise) => ({
  id: e.id,
  creditCode: e.creditCode,
  name: e.name,
  contactName: e.contactName,
  contactMobile: e.contactMobile,
  email: e.email,
  industry: e.industry,
  region: e.region,
  registeredCapitalFen: Number(e.registeredCapitalFen),
  status: e.status,
  tags: e.tags,
  source: e.source,
  createdAt: e.createdAt.toISOString(),
});

/** What a bank sees of an enterprise it is not (or no longer) the counterparty of. */
export const enterpriseSummaryView = (e: Enterprise) => ({ id: e.id, name: e.name, industry: e.industry, region: e.region });

/**
 * How much of this enterprise's profile may this principal read: all, a summary (name, industry,
 * region), or nothing. A bank sees contact details only while it holds a live accepted claim
 * (or the chosen offer, or lent); a bank merely named or eligible sees the summary.
 */
async function enterpriseAccess(deps: ApiDeps, p: Principal, enterpriseId: string): Promise<'full' | 'summary' | 'none'> {
  if (isOverseer(p)) return 'full';
  if (p.role === 'enterprise') return p.enterpriseId === enterpriseId ? 'full' : 'none';
  if (p.role === 'bank' && p.bankId) {
    if (p.region) {
      const e = await deps.prisma.enterprise.findUnique({ where: { id: enterpriseId }, select: { region: true } });
      if (!inRegion(p, e?.region)) return 'none';
    }
    const counterparty = await deps.prisma.claim.count({
      where: { bankId: p.bankId, status: { in: COUNTERPARTY_CLAIM_STATUSES }, financingRequest: { enterpriseId } },
    });
    if (counterparty > 0) return 'full';
    const n = await deps.prisma.financingRequest.count({
      where: { enterpriseId, OR: [{ directedBankIds: { has: p.bankId } }, { claims: { some: { bankId: p.bankId } } }, { eligibleBankIds: { has: p.bankId } }] },
    });
    return n > 0 ? 'summary' : 'none';
  }
  if (p.role === 'guaranteeInstitution' && p.guaranteeInstitutionId) {
    const n = await deps.prisma.guarantee.count({ where: { guaranteeInstitutionId: p.guaranteeInstitutionId, claim: { financingRequest: { enterpriseId } } } });
    return n > 0 ? 'full' : 'none';
  }
  return 'none';
}

export function enterprisesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  r.post('/', async (req, res) => {
    const p = requireRole(req, res, prisma, 'admin', 'supervisor');
    const body = parseBody(registerEnterpriseBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      const existing = await prisma.enterprise.findUnique({ where: { creditCode: body.creditCode }, select: { id: true } });
      if (existing)
        throw new HttpProblem(409, 'enterprise-exists', 'An enterprise with this credit code is registered', existing.id, { enterpriseId: existing.id });
      const userEmail = body.user?.email.toLowerCase();
      if (userEmail && (await prisma.principal.count({ where: { email: userEmail } })))
        throw new HttpProblem(409, 'email-taken', 'Another principal signs in with this e-mail');
      const review = deps.config.enterpriseReviewRequired;
      const id = randomUUID();
      const created = await prisma.$transaction(async (tx) => {
        const e = await tx.enterprise.create({
          data: {
            id,
            ...enterpriseProfileData(body),
            tags: body.tags,
            status: review ? 'pending_review' : 'active',
            ...(review ? {} : { reviewedBy: `${p.role}:${p.id}`, reviewedAt: new Date() }),
          },
        });
        const user = body.user
          ? await tx.principal.create({
              data: {
                id: randomUUID(),
                role: 'enterprise',
                name: body.user.name,
                email: userEmail!,
                passwordHash: body.user.password ? await hashPassword(body.user.password) : null,
                enterpriseId: id,
              },
            })
          : undefined;
        return { e, user };
      });
      const key = created.user ? await createApiKey(prisma, created.user.id, 'initial') : undefined;
      return {
        status: 201,
        body: {
          ...enterpriseView(created.e),
          ...(created.user && key ? { user: { principalId: created.user.id, apiKey: key.key } } : {}),
        },
        location: `/v1/enterprises/${id}`,
        secrets: ['user.apiKey'],
      };
    });
  });

  r.get('/', async (req, res) => {
    requireRole(req, res, prisma, 'admin', 'supervisor');
    const q = parseQuery(enterprisesQuery, req);
    const rows = await prisma.enterprise.findMany({
      where: { ...(q.status ? { status: q.status } : {}), ...afterCursor(decodeCursor(q.cursor)) },
      orderBy: CURSOR_ORDER,
      take: q.limit + 1,
    });
    const p = page(rows, q.limit);
    res.json({ items: p.items.map(enterpriseView), nextCursor: p.nextCursor });
  });

  r.get('/:enterpriseId', async (req, res) => {
    const p = principalOf(res);
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const access = await enterpriseAccess(deps, p, enterpriseId);
    if (access === 'none') notVisible(req, res, prisma, 'enterprise', `enterprise ${enterpriseId} not visible to ${p.role}`);
    const e = await prisma.enterprise.findUnique({ where: { id: enterpriseId } });
    if (!e) throw new HttpProblem(404, 'not-found', 'No such enterprise');
    res.json(access === 'full' ? enterpriseView(e) : enterpriseSummaryView(e));
  });

  r.post('/:enterpriseId/review', async (req, res) => {
    const p = requireRole(req, res, prisma, 'supervisor', 'admin');
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const body = parseBody(reviewEnterpriseBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      const e = await prisma.enterprise.findUnique({ where: { id: enterpriseId } });
      if (!e) throw new HttpProblem(404, 'not-found', 'No such enterprise');
      if (e.status !== 'pending_review') throw new HttpProblem(409, 'not-pending-review', `The enterprise is ${e.status}, not waiting for review`);
      const updated = await prisma.enterprise.update({
        where: { id: enterpriseId },
        data: { status: body.decision === 'approve' ? 'active' : 'suspended', reviewedBy: `${p.role}:${p.id}`, reviewedAt: new Date() },
      });
      return { status: 200, body: { ...enterpriseView(updated), review: { decision: body.decision, reason: body.reason ?? null } } };
    });
  });

  return r;
}
