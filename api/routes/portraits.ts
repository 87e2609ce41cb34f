// /v1/enterprises/:enterpriseId/portrait…: an enterprise's credit portrait for the banks it has
// authorised, the grants themselves, and the audit of every read.
//
// Who: a bank reads (only under a grant, every read audited); the enterprise in the path manages
// its grants and reads its audit; supervisors and admins may read grants and audit.
import { consentBlocker } from '../../domain/identity';
import { Router } from 'express';
import { canReadPortrait, redactPortrait, type AccessDecision } from '../../domain/credit/access';
import type { CreditPortrait } from '../../domain/credit/portrait';
import { apiGrantId, upsertGrant, type GrantRow } from '../../queries/grants';
import { creditPortraitWorkflowId } from '../../workflows/portrait';
import { storedCreditPortraitWorkflow } from '../../workflows/portraitStore';
import type { Request, Response } from 'express';
import { notVisible, ownBank, principalOf, requireRole } from '../auth/access';
import { inRegion } from '../auth/requestAccess';
import { isOverseer } from '../auth/principal';
import type { ApiDeps } from '../deps';
import { HttpProblem, validationProblem } from '../problem';
import { auditQuery, enterpriseParams, grantBody, grantParams, portraitQuery, requestedSections, revokeBody, type GrantView } from '../schemas/portraits';
import { idempotencyKey, parseBody, parseParams, parseQuery } from '../validate';

/** A stored complete portrait younger than this is served without asking the sources again. */
export const PORTRAIT_REUSE_MS = 60 * 60_000;
/** A partial one (a source was down) is reused only briefly, so a recovered source shows up soon. */
export const PARTIAL_PORTRAIT_REUSE_MS = 60_000;
/** A portrait build answers by then with whatever sources have answered (the workflow's deadline). */
export const PORTRAIT_BUILD_DEADLINE_MS = 15_000;

const grantView = (g: GrantRow): GrantView => ({
  id: g.id,
  enterpriseId: g.enterpriseId,
  bankId: g.bankId,
  sections: g.sections,
  expiresAt: g.expiresAt.toISOString(),
  revokedAt: g.revokedAt?.toISOString() ?? null,
  financingRequestId: g.financingRequestId,
  createdAt: g.createdAt.toISOString(),
});

/** Among a bank's grants, the one that lets it read the most; if none does, the newest one's refusal. */
function decide(grants: GrantRow[], bankId: string, requested: string[], now: Date): { grant?: GrantRow; decision: AccessDecision } {
  let best: { grant: GrantRow; decision: AccessDecision } | undefined;
  for (const grant of grants) {
    const decision = canReadPortrait(grant, bankId, requested, now);
    if (decision.allowed && (!best || decision.sections.length > best.decision.sections.length)) best = { grant, decision };
  }
  if (best) return best;
  const newest = grants[0];
  return newest
    ? { grant: newest, decision: canReadPortrait(newest, bankId, requested, now) }
    : { decision: canReadPortrait(undefined, bankId, requested, now) };
}

export function portraitsRouter(deps: ApiDeps): Router {
  const r = Router();

  /** The enterprise itself (writes), or also an overseer (reads); anyone else: not found. */
  function enterpriseOrOverseer(req: Request, res: Response, enterpriseId: string, write: boolean): void {
    const p = principalOf(res);
    if (p.role === 'enterprise' && p.enterpriseId === enterpriseId) return;
    if (!write && isOverseer(p)) return;
    notVisible(req, res, deps.prisma, 'enterprise', `${p.role} may not ${write ? 'manage' : 'read'} portrait grants of ${enterpriseId}`);
  }

  async function enterpriseOr404(enterpriseId: string) {
    const e = await deps.prisma.enterprise.findUnique({ where: { id: enterpriseId }, select: { id: true, creditCode: true } });
    if (!e) throw new HttpProblem(404, 'unknown-enterprise', 'No such enterprise', enterpriseId);
    return e;
  }

  /** A recent stored portrait, or a new one built by the portrait workflow (one run per enterprise at a time). */
  async function portraitFor(creditCode: string, refresh: boolean): Promise<{ id: string; portrait: CreditPortrait }> {
    if (!refresh) {
      const latest = await deps.prisma.creditPortrait.findFirst({ where: { creditCode }, orderBy: { asOf: 'desc' } });
      const maxAge = latest && latest.missing.length > 0 ? PARTIAL_PORTRAIT_REUSE_MS : PORTRAIT_REUSE_MS;
      if (latest && Date.now() - latest.asOf.getTime() < maxAge) return { id: latest.id, portrait: latest.body as unknown as CreditPortrait };
    }
    const stored = await deps.temporal.workflow.execute(storedCreditPortraitWorkflow, {
      workflowId: creditPortraitWorkflowId(creditCode),
      taskQueue: deps.taskQueue,
      args: [{ creditCode, refresh, deadline: new Date(Date.now() + PORTRAIT_BUILD_DEADLINE_MS).toISOString() }],
      // Readers arriving while a build runs wait for that build instead of starting another.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowExecutionTimeout: '2 minutes',
    });
    return { id: stored.portraitId, portrait: stored.portrait };
  }

  r.get('/:enterpriseId/portrait', async (req, res) => {
    requireRole(req, res, deps.prisma, 'bank');
    const { enterpriseId } = parseParams(enterpriseParams, req);
    const parsed = parseQuery(portraitQuery, req);
    const q = { ...parsed, bankId: ownBank(req, res, deps.prisma, parsed.bankId) };
    const split = requestedSections.safeParse(q.sections ? q.sections.split(',') : []);
    if (!split.success) throw validationProblem(split.error, 'query');
    const requested: string[] = split.data;
    const audit = (a: { grantId?: string; allowed: boolean; reason: string; returned?: string[] }) =>
      deps.prisma.portraitReadAudit.create({
        data: {
          enterpriseId,
          bankId: q.bankId,
          grantId: a.grantId ?? null,
          sectionsRequested: requested,
          sectionsReturned: a.returned ?? [],
          allowed: a.allowed,
          reason: a.reason,
        },
      });

    const enterprise = await deps.prisma.enterprise.findUnique({ where: { id: enterpriseId }, select: { creditCode: true, region: true } });
    if (!enterprise) {
      await audit({ allowed: false, reason: 'unknown_enterprise' });
      throw new HttpProblem(404, 'unknown-enterprise', 'No such enterprise', enterpriseId);
    }
    // A branch user reads portraits of its region's enterprises only (others: as if unknown).
    if (!inRegion(principalOf(res), enterprise.region)) {
      await audit({ allowed: false, reason: 'out_of_region' });
      throw new HttpProblem(404, 'unknown-enterprise', 'No such enterprise', enterpriseId);
    }
    const grants = await deps.prisma.portraitGrant.findMany({ where: { enterpriseId, bankId: q.bankId }, orderBy: { createdAt: 'desc' } });
    const { grant, decision } = decide(grants, q.bankId, requested, new Date());
    if (!decision.allowed) {
      await audit({ grantId: grant?.id, allowed: false, reason: decision.reason });
      throw new HttpProblem(403, 'portrait-access-denied', 'The enterprise has not authorised this bank to read its portrait', decision.reason, {
        reason: decision.reason,
        ...(decision.denied.length ? { denied: decision.denied } : {}),
      });
    }

    let built: { id: string; portrait: CreditPortrait };
    try {
      built = await portraitFor(enterprise.creditCode, q.refresh === 'true');
    } catch (err) {
      deps.log.error({ err, enterpriseId }, 'portrait build failed');
      await audit({ grantId: grant!.id, allowed: true, reason: 'unavailable' });
      throw new HttpProblem(503, 'portrait-unavailable', 'The portrait could not be built now', 'Try again shortly');
    }
    // Audited before the answer leaves: no read goes unrecorded.
    await audit({ grantId: grant!.id, allowed: true, reason: decision.reason, returned: decision.sections });
    res.json({
      enterpriseId,
      portraitId: built.id,
      ...redactPortrait(built.portrait, decision.sections),
      access: { grantId: grant!.id, reason: decision.reason, sections: decision.sections, denied: decision.denied },
    });
  });

  r.post('/:enterpriseId/portrait-grants', async (req, res) => {
    const { enterpriseId } = parseParams(enterpriseParams, req);
    enterpriseOrOverseer(req, res, enterpriseId, true);
    const key = idempotencyKey(req);
    const body = parseBody(grantBody, req);
    await enterpriseOr404(enterpriseId);
    const identity = await deps.prisma.enterprise.findUniqueOrThrow({
      where: { id: enterpriseId },
      select: { status: true, source: true, mobileVerifiedAt: true },
    });
    const noConsent = consentBlocker(identity);
    if (noConsent) throw new HttpProblem(403, 'consent-not-allowed', 'This enterprise cannot grant data consent yet', noConsent);
    const bank = await deps.prisma.bank.findUnique({ where: { id: body.bankId }, select: { active: true } });
    if (!bank?.active) throw new HttpProblem(422, 'unknown-bank', 'No such active bank', body.bankId, { bankIds: [body.bankId] });
    const id = apiGrantId(enterpriseId, key);
    const expiresAt = new Date(body.expiresAt);
    const existing = await deps.prisma.portraitGrant.findUnique({ where: { id } });
    if (!existing && expiresAt.getTime() <= Date.now()) throw new HttpProblem(422, 'grant-expiry-past', 'expiresAt must be in the future', body.expiresAt);
    const { grant, created } = existing ? { grant: existing, created: false } : await upsertGrant(deps.prisma, { id, enterpriseId, ...body });
    const same =
      grant.bankId === body.bankId &&
      grant.expiresAt.getTime() === expiresAt.getTime() &&
      [...grant.sections].sort().join() === [...body.sections].sort().join();
    if (!same) throw new HttpProblem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different grant');
    if (!created) res.set('Idempotent-Replayed', 'true');
    res
      .status(created ? 201 : 200)
      .location(`/v1/enterprises/${enterpriseId}/portrait-grants/${id}`)
      .json(grantView(grant));
  });

  r.get('/:enterpriseId/portrait-grants', async (req, res) => {
    const { enterpriseId } = parseParams(enterpriseParams, req);
    enterpriseOrOverseer(req, res, enterpriseId, false);
    await enterpriseOr404(enterpriseId);
    const grants = await deps.prisma.portraitGrant.findMany({ where: { enterpriseId }, orderBy: { createdAt: 'desc' } });
    res.json({ enterpriseId, items: grants.map(grantView) });
  });

  r.post('/:enterpriseId/portrait-grants/:grantId/revoke', async (req, res) => {
    // Revoking twice changes nothing (the first revocation time stays); the key is required like on every POST.
    const { enterpriseId, grantId } = parseParams(grantParams, req);
    enterpriseOrOverseer(req, res, enterpriseId, true);
    idempotencyKey(req);
    if (req.body !== undefined && Object.keys(req.body as object).length > 0) parseBody(revokeBody, req);
    await deps.prisma.portraitGrant.updateMany({ where: { id: grantId, enterpriseId, revokedAt: null }, data: { revokedAt: new Date() } });
    const grant = await deps.prisma.portraitGrant.findFirst({ where: { id: grantId, enterpriseId } });
    if (!grant) throw new HttpProblem(404, 'unknown-grant', 'No such grant for this enterprise', grantId);
    res.json(grantView(grant));
  });

  r.get('/:enterpriseId/portrait-reads', async (req, res) => {
    const { enterpriseId } = parseParams(enterpriseParams, req);
    const q = parseQuery(auditQuery, req);
    enterpriseOrOverseer(req, res, enterpriseId, false);
    await enterpriseOr404(enterpriseId);
    const rows = await deps.prisma.portraitReadAudit.findMany({
      where: { enterpriseId, ...(q.bankId ? { bankId: q.bankId } : {}) },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(Number(q.limit ?? 100), 1000),
    });
    res.json({
      enterpriseId,
      items: rows.map((a) => ({
        id: a.id.toString(),
        bankId: a.bankId,
        grantId: a.grantId,
        sectionsRequested: a.sectionsRequested,
        sectionsReturned: a.sectionsReturned,
        allowed: a.allowed,
        reason: a.reason,
        at: a.at.toISOString(),
      })),
    });
  });

  return r;
}
