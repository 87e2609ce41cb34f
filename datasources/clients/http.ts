// The one HTTP call every source client makes: GET with a timeout, bearer credentials, a size
// cap, JSON parsing, schema validation, and errors mapped to the typed SourceError classes.
import type { z } from 'zod';
import type { SourceName } from '../../domain/credit/sources';
import type { SourceEndpoint } from '../config';
import { SourceInvalidResponseError, SourceNotFoundError, SourceTimeoutError, SourceUnauthorizedError, SourceUnavailableError } from '../errors';
import { sourcePath } from '../routes';

/** Larger answers are refused rather than parsed: no source record is anywhere near this. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface CallOptions {
  /** Cancels the call (e.g. activity cancellation); combined with the endpoint's timeout. */
  signal?: AbortSignal;
}

export async function getSourceRecord<T>(
  source: SourceName,
  endpoint: SourceEndpoint,
  creditCode: string,
  schema: z.ZodType<T>,
  options: CallOptions = {},
): Promise<T> {
  const url = endpoint.baseUrl + sourcePath(source, creditCode);
  const timeout = AbortSignal.timeout(endpoint.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;

  let res: Response;
  let body: string;
  try {
    res = await fetch(url, { headers, signal, redirect: 'error' });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      await res.body?.cancel();
      throw new SourceInvalidResponseError(source, `response of ${length} bytes exceeds ${MAX_BODY_BYTES}`, res.status);
    }
    body = await res.text();
  } catch (err) {
    if (err instanceof SourceInvalidResponseError) throw err;
    if (timeout.aborted) throw new SourceTimeoutError(source, `no answer within ${endpoint.timeoutMs} ms`, undefined, { cause: err });
    throw new SourceUnavailableError(source, `request failed: ${(err as Error).message}`, undefined, { cause: err });
  }

  if (res.status === 404) throw new SourceNotFoundError(source, `no record for ${creditCode}`, 404);
  if (res.status === 401 || res.status === 403) throw new SourceUnauthorizedError(source, `credentials rejected (${res.status})`, res.status);
  if (res.status === 408 || res.status === 429 || res.status >= 500) throw new SourceUnavailableError(source, `HTTP ${res.status}`, res.status);
  if (res.status !== 200) throw new SourceInvalidResponseError(source, `unexpected HTTP ${res.status}`, res.status);
  if (body.length > MAX_BODY_BYTES) throw new SourceInvalidResponseError(source, 'response too large', res.status);

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new SourceInvalidResponseError(source, 'response is not JSON', res.status, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new SourceInvalidResponseError(source, `response fails its schema at ${first?.path.join('.') || '(root)'}: ${first?.message ?? ''}`, res.status);
  }
  // A record for another enterprise is worse than none: never let it into this portrait.
  const got = (parsed.data as { creditCode?: unknown }).creditCode;
  if (got !== creditCode) throw new SourceInvalidResponseError(source, `record is for ${String(got)}, not ${creditCode}`, res.status);
  return parsed.data;
}
