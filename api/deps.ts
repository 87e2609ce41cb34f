// What the API needs, passed in so tests can build an app on real or fake parts.
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../config/logger';
import type { TokenSigner } from './auth/tokens';
import type { RateLimitConfig } from './rateLimits';
import type { OneTimeCodePolicy } from '../domain/identity';

export interface ApiConfig {
  /** Suzhou style: new enterprises wait for a supervisor's review before they may publish. */
  enterpriseReviewRequired: boolean;
  /** Public base URL of this API (links in QR codes and tracking pages); default the listening address. */
  publicUrl?: string;
  rateLimits: RateLimitConfig;
  /** Serve /dev/* helpers (the mail inbox of the embedded stack); off in production. */
  devRoutes: boolean;
  /** Bearer token Prometheus sends to GET /metrics; unset: /metrics is open. */
  metricsToken?: string;
  /** Twilio's auth token, to verify its status callbacks (mounted only with publicUrl). */
  twilioAuthToken?: string;
  /**
   * Express `trust proxy`: which hops may set X-Forwarded-For (the per-IP limits key on the client
   * address it yields). Default false: the socket's address, so a client cannot pick its own IP.
   */
  trustProxy?: boolean | number | string;
  /** Overrides of the one-time SMS code policy (domain/identity.ts ONE_TIME_CODE_POLICY). */
  oneTimeCodes?: Partial<OneTimeCodePolicy>;
}

/** TRUST_PROXY: unset → trust no proxy; a hop count; or the load balancers' addresses/subnets, comma-separated. */
export function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export interface ApiDeps {
  prisma: PrismaClient;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string;
  log: Logger;
  /** Signs and verifies the pages' short-lived tokens. */
  tokens: TokenSigner;
  config: ApiConfig;
  /** Checks the database answers (SELECT 1). */
  pingDatabase(): Promise<void>;
}

/** The API's configuration from the environment (config/env.ts). */
export function apiConfigFrom(
  env: {
    enterpriseReviewRequired: boolean;
    publicUrl?: string;
    rateLimitPerMinute: number;
    publicRateLimitPerMinute: number;
    metricsToken?: string;
    twilioAuthToken?: string;
    trustProxy?: string;
  },
  devRoutes: boolean,
): ApiConfig {
  return {
    enterpriseReviewRequired: env.enterpriseReviewRequired,
    publicUrl: env.publicUrl,
    rateLimits: { perPrincipalPerMinute: env.rateLimitPerMinute, publicPerIpPerMinute: env.publicRateLimitPerMinute },
    devRoutes,
    metricsToken: env.metricsToken,
    twilioAuthToken: env.twilioAuthToken,
    trustProxy: parseTrustProxy(env.trustProxy),
  };
}
