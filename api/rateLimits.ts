// Rate limits (express-rate-limit, in-process store): per principal on the authenticated API, per
// IP on the public routes (sign-in, the loan-code form). Several API replicas each count their own
// share; a shared store (rate-limit-redis) is the swap when one replica's view is not enough.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Principal } from './auth/principal';
import { HttpProblem, sendProblem } from './problem';

export interface RateLimitConfig {
  /** Calls per minute per authenticated principal (default 1200: a busy bank integration). */
  perPrincipalPerMinute: number;
  /** Calls per minute per IP on public routes (sign-in, loan-code form submissions). */
  publicPerIpPerMinute: number;
}

function tooMany(_req: Request, res: Response): void {
  sendProblem(res, new HttpProblem(429, 'rate-limited', 'Too many requests', 'Slow down and retry after the time in Retry-After'));
}

export function perPrincipalLimit(cfg: RateLimitConfig): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: cfg.perPrincipalPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => (res.locals.principal as Principal | undefined)?.id ?? ipKeyGenerator(req.ip ?? ''),
    handler: tooMany,
  });
}

/** A fresh per-IP limiter; each public route family gets its own budget. */
export function perIpLimit(cfg: RateLimitConfig, limit = cfg.publicPerIpPerMinute): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: tooMany,
  });
}

/**
 * Per IP on /v1, counting only calls that failed authentication (401): after three times the
 * public budget a minute, that address gets 429 before any credential check or audit write.
 */
export function unauthenticatedLimit(cfg: RateLimitConfig): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: cfg.publicPerIpPerMinute * 3,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: tooMany,
  });
}
