// After a one-time code, the enterprise acts as a principal of its own: one per (enterprise,
// verified mobile), created on first use, with no password and no API key. A supervisor who
// reassigns the contact mobile deactivates the principals of the old number, so their tokens stop
// working at once (authenticate reads `active` on every request).
//
// The tracking page keeps that principal's 15-minute page token in an HttpOnly, SameSite=Strict
// cookie limited to /t/ (the pages run no scripts; the token never reaches the page itself).
import type { Request, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { v5 as uuidv5 } from 'uuid';
import { TOKEN_TTL_SECONDS } from '../auth/tokens';
import type { ApiDeps } from '../deps';

const SMS_PRINCIPAL_NAMESPACE = '0d7f4b7e-93a1-4c55-9a0c-2f1a8b6c3e21';
export const TRACKING_COOKIE = 'lb_enterprise';

/** The enterprise's principal for this verified mobile (created once; concurrent first uses agree). */
export async function smsPrincipal(deps: Pick<ApiDeps, 'prisma'>, enterpriseId: string, mobile: string) {
  const id = uuidv5(`${enterpriseId}:${mobile}`, SMS_PRINCIPAL_NAMESPACE);
  await deps.prisma.principal.createMany({
    data: [{ id, role: 'enterprise', name: `短信验证 SMS-verified ${mobile.slice(0, 6)}****${mobile.slice(-2)}`, enterpriseId }],
    skipDuplicates: true,
  });
  return deps.prisma.principal.findUniqueOrThrow({ where: { id } });
}

export async function startTrackingSession(deps: ApiDeps, req: Request, res: Response, principalId: string): Promise<void> {
  const { token } = await deps.tokens.sign(principalId, 'enterprise');
  res.append(
    'Set-Cookie',
    serialize(TRACKING_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/t/', maxAge: TOKEN_TTL_SECONDS }),
  );
}

/** The enterprise the tracking page's cookie stands for, if its token is valid and its principal active. */
export async function trackingSessionEnterprise(deps: ApiDeps, req: Request): Promise<string | undefined> {
  const token = parseCookies(req.headers.cookie ?? '')[TRACKING_COOKIE];
  if (!token) return undefined;
  const v = await deps.tokens.verify(token);
  if (!('principalId' in v)) return undefined;
  const p = await deps.prisma.principal.findUnique({ where: { id: v.principalId }, select: { active: true, role: true, enterpriseId: true } });
  return p?.active && p.role === 'enterprise' && p.enterpriseId ? p.enterpriseId : undefined;
}
