// API keys for machine clients: `lb_<id>_<secret>`. The id finds the row; only SHA-256 of the
// secret is stored (a 256-bit random secret needs no slow hash), so a database leak reveals no key.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal as PrincipalRow, PrismaClient } from '../../generated/prisma/client';

const KEY_FORMAT = /^lb_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(s: string): boolean {
  return KEY_FORMAT.test(s);
}

/** A fresh key for the principal; the returned `key` is the only time the secret exists in clear. */
export async function createApiKey(prisma: PrismaClient, principalId: string, name: string, fixed?: { id: string; secret: string }) {
  const id =
    fixed?.id ??
    randomBytes(9)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 12)
      .padEnd(12, '0');
  const secret = fixed?.secret ?? randomBytes(32).toString('base64url');
  const row = await prisma.apiKey.create({ data: { id, principalId, name, secretHash: hashSecret(secret) } });
  return { id: row.id, name: row.name, createdAt: row.createdAt, key: `lb_${id}_${secret}` };
}

const UNKNOWN_OR_WRONG = 'unknown API key or wrong secret';

/** Unrevoked keys one principal may hold: a leaked session cannot mint an unbounded number. */
export const MAX_LIVE_KEYS_PER_PRINCIPAL = 10;

/** The principal id behind a key, or a reason it is refused. */
export async function verifyApiKey(
  prisma: PrismaClient,
  key: string,
): Promise<{ principal: PrincipalRow; keyId: string } | { refused: string; audit?: string }> {
  const m = KEY_FORMAT.exec(key);
  if (!m) return { refused: 'malformed API key' };
  const row = await prisma.apiKey.findUnique({ where: { id: m[1]! }, include: { principal: true } });
  // One answer for an unknown key id and a wrong secret, so key ids cannot be probed (the audit row tells them apart).
  const b = Buffer.from(hashSecret(m[2]!), 'hex');
  if (!row) return { refused: UNKNOWN_OR_WRONG, audit: 'unknown API key' };
  const a = Buffer.from(row.secretHash, 'hex');
  if (!timingSafeEqual(a, b)) return { refused: UNKNOWN_OR_WRONG, audit: 'wrong API key secret' };
  if (row.revokedAt) return { refused: 'API key revoked' };
  // lastUsedAt at minute resolution: one write per key per minute, not per request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { principal: row.principal, keyId: row.id };
}
