// Fetch every source at once with the clients, without Temporal: what the bench measures and a
// fallback for tools. The workflow does the same fan-out with durable activities instead.
import type { MissingReason, SourceOutcome, SourceOutcomes } from '../domain/credit/portrait';
import { SOURCE_NAMES, type SourceName } from '../domain/credit/sources';
import type { DataSourceClients } from './clients';
import { SourceError, type SourceErrorType } from './errors';

const REASONS: Record<SourceErrorType, MissingReason> = {
  SourceNotFound: 'not_found',
  SourceUnavailable: 'unavailable',
  SourceTimeout: 'timeout',
  SourceUnauthorized: 'unauthorized',
  SourceInvalidResponse: 'invalid_response',
};

export function missingReasonForType(type: string | undefined | null): MissingReason {
  return (type && REASONS[type as SourceErrorType]) || 'unavailable';
}

export function missingReasonFor(err: unknown): MissingReason {
  return err instanceof SourceError ? REASONS[err.type] : 'unavailable';
}

export async function fetchAllSources(
  clients: DataSourceClients,
  creditCode: string,
  now: () => Date = () => new Date(),
  sources: readonly SourceName[] = SOURCE_NAMES,
): Promise<SourceOutcomes> {
  const entries = await Promise.all(
    sources.map(async (s): Promise<[SourceName, SourceOutcome]> => {
      try {
        const data = await clients[s].fetch(creditCode);
        return [s, { status: 'ok', data, fetchedAt: now().toISOString() } as SourceOutcome];
      } catch (err) {
        return [s, { status: 'missing', reason: missingReasonFor(err), message: (err as Error).message }];
      }
    }),
  );
  return Object.fromEntries(entries) as SourceOutcomes;
}
