// Answers that come from middleware every request passes through, not from one route: added to
// every operation they can reach, from what the operation declares (credentials, path parameters,
// Idempotency-Key, public per-IP limit), so no route has to list them by hand and none forgets.
// api/app.ts applies the same middleware in the same order.

type Obj = Record<string, any>;

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: PROBLEM } };

/** Public routes behind a per-IP rate limit (api/routes/auth.ts, api/pages/loanCodeForm.ts). */
const PER_IP_LIMITED = new Set(['/v1/auth/token', '/l/{code}', '/t/{token}']);
/** Routes that answer before touching the database or Temporal (no 503). */
const NO_DEPENDENCY = new Set(['/openapi.json', '/problems/{type}', '/dashboard', '/dashboard/assets/{name}']);

export const derivedComponents = {
  headers: {
    RetryAfter: { description: 'Seconds to wait before retrying', required: true, schema: { type: 'integer', minimum: 0 } },
    RateLimit: { description: 'Remaining quota and reset of the current window (IETF draft-8)', schema: { type: 'string' } },
    RateLimitPolicy: { description: 'The quota policy (IETF draft-8)', schema: { type: 'string' } },
    WwwAuthenticate: { description: 'The scheme to authenticate with (when no credentials were sent)', schema: { type: 'string' } },
    Location: { description: 'The created resource', schema: { type: 'string' } },
    RedirectLocation: { description: 'Where to go next', required: true, schema: { type: 'string' } },
    IdempotentReplayed: {
      description: '`true` when this is the stored answer to an earlier call with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
    Allow: { description: 'The methods the path supports', required: true, schema: { type: 'string' } },
  },
  responses: {
    MethodNotAllowed: {
      description: 'Any path of this document called with a method it does not list: 405 with `Allow`',
      headers: { Allow: { $ref: '#/components/headers/Allow' } },
      content: problemContent,
    },
  },
};

const rateHeaders = { RateLimit: { $ref: '#/components/headers/RateLimit' }, 'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' } };

function add(responses: Obj, status: string, description: string, headers?: Obj): void {
  const r = responses[status];
  if (!r) responses[status] = { description, ...(headers ? { headers } : {}), content: problemContent };
  else {
    // A route-specific answer of the same status: the middleware's problem+json is one more shape it may take.
    r.content = { ...problemContent, ...(r.content ?? {}) };
    if (headers) r.headers = { ...headers, ...(r.headers ?? {}) };
  }
}

/** Adds the middleware answers and headers to every operation of `doc` (mutates and returns it). */
export function withDerivedResponses<D extends object>(document: D): D {
  const doc = document as Obj;
  doc.components = { ...doc.components, headers: { ...doc.components?.headers, ...derivedComponents.headers } };
  doc.components.responses = { ...doc.components.responses, ...derivedComponents.responses };
  for (const [path, item] of Object.entries(doc.paths as Obj)) {
    for (const [method, op] of Object.entries(item as Obj)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const responses: Obj = (op.responses ??= {});
      const authenticated = !(Array.isArray(op.security) && op.security.length === 0);
      const params: Obj[] = op.parameters ?? [];
      // Body parsing and the input guard run before any route (api/app.ts): on every operation.
      add(responses, '400', 'Ill-formed input: invalid JSON, text with NUL or unpaired surrogates, JSON nested too deeply, or field errors');
      add(responses, '413', 'The body is larger than 64 KiB');
      add(responses, '415', 'Unsupported content type or body encoding');
      if (authenticated) {
        add(responses, '401', 'No or invalid credentials', { 'WWW-Authenticate': { $ref: '#/components/headers/WwwAuthenticate' } });
        add(responses, '403', 'Your role may not do this, or you named another organisation');
      }
      if (authenticated || PER_IP_LIMITED.has(path))
        add(responses, '429', 'Rate limited: retry after Retry-After seconds', { 'Retry-After': { $ref: '#/components/headers/RetryAfter' }, ...rateHeaders });
      if (params.some((p) => p.in === 'path')) add(responses, '404', 'No such resource (or not one you may see)');
      const idempotent = params.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key');
      // api/idempotency.ts: the key of an earlier call sent with another body.
      if (idempotent) add(responses, '422', 'idempotency-key-reused: this Idempotency-Key was used for a different request');
      if (!NO_DEPENDENCY.has(path) && path !== '/healthz')
        add(responses, '503', 'The database or Temporal is unreachable; retry after Retry-After seconds', {
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
        });
      for (const [status, r] of Object.entries(responses as Obj)) {
        if (!status.startsWith('2')) continue;
        const headers: Obj = { ...(r.headers ?? {}) };
        if (authenticated || PER_IP_LIMITED.has(path)) Object.assign(headers, rateHeaders);
        if (idempotent) headers['Idempotent-Replayed'] = { $ref: '#/components/headers/IdempotentReplayed' };
        // A 200 that replays a creation (same Idempotency-Key) repeats its Location.
        if (status === '201' || status === '202' || (status === '200' && (responses as Obj)['201']))
          headers.Location = { $ref: '#/components/headers/Location' };
        if (Object.keys(headers).length) r.headers = headers;
      }
      // A 429 or 503 an operation declares itself may say when to come back (SMS code budgets).
      for (const [status, r] of Object.entries(responses as Obj))
        if ((status === '429' || status === '503') && !r.headers?.['Retry-After'])
          r.headers = { ...(r.headers ?? {}), 'Retry-After': { description: 'Seconds until asking again may succeed', schema: { type: 'integer' } } };
      for (const [status, r] of Object.entries(responses as Obj))
        if (status.startsWith('3')) r.headers = { Location: { $ref: '#/components/headers/RedirectLocation' }, ...(r.headers ?? {}) };
      for (const [status, r] of Object.entries(responses as Obj))
        if (status.startsWith('4') && (authenticated || PER_IP_LIMITED.has(path)) && status !== '429') r.headers = { ...rateHeaders, ...(r.headers ?? {}) };
    }
  }
  return document;
}
