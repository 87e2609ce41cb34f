// fetch against the API for tests: JSON in (a string body is sent as is), JSON out when the answer is
// JSON (else its text), with the status and headers.
export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export async function apiCall(baseUrl: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const res = await fetch(baseUrl + p, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
