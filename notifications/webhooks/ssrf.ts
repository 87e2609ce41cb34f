// SSRF guard for webhook URLs. At registration (API) the URL is parsed, its host resolved and
// every address checked; at each delivery (worker) the host is resolved once more, checked, and
// the connection goes to that checked address (webhooks/pinnedPost.ts), so a name that resolves
// elsewhere a moment later (DNS rebinding) changes nothing.
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export class WebhookUrlRefused extends Error {
  override name = 'WebhookUrlRefused';
  constructor(
    message: string,
    /** `unresolvable`: the name resolves to nothing now (at delivery, worth a retry). */
    readonly reason: 'refused' | 'unresolvable' = 'refused',
  ) {
    super(message);
  }
}

/** What a deployment allows; loopback receivers only on a development stack (WEBHOOK_ALLOW_LOOPBACK=true). */
export interface WebhookTargetPolicy {
  allowLoopback?: boolean;
  /** Name resolution; node's resolver unless a test supplies one. */
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export interface WebhookTarget {
  url: URL;
  /** The checked address the delivery connects to. */
  address: string;
  family: 4 | 6;
}

const systemLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** IPv6 forms that carry an IPv4 address: the IPv4 address is what the packets reach. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = a.range();
  const parts = a.parts;
  const v4 = (hi: number, lo: number) => ipaddr.IPv4.parse(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  // ::ffff:0:0/96 mapped, 64:ff9b::/96 NAT64 and ::ffff:0:0:0/96 translated (rfc6145) keep it in the last 32 bits.
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145') return v4(parts[6]!, parts[7]!);
  // 2002::/16 6to4 keeps it in bits 16–47.
  if (range === '6to4') return v4(parts[1]!, parts[2]!);
  // ::/96, deprecated IPv4-compatible addresses (:: and ::1 are themselves).
  if (range !== 'loopback' && range !== 'unspecified' && parts.slice(0, 6).every((p) => p === 0)) return v4(parts[6]!, parts[7]!);
  return undefined;
}

function parse(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.parse(ip.replace(/^\[|\]$/g, ''));
  } catch {
    return undefined;
  }
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * True unless the address is public unicast. IPv4: anything ipaddr.js does not call `unicast`
 * (private, loopback, link-local with cloud metadata, CGNAT, benchmarking, documentation,
 * multicast, broadcast, reserved). IPv6: only 2000::/3 global unicast; teredo and documentation
 * refused; mapped, NAT64, translated, 6to4 and IPv4-compatible forms judged by their IPv4 address.
 */
export function isNonPublicAddress(ip: string): boolean {
  const a = parse(ip);
  if (!a) return true;
  if (a.kind() === 'ipv4') return a.range() !== 'unicast';
  const v6 = a as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner) return inner.range() !== 'unicast';
  return !v6.match(GLOBAL_UNICAST_V6) || v6.range() !== 'unicast';
}

export function isLoopbackAddress(ip: string): boolean {
  const a = parse(ip);
  if (!a) return false;
  if (a.kind() === 'ipv6') {
    const inner = embeddedIPv4(a as ipaddr.IPv6);
    if (inner) return inner.range() === 'loopback';
  }
  return a.range() === 'loopback';
}

/** Parses and checks the URL's form (scheme, credentials, obviously internal names); no resolution. */
function parseWebhookUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('not an absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WebhookUrlRefused('https only');
  if (u.username || u.password) throw new WebhookUrlRefused('credentials in the URL are not allowed');
  return u;
}

/**
 * Resolves the URL's host once and checks every address; returns the address to connect to.
 * Refuses non-public addresses, names that do not resolve, and plain http (both allowed only
 * for loopback when the policy says so). Throws WebhookUrlRefused with the reason.
 */
export async function resolveWebhookTarget(raw: string, policy: WebhookTargetPolicy = {}): Promise<WebhookTarget> {
  const u = parseWebhookUrl(raw);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (parse(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    if (!policy.allowLoopback && /(^|\.)(localhost|local|internal|localdomain)$/i.test(host)) throw new WebhookUrlRefused(`${host} is not a public host`);
    try {
      addresses = await (policy.lookup ?? systemLookup)(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new WebhookUrlRefused(`${host} does not resolve`, 'unresolvable');
  }
  const loopback = policy.allowLoopback === true && addresses.every((a) => isLoopbackAddress(a.address));
  if (!loopback) {
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) throw new WebhookUrlRefused(bad.address === host ? `${host} is not a public address` : `${host} resolves to a non-public address`);
    if (u.protocol !== 'https:') throw new WebhookUrlRefused('https only');
  }
  const first = addresses[0]!;
  return { url: u, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** Registration: the normalised URL if it may be registered now. */
export async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy = {}): Promise<string> {
  return (await resolveWebhookTarget(raw, policy)).url.toString();
}
