// Credit-data activities: one source fetch per activity call (the workflow gives each source its
// own timeout and retry policy), a cache read for the stale fallback, and scoring. Idempotent: a
// fetch is a GET, and the cache write for (creditCode, source) overwrites with the same record.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isValidCreditCode } from '../domain/creditCode';
import type { SourceRecordMap } from '../domain/credit/records';
import { isStale } from '../domain/credit/source-policy';
import { isSourceName, type SourceName } from '../domain/credit/sources';
import type { DataSourceClients } from '../datasources/clients';
import { SourceError } from '../datasources/errors';

export interface CachedSourceRecord {
  data: unknown;
  /** ISO timestamp of the fetch from the source. */
  fetchedAt: string;
}

/**
 * Last fetched record per (source, creditCode). The in-memory version below serves one process;
 * the database version keeps a SourceRecord row per (creditCode, source) with data and fetchedAt.
 */
export interface PortraitCache {
  get(source: SourceName, creditCode: string): Promise<CachedSourceRecord | undefined>;
  put(source: SourceName, creditCode: string, record: CachedSourceRecord): Promise<void>;
}

export class InMemoryPortraitCache implements PortraitCache {
  private readonly entries = new Map<string, CachedSourceRecord>();
  constructor(private readonly maxEntries = 50_000) {}
  async get(source: SourceName, creditCode: string): Promise<CachedSourceRecord | undefined> {
    return this.entries.get(`${source}|${creditCode}`);
  }
  async put(source: SourceName, creditCode: string, record: CachedSourceRecord): Promise<void> {
    const key = `${source}|${creditCode}`;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, record);
  }
}

export interface SourceFetchResult<S extends SourceName = SourceName> {
  source: S;
  data: SourceRecordMap[S];
  fetchedAt: string;
  fromCache: boolean;
}

export interface CreditActivityDeps {
  sources: DataSourceClients;
  now?: () => Date;
  cache?: PortraitCache;
}

function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // called outside an activity (tests, tools)
  }
}

function checkInput(source: string, creditCode: string): asserts source is SourceName {
  if (!isSourceName(source)) throw ApplicationFailure.nonRetryable(`unknown data source ${source}`, 'InvalidInput');
  if (!isValidCreditCode(creditCode)) throw ApplicationFailure.nonRetryable(`invalid credit code ${creditCode}`, 'SourceNotFound');
}

export function createCreditActivities(deps: CreditActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const cache = deps.cache;

  return {
    /**
     * One source's record for one enterprise. Serves a cached copy while it is within the
     * source's time-to-live unless `refresh`; otherwise calls the source and caches the answer.
     * Not found / unauthorised / invalid responses fail non-retryably; outages and timeouts are
     * retryable, and the workflow's per-source retry policy decides how often.
     */
    async fetchSource<S extends SourceName>(source: S, creditCode: string, options: { refresh?: boolean } = {}): Promise<SourceFetchResult<S>> {
      checkInput(source, creditCode);
      if (cache && !options.refresh) {
        const hit = await cache.get(source, creditCode);
        if (hit && !isStale(source, hit.fetchedAt, now())) {
          return { source, data: hit.data as SourceRecordMap[S], fetchedAt: hit.fetchedAt, fromCache: true };
        }
      }
      const client = deps.sources[source] as DataSourceClients[S];
      let data: SourceRecordMap[S];
      try {
        const signal = cancellationSignal();
        data = (await client.fetch(creditCode, signal ? { signal } : {})) as SourceRecordMap[S];
      } catch (err) {
        if (err instanceof SourceError) {
          throw err.retryable
            ? ApplicationFailure.retryable(err.message, err.type, { source, status: err.status })
            : ApplicationFailure.nonRetryable(err.message, err.type, { source, status: err.status });
        }
        throw err;
      }
      const fetchedAt = now().toISOString();
      if (cache) await cache.put(source, creditCode, { data, fetchedAt });
      return { source, data, fetchedAt, fromCache: false };
    },

    /** The last cached record whatever its age: the fallback when a source stays down. */
    async cachedSource<S extends SourceName>(source: S, creditCode: string): Promise<SourceFetchResult<S> | undefined> {
      checkInput(source, creditCode);
      const hit = cache ? await cache.get(source, creditCode) : undefined;
      return hit ? { source, data: hit.data as SourceRecordMap[S], fetchedAt: hit.fetchedAt, fromCache: true } : undefined;
    },
  };
}

export type CreditActivities = ReturnType<typeof createCreditActivities>;
