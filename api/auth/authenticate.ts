// Authentication: `Authorization: Bearer <jwt | API key>` or `X-Api-Key: <API key>`. Routes mounted
// after this middleware are unreachable without a valid, active principal (401 problem+json).
import type { Request, RequestHandler } from 'express';
import type { Principal as PrincipalRow, PrismaClient } from '../../generated/prisma/client';
import { HttpProblem } from '../problem';
import { looksLikeApiKey, verifyApiKey } from './apiKeys';
import { auditUnauthenticated } from './audit';
import type { Principal } from './principal';
import type { TokenSigner } from './tokens';

export function toPrincipal(row: PrincipalRow, via: Principal['via']): Principal {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    enterpriseId: row.enterpriseId,
    bankId: row.bankId,
    branch: row.branch,
    region: row.region,
    guaranteeInstitutionId: row.guaranteeInstitutionId,
    via,
  };
}

function credential(req: Request): string | undefined {
  const auth = req.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? m[1] : '';
  }
  return req.get('x-api-key') ?? undefined;
}

/** Resolves the credential of a request to a principal; undefined when none was sent. */
export async function resolvePrincipal(prisma: PrismaClient, tokens: TokenSigner, req: Request): Promise<Principal | undefined> {
  const cred = credential(req);
  if (cred === undefined) return undefined;
  const refuse = (why: string, audit = why): never => {
    auditUnauthenticated(prisma, req, audit);
    throw new HttpProblem(401, 'unauthenticated', 'Authentication failed', why);
  };
  let row: PrincipalRow | null;
  let via: Principal['via'];
  if (looksLikeApiKey(cred)) {
    const r = await verifyApiKey(prisma, cred);
    if ('refused' in r) return refuse(r.refused, r.audit);
    row = r.principal;
    via = 'apiKey';
  } else {
    const r = await tokens.verify(cred);
    if ('refused' in r) return refuse(r.refused);
    row = await prisma.principal.findUnique({ where: { id: r.principalId } });
    // A token exchanged for an API key lives no longer than that key.
    if (r.apiKeyId) {
      const key = await prisma.apiKey.findUnique({ where: { id: r.apiKeyId }, select: { revokedAt: true } });
      if (!key || key.revokedAt) return refuse('API key behind this token revoked');
    }
    via = 'token';
  }
  if (!row) return refuse('unknown principal');
  if (!row.active) return refuse('principal deactivated');
  return toPrincipal(row, via);
}

export function authenticate(prisma: PrismaClient, tokens: TokenSigner): RequestHandler {
  return async (req, res, next) => {
    const p = await resolvePrincipal(prisma, tokens, req);
    if (!p) {
      auditUnauthenticated(prisma, req, 'no credentials');
      res.set('WWW-Authenticate', 'Bearer realm="loanbridge"');
      throw new HttpProblem(401, 'unauthenticated', 'Authentication required', 'Send Authorization: Bearer <API key or token>');
    }
    res.locals.principal = p;
    next();
  };
}
