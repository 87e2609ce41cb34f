// Fetch every source at once with the clients, without Temporal: what the bench measures and a
// fallback for tools. The workflow does the same fan-out with durable activities instead.
import { missingReasonForErrorType, type MissingReason, type SourceOutcome, type SourceOutcomes } from '../domain/credit/portrait';
import { SOURCE_NAMES, type SourceName } from '../domain/credit/sources';
import type { DataSourceClients } from './clients';
import { SourceError } from './errors';

export function missingReasonFor(err: unknown): MissingReason {
  return missingReasonForErrorType(err instanceof SourceError ? err.type : undefined);
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
