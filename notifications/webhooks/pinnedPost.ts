// One POST to an address checked beforehand (ssrf.ts): node's http(s).request with a `lookup` that
// answers the checked address, so no second resolution can send the connection elsewhere. The URL
// keeps its host name, so the Host header and TLS SNI/certificate check are the receiver's own.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './ssrf';

/** Receivers' answers are read and dropped; a receiver that streams more is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

function pinnedLookup(target: WebhookTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

/** Resolves with the receiver's HTTP status; rejects on network errors and on the timeout. */
export function postPinned(target: WebhookTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const { url } = target;
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
