// Per-source timeouts, retry policies and cache lifetimes. The workflow builds one activity proxy
// per source from `sourceActivityOptions`; the HTTP clients use `clientTimeoutMs`; the cache uses
// `cacheTtlMs`. Pure: plain numbers (milliseconds), shaped like Temporal's ActivityOptions so the
// workflow can pass them straight to proxyActivities without this file importing Temporal.
import { SOURCE_NAMES, type SourceName } from './sources';

export interface SourcePolicy {
  /** One HTTP call's budget (the client aborts after this). */
  clientTimeoutMs: number;
  /** One activity attempt's budget; a little above clientTimeoutMs so the client's own error wins. */
  startToCloseTimeoutMs: number;
  retry: { initialIntervalMs: number; backoffCoefficient: number; maximumIntervalMs: number; maximumAttempts: number };
  /** How long a fetched record counts as fresh for the portrait (and may be served from cache). */
  cacheTtlMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Error types (ApplicationFailure.type) that retrying cannot fix. */
export const NON_RETRYABLE_SOURCE_ERRORS = ['SourceNotFound', 'SourceUnauthorized', 'SourceInvalidResponse'] as const;

const standardRetry = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000, maximumAttempts: 3 };

export const SOURCE_POLICIES: Record<SourceName, SourcePolicy> = {
  // Registration data changes rarely; a week-old copy is still a fair picture.
  marketRegulation: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 7 * DAY },
  // Taxes, utilities and social security are published monthly.
  tax: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 30 * DAY },
  utilities: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 30 * DAY },
  socialSecurity: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 30 * DAY },
  // Risk sources must be current: a new enforcement case is exactly what a bank needs to see.
  courts: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 1 * DAY },
  administrative: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 1 * DAY },
  // The credit bureau is slower and rate-limited: longer budget, gentler retries.
  creditBureau: {
    clientTimeoutMs: 5_000,
    startToCloseTimeoutMs: 8_000,
    retry: { initialIntervalMs: 2_000, backoffCoefficient: 2, maximumIntervalMs: 15_000, maximumAttempts: 3 },
    cacheTtlMs: 1 * DAY,
  },
  honours: { clientTimeoutMs: 3_000, startToCloseTimeoutMs: 5_000, retry: standardRetry, cacheTtlMs: 30 * DAY },
};

/** Options for proxyActivities, per source (durations in ms, which Temporal accepts). */
export function sourceActivityOptions(source: SourceName) {
  const p = SOURCE_POLICIES[source];
  return {
    startToCloseTimeout: p.startToCloseTimeoutMs,
    retry: {
      initialInterval: p.retry.initialIntervalMs,
      backoffCoefficient: p.retry.backoffCoefficient,
      maximumInterval: p.retry.maximumIntervalMs,
      maximumAttempts: p.retry.maximumAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_SOURCE_ERRORS],
    },
  };
}

export const SOURCE_ACTIVITY_OPTIONS = Object.fromEntries(SOURCE_NAMES.map((s) => [s, sourceActivityOptions(s)])) as Record<
  SourceName,
  ReturnType<typeof sourceActivityOptions>
>;

/** True if a record fetched at `fetchedAt` is past its source's time-to-live at `now`. */
export function isStale(source: SourceName, fetchedAt: string | Date, now: Date): boolean {
  const t = typeof fetchedAt === 'string' ? Date.parse(fetchedAt) : fetchedAt.getTime();
  return now.getTime() - t > SOURCE_POLICIES[source].cacheTtlMs;
}
