// Sign-in (API key or e-mail + password → short-lived JWT), the caller's identity, principals
// (admins create them) and API keys (shown once, revocable).
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { Principal as PrincipalRow } from '../../generated/prisma/client';
import { requireRole, principalOf } from '../auth/access';
import { createApiKey, MAX_LIVE_KEYS_PER_PRINCIPAL, verifyApiKey } from '../auth/apiKeys';
import { auditRefusal } from '../auth/audit';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { HttpProblem } from '../problem';
import { perIpLimit } from '../rateLimits';
import { apiKeyParams, apiKeysQuery, createApiKeyBody, createPrincipalBody, deactivateBody, passwordBody, principalParams, tokenBody } from '../schemas/auth';
import { parseBody, parseParams, parseQuery } from '../validate';

export const principalView = (p: PrincipalRow) => ({
  id: p.id,
  role: p.role,
  name: p.name,
  email: p.email,
  enterpriseId: p.enterpriseId,
  bankId: p.bankId,
  branch: p.branch,
  region: p.region,
  guaranteeInstitutionId: p.guaranteeInstitutionId,
  active: p.active,
});

/** A scrypt verification with a throwaway hash, so unknown e-mails take as long as wrong passwords. */
const DUMMY_HASH = hashPassword('not-a-real-password');

export function publicAuthRouter(deps: ApiDeps): Router {
  const r = Router();
  r.post('/v1/auth/token', perIpLimit(deps.config.rateLimits), async (req, res) => {
    const body = parseBody(tokenBody, req);
    let row: PrincipalRow | null = null;
    let apiKeyId: string | undefined;
    if ('apiKey' in body) {
      const v = await verifyApiKey(deps.prisma, body.apiKey);
      if ('principal' in v) {
        row = v.principal;
        apiKeyId = v.keyId;
      }
    } else {
      row = await deps.prisma.principal.findUnique({ where: { email: body.email.toLowerCase() } });
      const ok = await verifyPassword(body.password, row?.passwordHash ?? (await DUMMY_HASH));
      if (!ok || !row?.passwordHash) row = null;
    }
    if (!row || !row.active) {
      auditRefusal(deps.prisma, req, undefined, 401, 'sign-in refused');
      throw new HttpProblem(401, 'sign-in-failed', 'Sign-in failed', 'Unknown credentials or deactivated principal');
    }
    const t = await deps.tokens.sign(row.id, row.role, apiKeyId);
    res.json({ token: t.token, tokenType: 'Bearer', expiresAt: t.expiresAt, principal: { id: row.id, role: row.role, name: row.name } });
  });
  return r;
}

export function authRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  r.get('/me', async (_req, res) => {
    const p = principalOf(res);
    const row = await prisma.principal.findUniqueOrThrow({ where: { id: p.id } });
    res.json(principalView(row));
  });

  r.post('/principals', async (req, res) => {
    requireRole(req, res, prisma, 'admin');
    const body = parseBody(createPrincipalBody, req);
    const exists =
      body.enterpriseId !== undefined
        ? await prisma.enterprise.count({ where: { id: body.enterpriseId } })
        : body.bankId !== undefined
          ? await prisma.bank.count({ where: { id: body.bankId } })
          : body.guaranteeInstitutionId !== undefined
            ? await prisma.guaranteeInstitution.count({ where: { id: body.guaranteeInstitutionId } })
            : 1;
    if (!exists) throw new HttpProblem(422, 'unknown-organisation', 'The organisation this principal belongs to does not exist');
    const email = body.email?.toLowerCase();
    if (email && (await prisma.principal.count({ where: { email } }))) throw new HttpProblem(409, 'email-taken', 'Another principal signs in with this e-mail');
    await respondIdempotently(prisma, req, res, async () => {
      const row = await prisma.principal.create({
        data: {
          id: randomUUID(),
          role: body.role,
          name: body.name,
          email: email ?? null,
          passwordHash: body.password ? await hashPassword(body.password) : null,
          enterpriseId: body.enterpriseId ?? null,
          bankId: body.bankId ?? null,
          branch: body.branch ?? null,
          region: body.region ?? null,
          guaranteeInstitutionId: body.guaranteeInstitutionId ?? null,
        },
      });
      const key = await createApiKey(prisma, row.id, 'initial');
      return {
        status: 201,
        body: { ...principalView(row), apiKey: { ...key, principalId: row.id, createdAt: key.createdAt.toISOString() } },
        location: `/v1/principals/${row.id}`,
        secrets: ['apiKey.key'],
      };
    });
  });

  // Admins end a principal's access at once: it is refused on its next call (keys revoked, tokens
  // refused because the principal is inactive). Idempotent by nature.
  r.post('/principals/:principalId/deactivate', async (req, res) => {
    requireRole(req, res, prisma, 'admin');
    const { principalId } = parseParams(principalParams, req);
    if (req.body !== undefined && Object.keys(req.body as object).length) parseBody(deactivateBody, req);
    const found = await prisma.principal.findUnique({ where: { id: principalId } });
    if (!found) throw new HttpProblem(404, 'not-found', 'No such principal');
    const [row] = await prisma.$transaction([
      prisma.principal.update({ where: { id: principalId }, data: { active: false } }),
      prisma.apiKey.updateMany({ where: { principalId, revokedAt: null }, data: { revokedAt: new Date() } }),
    ]);
    res.json(principalView(row));
  });

  // Admins set a new password (the user forgot it, or it leaked); the old one stops working at once.
  r.post('/principals/:principalId/password', async (req, res) => {
    requireRole(req, res, prisma, 'admin');
    const { principalId } = parseParams(principalParams, req);
    const body = parseBody(passwordBody, req);
    const found = await prisma.principal.findUnique({ where: { id: principalId } });
    if (!found) throw new HttpProblem(404, 'not-found', 'No such principal');
    if (!found.email) throw new HttpProblem(409, 'no-email', 'This principal has no e-mail to sign in with');
    const row = await prisma.principal.update({ where: { id: principalId }, data: { passwordHash: await hashPassword(body.password) } });
    res.json(principalView(row));
  });

  r.get('/principals', async (req, res) => {
    requireRole(req, res, prisma, 'admin');
    const rows = await prisma.principal.findMany({ orderBy: { createdAt: 'asc' }, take: 1000 });
    res.json({ items: rows.map(principalView) });
  });

  r.post('/api-keys', async (req, res) => {
    const p = principalOf(res);
    const body = parseBody(createApiKeyBody, req);
    const owner = body.principalId ?? p.id;
    if (owner !== p.id) {
      requireRole(req, res, prisma, 'admin');
      if (!(await prisma.principal.count({ where: { id: owner } }))) throw new HttpProblem(422, 'unknown-principal', 'No such principal');
    }
    await respondIdempotently(prisma, req, res, async () => {
      if ((await prisma.apiKey.count({ where: { principalId: owner, revokedAt: null } })) >= MAX_LIVE_KEYS_PER_PRINCIPAL)
        throw new HttpProblem(409, 'key-limit', `At most ${MAX_LIVE_KEYS_PER_PRINCIPAL} unrevoked API keys per principal`, 'Revoke one first');
      const key = await createApiKey(prisma, owner, body.name);
      return { status: 201, body: { ...key, principalId: owner, createdAt: key.createdAt.toISOString() }, secrets: ['key'] };
    });
  });

  r.get('/api-keys', async (req, res) => {
    const p = principalOf(res);
    const q = parseQuery(apiKeysQuery, req);
    const owner = q.principalId ?? p.id;
    if (owner !== p.id) requireRole(req, res, prisma, 'admin');
    const rows = await prisma.apiKey.findMany({ where: { principalId: owner }, orderBy: { createdAt: 'asc' } });
    res.json({
      items: rows.map((k) => ({
        id: k.id,
        name: k.name,
        principalId: k.principalId,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
        revokedAt: k.revokedAt?.toISOString() ?? null,
      })),
    });
  });

  // Revoking is idempotent by nature (a revoked key stays revoked), so no Idempotency-Key.
  r.delete('/api-keys/:id', async (req, res) => {
    const p = principalOf(res);
    const { id } = parseParams(apiKeyParams, req);
    const key = await prisma.apiKey.findUnique({ where: { id } });
    if (!key || (key.principalId !== p.id && p.role !== 'admin')) throw new HttpProblem(404, 'not-found', 'No such API key');
    const row = key.revokedAt ? key : await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    res.json({ id: row.id, revokedAt: row.revokedAt!.toISOString() });
  });

  return r;
}
