// Request ids and access logs: every request gets an id (the caller's X-Request-Id when it is a
// sane token, else a new UUID), echoed in the X-Request-Id response header, carried by a child
// logger (res.locals.log, used by the error handler) and written on one JSON access-log line.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logger as rootLogger, type Logger } from '../config/logger';
import { routeTemplate } from './metrics';

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Paths scraped or probed every few seconds: no access-log line (their metrics still count). */
const QUIET_PATHS = new Set(['/healthz', '/metrics']);

/** Tracking tokens (/t/…) are bearer secrets and loan codes (/l/…) are printed credentials: not for logs. */
export function redactPath(url: string): string {
  return url.replace(/^\/(t|l)\/[^/?#]+/, '/$1/[redacted]');
}

export function requestIdOf(header: string | undefined): string {
  return header && INCOMING_ID.test(header) ? header : randomUUID();
}

export function requestLog(base: Logger = rootLogger): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdOf(req.get('x-request-id'));
    const log = base.child({ requestId });
    res.locals.requestId = requestId;
    res.locals.log = log;
    res.set('X-Request-Id', requestId);
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      if (QUIET_PATHS.has(req.path) && res.statusCode < 500) return;
      const p = res.locals.principal as { id?: string; role?: string } | undefined;
      const line = {
        method: req.method,
        route: routeTemplate(req),
        path: redactPath(req.originalUrl).slice(0, 300),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
        ...(p?.id ? { principalId: p.id, role: p.role } : {}),
      };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    next();
  };
}
