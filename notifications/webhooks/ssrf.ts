// SSRF guard for webhook URLs, used at registration (API) and again before every delivery, since a
// host name can resolve to a private address later (DNS rebinding).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { assertWebhookUrl } from './store';

export class WebhookUrlRefused extends Error {
  override name = 'WebhookUrlRefused';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for addresses a webhook must never reach: private, loopback, link-local (cloud metadata), CGNAT, multicast, unspecified. */
export function isNonPublicAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (v === 6) {
    const x = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isNonPublicAddress(mapped[1]!);
    return x === '::' || x === '::1' || /^f[cd]/.test(x) || /^fe[89ab]/.test(x) || x.startsWith('ff');
  }
  return false;
}

/**
 * A webhook URL the platform may POST to: https to a public address, or http(s) to 127.0.0.1 /
 * localhost for development. Host names are resolved and refused if any address is not public.
 * Throws WebhookUrlRefused with the reason.
 */
export async function checkWebhookUrl(raw: string): Promise<string> {
  const refuse = (detail: string) => new WebhookUrlRefused(detail);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refuse('not an absolute URL');
  }
  if (u.username || u.password) throw refuse('credentials in the URL are not allowed');
  if (LOOPBACK_HOSTS.has(u.hostname)) {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw refuse('http(s) only');
    return u.toString();
  }
  if (u.protocol !== 'https:') throw refuse('https only (http only for 127.0.0.1 and localhost)');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (/(^|\.)(localhost|local|internal|localdomain)$/i.test(host)) throw refuse(`${host} is not a public host`);
  if (isIP(host)) {
    if (isNonPublicAddress(host)) throw refuse(`${host} is not a public address`);
  } else {
    let addresses: { address: string }[] = [];
    try {
      addresses = await lookup(host, { all: true });
    } catch {
      // Unresolvable now: accepted (delivery fails and is retried); a later resolution is the transport's to check.
    }
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) throw refuse(`${host} resolves to ${bad.address}, not a public address`);
  }
  try {
    assertWebhookUrl(u.toString());
  } catch (err) {
    throw refuse((err as Error).message);
  }
  return u.toString();
}
