// Enterprise identity over the API.
// Public (no credentials, per-IP limits): SMS sign-in on a phone (a code to the registered contact
// mobile → a 15-minute page token for the enterprise), and self-registration (credit code, name,
// legal contact and mobile → code to that mobile → verified; then active, or pending_review until a
// supervisor approves when ENTERPRISE_REVIEW_REQUIRED).
// Authenticated: the enterprise edits its profile (tags only as a proposal); supervisors confirm
// tags, reassign a contact mobile (a correction, or taking a squatted record back), release a
// squatted record that has no requests, and read the identity audit.
import { enterpriseProfileData } from '../enterpriseData';
import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import { initialStatus, maskMobile } from '../../domain/identity';
import { notVisible, principalOf, requireRole } from '../auth/access';
import { isOverseer } from '../auth/principal';
import type { ApiDeps } from '../deps';
import { smsPrincipal } from '../identity/enterpriseSessions';
import { issueCode, verifyCode } from '../identity/oneTimeCodes';
import { respondIdempotently } from '../idempotency';
import { HttpProblem } from '../problem';
import { perIpLimit } from '../rateLimits';
import { enterpriseIdParams } from '../schemas/enterprises';
import { confirmTagsBody, profileBody, reassignContactBody, registrationBody, releaseBody, smsCodeBody, verifyCodeBody } from '../schemas/identity';
import { parseBody, parseParams } from '../validate';
import { enterpriseView } from './enterprises';

async function signedInAs(deps: ApiDeps, enterpriseId: string, mobile: string) {
  const p = await smsPrincipal(deps, enterpriseId, mobile);
  if (!p.active) throw new HttpProblem(403, 'principal-deactivated', 'Sign-in for this number was revoked', 'Ask a supervisor');
  const t = await deps.tokens.sign(p.id, 'enterprise');
  return {
    token: t.token,
    tokenType: 'Bearer' as const,
    expiresAt: t.expiresAt,
    principal: { id: p.id, role: 'enterprise' as const, name: p.name, enterpriseId },
  };
}

const challengeView = (c: { challengeId: string; maskedMobile: string; expiresAt: Date }) => ({
  challengeId: c.challengeId,
  maskedMobile: c.maskedMobile,
  expiresAt: c.expiresAt.toISOString(),
});

export function publicIdentityRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  const limit = perIpLimit(deps.config.rateLimits);

  r.post('/v1/auth/sms-code', limit, async (req, res) => {
    const body = parseBody(smsCodeBody, req);
    const e = await prisma.enterprise.findUnique({ where: { creditCode: body.creditCode }, select: { id: true, status: true } });
    if (!e)
      throw new HttpProblem(
        404,
        'unknown-enterprise',
        'No enterprise with this credit code is registered',
        'Register first: POST /v1/enterprise-registrations',
      );
    if (e.status === 'suspended') throw new HttpProblem(403, 'enterprise-suspended', 'This enterprise is suspended');
    const issued = await issueCode(deps, { enterpriseId: e.id, purpose: 'sign_in', ip: req.ip, publicForm: true });
    res.status(202).json(challengeView(issued));
  });

  r.post('/v1/auth/sms-token', limit, async (req, res) => {
    const body = parseBody(verifyCodeBody, req);
    const v = await verifyCode(deps, { challengeId: body.challengeId, code: body.code, purpose: 'sign_in' });
    res.json(await signedInAs(deps, v.enterpriseId, v.mobile));
  });

  r.post('/v1/enterprise-registrations', limit, async (req, res) => {
    const body = parseBody(registrationBody, req);
    const existing = await prisma.enterprise.findUnique({ where: { creditCode: body.creditCode } });
    if (existing) {
      const selfDeclared = existing.source !== 'api' && !existing.mobileVerifiedAt;
      if (!selfDeclared)
        throw new HttpProblem(
          409,
          'enterprise-exists',
          'This enterprise is registered',
          'Sign in with an SMS code to its contact mobile: POST /v1/auth/sms-code',
          {
            enterpriseId: existing.id,
          },
        );
      if (existing.contactMobile !== body.contactMobile)
        throw new HttpProblem(
          409,
          'enterprise-claimed',
          'Someone else registered this credit code with another mobile and has not verified it',
          'If this is your company, ask a supervisor to reassign the record to your contact (POST /v1/enterprises/{id}/contact)',
          { enterpriseId: existing.id },
        );
      // The same registration again: the live code stands (no second SMS); else a new one within the budgets.
      const live = await prisma.oneTimeCode.findFirst({
        where: { enterpriseId: existing.id, purpose: 'registration', mobile: existing.contactMobile, consumedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: 'desc' },
      });
      const c = live
        ? { challengeId: live.id, maskedMobile: maskMobile(live.mobile), expiresAt: live.expiresAt }
        : await issueCode(deps, { enterpriseId: existing.id, purpose: 'registration', ip: req.ip, publicForm: true });
      return res
        .status(202)
        .location(`/v1/enterprises/${existing.id}`)
        .json({ enterpriseId: existing.id, status: 'unverified', ...challengeView(c) });
    }
    const id = randomUUID();
    await prisma.enterprise.createMany({
      data: [
        {
          id,
          ...enterpriseProfileData(body),
          status: initialStatus(deps.config.enterpriseReviewRequired),
          source: 'self',
        },
      ],
      skipDuplicates: true,
    });
    const row = await prisma.enterprise.findUniqueOrThrow({ where: { creditCode: body.creditCode }, select: { id: true } });
    if (row.id !== id) throw new HttpProblem(409, 'enterprise-claimed', 'A concurrent registration of this credit code won', 'Retry to get its state');
    const c = await issueCode(deps, { enterpriseId: id, purpose: 'registration', ip: req.ip, publicForm: true });
    res
      .status(202)
      .location(`/v1/enterprises/${id}`)
      .json({ enterpriseId: id, status: 'unverified', ...challengeView(c) });
  });

  r.post('/v1/enterprise-registrations/verify', limit, async (req, res) => {
    const body = parseBody(verifyCodeBody, req);
    const v = await verifyCode(deps, { challengeId: body.challengeId, code: body.code, purpose: 'registration' });
    const e = await prisma.enterprise.findUniqueOrThrow({ where: { id: v.enterpriseId } });
    res.json({ enterprise: enterpriseView(e), ...(await signedInAs(deps, v.enterpriseId, v.mobile)) });
  });

  return r;
}

export function enterpriseIdentityRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  const audit = (
    tx: Prisma.TransactionClient | ApiDeps['prisma'],
    enterpriseId: string,
    action: string,
    actor: string,
    reason: string | null,
    detail: object,
  ) => tx.enterpriseIdentityEvent.create({ data: { enterpriseId, action, actor, reason, detail: detail as Prisma.InputJsonValue } });

  async function enterpriseOr404(id: string) {
    const e = await prisma.enterprise.findUnique({ where: { id } });
    if (!e) throw new HttpProblem(404, 'not-found', 'No such enterprise');
    return e;
  }

  /** The enterprise itself, or a supervisor/admin when read is true. */
  function selfOrOverseer(req: Request, res: Response, enterpriseId: string, read: boolean): string {
    const p = principalOf(res);
    if (p.role === 'enterprise' && p.enterpriseId === enterpriseId) return `enterprise:${p.id}`;
    if (read && isOverseer(p)) return `${p.role}:${p.id}`;
    notVisible(req, res, prisma, 'enterprise', `${p.role} may not ${read ? 'read' : 'edit'} the identity of ${enterpriseId}`);
  }

  r.patch('/:enterpriseId/profile', async (req, res) => {
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const actor = selfOrOverseer(req, res, enterpriseId, false);
    const body = parseBody(profileBody, req);
    await enterpriseOr404(enterpriseId);
    const updated = await prisma.$transaction(async (tx) => {
      const e = await tx.enterprise.update({
        where: { id: enterpriseId },
        data: {
          ...(body.contactName !== undefined ? { contactName: body.contactName } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.industry !== undefined ? { industry: body.industry } : {}),
          ...(body.region !== undefined ? { region: body.region } : {}),
          ...(body.registeredCapitalFen !== undefined ? { registeredCapitalFen: BigInt(body.registeredCapitalFen) } : {}),
          ...(body.proposedTags !== undefined ? { proposedTags: body.proposedTags } : {}),
        },
      });
      await audit(tx, enterpriseId, 'profile_updated', actor, null, { fields: Object.keys(body) });
      return e;
    });
    res.json({ ...enterpriseView(updated), proposedTags: updated.proposedTags });
  });

  r.post('/:enterpriseId/tags', async (req, res) => {
    const p = requireRole(req, res, prisma, 'supervisor', 'admin');
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const body = parseBody(confirmTagsBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      const before = await enterpriseOr404(enterpriseId);
      const updated = await prisma.$transaction(async (tx) => {
        const e = await tx.enterprise.update({ where: { id: enterpriseId }, data: { tags: body.tags, proposedTags: [] } });
        await audit(tx, enterpriseId, 'tags_confirmed', `${p.role}:${p.id}`, body.reason ?? null, {
          proposed: before.proposedTags,
          before: before.tags,
          after: body.tags,
        });
        return e;
      });
      return { status: 200, body: { ...enterpriseView(updated), proposedTags: updated.proposedTags } };
    });
  });

  r.post('/:enterpriseId/contact', async (req, res) => {
    const p = requireRole(req, res, prisma, 'supervisor', 'admin');
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const body = parseBody(reassignContactBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      const before = await enterpriseOr404(enterpriseId);
      const now = new Date();
      const updated = await prisma.$transaction(async (tx) => {
        const e = await tx.enterprise.update({
          where: { id: enterpriseId },
          data: {
            contactMobile: body.contactMobile,
            ...(body.contactName ? { contactName: body.contactName } : {}),
            ...(body.name ? { name: body.name } : {}),
            // The new number has proved nothing yet.
            mobileVerifiedAt: null,
          },
        });
        // Sessions of the old number end; on a squatted record every principal and grant goes.
        const principals = await tx.principal.updateMany({
          where: { enterpriseId, active: true, ...(body.squatted ? {} : { email: null, passwordHash: null }) },
          data: { active: false },
        });
        const grants = body.squatted
          ? await tx.portraitGrant.updateMany({ where: { enterpriseId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } })
          : { count: 0 };
        await audit(tx, enterpriseId, 'contact_reassigned', `${p.role}:${p.id}`, body.reason, {
          from: maskMobile(before.contactMobile),
          to: maskMobile(body.contactMobile),
          squatted: body.squatted,
          principalsDeactivated: principals.count,
          grantsRevoked: grants.count,
        });
        return e;
      });
      return { status: 200, body: enterpriseView(updated) };
    });
  });

  r.post('/:enterpriseId/release', async (req, res) => {
    const p = requireRole(req, res, prisma, 'supervisor', 'admin');
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    const body = parseBody(releaseBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      const e = await enterpriseOr404(enterpriseId);
      const requests = await prisma.financingRequest.count({ where: { enterpriseId } });
      const submissions = await prisma.loanCodeSubmission.count({ where: { enterpriseId } });
      if (requests + submissions > 0)
        throw new HttpProblem(
          409,
          'enterprise-has-requests',
          'This record has requests and cannot be deleted',
          'Reassign it to the real contact instead (POST /v1/enterprises/{id}/contact with squatted: true)',
        );
      await prisma.$transaction(async (tx) => {
        await tx.principal.updateMany({ where: { enterpriseId }, data: { active: false } });
        await tx.portraitGrant.updateMany({ where: { enterpriseId, revokedAt: null }, data: { revokedAt: new Date() } });
        await audit(tx, enterpriseId, 'released', `${p.role}:${p.id}`, body.reason, {
          creditCode: e.creditCode,
          name: e.name,
          contact: maskMobile(e.contactMobile),
        });
        await tx.enterprise.delete({ where: { id: enterpriseId } });
      });
      return { status: 200, body: { id: enterpriseId, creditCode: e.creditCode, released: true } };
    });
  });

  r.get('/:enterpriseId/identity-events', async (req, res) => {
    const { enterpriseId } = parseParams(enterpriseIdParams, req);
    selfOrOverseer(req, res, enterpriseId, true);
    const rows = await prisma.enterpriseIdentityEvent.findMany({ where: { enterpriseId }, orderBy: { at: 'desc' }, take: 200 });
    res.json({
      enterpriseId,
      items: rows.map((x) => ({ action: x.action, actor: x.actor, reason: x.reason, detail: x.detail, at: x.at.toISOString() })),
    });
  });

  return r;
}
