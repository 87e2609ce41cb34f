// Short-lived signed tokens (JWT, HS256 via jose) for the web pages: a page signs in once with
// e-mail + password or an API key and then sends `Authorization: Bearer <jwt>`.
import { jwtVerify, SignJWT, errors } from 'jose';
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from './principal';

/** Page tokens live 15 minutes: a stolen token is short-lived, a page signs in again. */
export const TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'loanbridge';

export class TokenSigner {
  private readonly key: Uint8Array;
  /** With no JWT_SECRET (embedded dev stack) a random key: tokens die with the process. */
  constructor(secret?: string) {
    this.key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
    if (secret && secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
  }

  /** `apiKeyId`: the key the token was exchanged for; the token dies with it (checked on every call). */
  async sign(principalId: string, role: Role, apiKeyId?: string): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role, ...(apiKeyId ? { akid: apiKeyId } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principalId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The principal id, or why the token is refused (expired, bad signature, malformed). */
  async verify(token: string): Promise<{ principalId: string; apiKeyId?: string } | { refused: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !ROLES.includes(payload.role as Role)) return { refused: 'token without subject or role' };
      return { principalId: payload.sub, ...(typeof payload.akid === 'string' ? { apiKeyId: payload.akid } : {}) };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { refused: 'token expired' };
      return { refused: 'invalid token' };
    }
  }
}
