// 405 with `Allow` for a path of the OpenAPI document called with a method it does not list
// (HEAD is allowed wherever GET is, as express answers it). Paths outside the document fall
// through to the routes and, failing those, to 404.
import type { RequestHandler } from 'express';
import { pathMatcher } from './openapi/pathMatcher';
import { HttpProblem, sendProblem } from './problem';

export function methodNotAllowed(doc: { paths?: object }): RequestHandler {
  const match = pathMatcher((doc.paths ?? {}) as Record<string, Record<string, unknown>>);
  return (req, res, next) => {
    const hit = match(req.path);
    if (!hit) return next();
    const allowed = hit.methods.includes('GET') ? [...hit.methods, 'HEAD'] : hit.methods;
    if (allowed.includes(req.method)) return next();
    res.set('Allow', allowed.join(', '));
    sendProblem(res, new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `${hit.template} supports ${allowed.join(', ')}`), req.originalUrl);
  };
}
