// The API client: openapi-fetch typed by web/src/api/schema.d.ts, which openapi-typescript
// generates from /openapi.json (npm run web:types). Every call carries the session's token; a 401
// ends the session (the shell then shows sign-in and comes back to the same page).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { currentSession, saveSession } from '../session';

const auth: Middleware = {
  onRequest({ request }) {
    const s = currentSession();
    if (s) request.headers.set('Authorization', `Bearer ${s.token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/v1/auth/token')) saveSession(undefined);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/** A fresh Idempotency-Key for one intended action (a retry of the same click reuses it). */
export const newKey = () => `wb-${crypto.randomUUID()}`;

export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
}

/** The last path segment of a problem type: the stable code the UI words (i18n refused.*). */
export function problemCode(p: unknown): string {
  const type = (p as Problem | undefined)?.type ?? '';
  return type.split('/').pop() || 'unknown';
}
