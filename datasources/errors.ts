// Typed data-source errors. `type` doubles as the Temporal ApplicationFailure type, which the
// retry policies in domain/credit/source-policy.ts match on: not found, unauthorised and invalid
// responses are permanent; unavailable and timeout are worth retrying.
import type { SourceName } from '../domain/credit/sources';

export type SourceErrorType = 'SourceNotFound' | 'SourceUnavailable' | 'SourceTimeout' | 'SourceUnauthorized' | 'SourceInvalidResponse';

export abstract class SourceError extends Error {
  abstract readonly type: SourceErrorType;
  abstract readonly retryable: boolean;
  constructor(
    readonly source: SourceName,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
  }
}

/** The source has no record for this enterprise (HTTP 404). Permanent. */
export class SourceNotFoundError extends SourceError {
  override readonly name = 'SourceNotFoundError';
  readonly type = 'SourceNotFound';
  readonly retryable = false;
}

/** Down, overloaded or unreachable (5xx, 429, network error). Retryable. */
export class SourceUnavailableError extends SourceError {
  override readonly name = 'SourceUnavailableError';
  readonly type = 'SourceUnavailable';
  readonly retryable = true;
}

/** No answer within the client's timeout. Retryable. */
export class SourceTimeoutError extends SourceError {
  override readonly name = 'SourceTimeoutError';
  readonly type = 'SourceTimeout';
  readonly retryable = true;
}

/** Credentials rejected (401/403): a configuration problem retries cannot fix. */
export class SourceUnauthorizedError extends SourceError {
  override readonly name = 'SourceUnauthorizedError';
  readonly type = 'SourceUnauthorized';
  readonly retryable = false;
}

/** The answer was not what the contract promises (bad JSON, failed schema, wrong enterprise). */
export class SourceInvalidResponseError extends SourceError {
  override readonly name = 'SourceInvalidResponseError';
  readonly type = 'SourceInvalidResponse';
  readonly retryable = false;
}
