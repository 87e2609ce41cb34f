// The signed-in user: the JWT from POST /v1/auth/token (15 minutes) and who it is, in
// localStorage so a task link opened in a new tab finds the session. Expired means signed out.
export type Role = 'enterprise' | 'bank' | 'guaranteeInstitution' | 'supervisor' | 'admin';

export interface Session {
  token: string;
  expiresAt: string;
  principal: { id: string; role: Role; name: string };
}

const KEY = 'lb.session';
const listeners = new Set<() => void>();

export function currentSession(): Session | undefined {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!s || Date.parse(s.expiresAt) <= Date.now()) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session | undefined): void {
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function onSessionChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
