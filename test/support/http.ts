// fetch against the API for tests: JSON in (a string body is sent as is), JSON out when the answer is
// JSON (else its text), with the status and headers. Every answer is checked against the OpenAPI
// document (test/support/openapiContract.ts), here and, once guardApiFetch has named the API's
// address, for plain fetch calls to it too: an undocumented status, header or body fails the test.
import { assertContract } from './openapiContract';

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export async function apiCall(baseUrl: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  // Redirects are answers of their own (303 after a form action), checked against the operation that sent them.
  const res = await unguardedFetch(baseUrl + p, {
    method,
    redirect: 'manual',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  assertContract({ method, url: p, status: res.status, headers: res.headers, body: text });
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const unguardedFetch: typeof fetch = globalThis.fetch.bind(globalThis);
const apiOrigins = new Set<string>();

/** From now on, plain fetch calls to `baseUrl` have their answers checked against the document too. */
export function guardApiFetch(baseUrl: string): void {
  apiOrigins.add(new URL(baseUrl).origin);
  if (globalThis.fetch !== unguardedFetch) return;
  globalThis.fetch = async (input, init) => {
    const res = await unguardedFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!apiOrigins.has(url.origin)) return res;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const textual = /json|text|html|xml|javascript|css/.test(res.headers.get('content-type') ?? '');
    assertContract({ method, url: url.pathname + url.search, status: res.status, headers: res.headers, body: textual ? await res.clone().text() : undefined });
    return res;
  };
}
