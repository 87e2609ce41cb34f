// RFC 9457 problem details: every error the API returns is application/problem+json with a
// stable machine-readable `type`, field errors for validation, and never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import { RETRY_AFTER_SECONDS, unavailableDependency } from './unavailable';

/** A problem's `type` is `<this API's origin>/problems/<code>`, the page explaining it (api/problems/page.ts). */
export const PROBLEM_PATH = '/problems/';

export interface FieldError {
  field: string;
  message: string;
  code: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    /** Stable short code; the `type` URI ends in /problems/<code>. */
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export function validationProblem(err: ZodError, where: 'body' | 'query' | 'path' | 'header'): HttpProblem {
  const errors: FieldError[] = err.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
    code: i.code,
  }));
  return new HttpProblem(400, 'validation-failed', 'The request is not valid', `${errors.length} field error(s)`, { errors });
}

export function sendProblem(res: Parameters<RequestHandler>[1], p: HttpProblem, instance?: string): void {
  // Absolute, on the origin the caller reached (the proxy's, with trust proxy), so the URI resolves.
  const origin = `${res.req.protocol}://${res.req.get('host') ?? 'localhost'}`;
  // A problem that says when to come back says it in the standard header too.
  if (typeof p.extra.retryAfterSeconds === 'number') res.set('Retry-After', String(p.extra.retryAfterSeconds));
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: origin + PROBLEM_PATH + p.code,
      title: p.title,
      status: p.status,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(instance ? { instance } : {}),
      ...p.extra,
    });
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new HttpProblem(404, 'not-found', 'No such resource', `${req.method} ${req.path} does not exist`), req.originalUrl);
};

/** Maps body-parser and unexpected errors to problems; logs the unexpected ones. */
export function errorHandler(log: { error: (o: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpProblem) return sendProblem(res, err, req.originalUrl);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return sendProblem(res, new HttpProblem(400, 'malformed-json', 'The body is not valid JSON'), req.originalUrl);
    if (e.type === 'entity.too.large') return sendProblem(res, new HttpProblem(413, 'body-too-large', 'The body is too large'), req.originalUrl);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return sendProblem(res, new HttpProblem(415, 'unsupported-encoding', 'Unsupported body encoding'), req.originalUrl);
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      return sendProblem(res, new HttpProblem(e.status, 'bad-request', 'Bad request', e.message), req.originalUrl);
    // A dependency outage (database, Temporal) is the caller's cue to retry, not a bug: 503 + Retry-After.
    const down = unavailableDependency(err);
    const l = (res.locals.log as typeof log | undefined) ?? log; // carries the request id (observability/requestLog.ts)
    if (down) {
      l.error({ err, path: req.path, dependency: down }, 'dependency unavailable');
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendProblem(
        res,
        new HttpProblem(503, `${down}-unavailable`, 'Service temporarily unavailable', `The ${down} is not reachable; retry later`),
        req.originalUrl,
      );
    }
    l.error({ err, path: req.path }, 'unhandled error');
    return sendProblem(res, new HttpProblem(500, 'internal', 'Internal error', 'The error was logged'), req.originalUrl);
  };
}
