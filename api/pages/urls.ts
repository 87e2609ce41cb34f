// Absolute links printed in QR codes and on the public pages.
import type { Request } from 'express';
import type { ApiDeps } from '../deps';

/** PUBLIC_URL when configured; else the address the caller used (trust proxy honours X-Forwarded-Proto). */
export function publicBase(deps: Pick<ApiDeps, 'config'>, req: Request): string {
  const configured = deps.config.publicUrl?.replace(/\/+$/, '');
  return configured || `${req.protocol}://${req.get('host')}`;
}

export const loanCodeFormPath = (id: string): string => `/l/${encodeURIComponent(id)}`;
export const trackingPath = (token: string): string => `/t/${encodeURIComponent(token)}`;
