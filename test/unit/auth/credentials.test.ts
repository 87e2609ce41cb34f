// Credentials without a server: token signing and expiry, password hashing, API-key format, mobiles.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { looksLikeApiKey, hashSecret } from '../../../api/auth/apiKeys';
import { hashPassword, verifyPassword } from '../../../api/auth/passwords';
import { TOKEN_TTL_SECONDS, TokenSigner } from '../../../api/auth/tokens';
import { mobileProblem } from '../../../domain/enterprise';

afterEach(() => {
  vi.useRealTimers();
});

describe('tokens', () => {
  it('round-trips a principal and refuses it after the TTL, or under another key', async () => {
    const signer = new TokenSigner('x'.repeat(32));
    const { token, expiresAt } = await signer.sign('00000000-0000-4000-8000-000000000001', 'supervisor');
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan((TOKEN_TTL_SECONDS - 5) * 1000);
    expect(await signer.verify(token)).toEqual({ principalId: '00000000-0000-4000-8000-000000000001' });
    expect(await new TokenSigner('y'.repeat(32)).verify(token)).toEqual({ refused: 'invalid token' });
    vi.useFakeTimers();
    vi.setSystemTime(Date.now() + (TOKEN_TTL_SECONDS + 1) * 1000);
    expect(await signer.verify(token)).toEqual({ refused: 'token expired' });
  });

  it('refuses a short secret and an unsigned token', async () => {
    expect(() => new TokenSigner('short')).toThrow(/32 characters/);
    const signer = new TokenSigner();
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: 'loanbridge', exp: 9e9 })).toString('base64url');
    expect(await signer.verify(`${header}.${body}.`)).toEqual({ refused: 'invalid token' });
  });
});

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });
});

describe('API keys', () => {
  it('have one recognisable format and are stored as a SHA-256 digest', () => {
    expect(looksLikeApiKey(`lb_abcdefghij12_${'a'.repeat(43)}`)).toBe(true);
    expect(looksLikeApiKey(`lb_ABCDEFGHIJ12_${'a'.repeat(43)}`)).toBe(false);
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
    expect(hashSecret('s')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('mobile numbers', () => {
  it('accept E.164 and valid +86 mobiles only', () => {
    expect(mobileProblem('+8613912345678')).toBeUndefined();
    expect(mobileProblem('+14155550123')).toBeUndefined();
    expect(mobileProblem('13912345678')).toMatch(/E\.164/);
    expect(mobileProblem('+8612912345678')).toMatch(/13–19/);
    expect(mobileProblem('+86139123456789')).toMatch(/11 digits/);
  });
});
