// Delivery outcomes every transport maps its errors onto, so the activity decides retries in one place:
// - permanent: retrying cannot help (invalid number, rejected address): row failed, non-retryable;
// - transient: the provider certainly did not take the message (429, 5xx answer, connection
//   refused): release the row's claim and let Temporal retry with backoff;
// - ambiguous: the provider may have taken it (timeout, reset after the request went out, crash):
//   keep the claim so the next attempt reconciles with the provider before sending again.
export type DeliveryErrorKind = 'permanent' | 'transient' | 'ambiguous';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly code?: string,
    /** Provider-suggested wait (Retry-After), used as the next retry delay. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Node/socket error codes that prove nothing reached the server. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNECTION', 'CERT_HAS_EXPIRED']);

export function networkErrorKind(err: unknown): DeliveryErrorKind {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  if (code && NOT_CONNECTED.has(code)) return 'transient';
  const msg = String((err as Error | undefined)?.message ?? '');
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(msg)) return 'transient';
  return 'ambiguous';
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError(networkErrorKind(err), err instanceof Error ? err.message : String(err));
}
