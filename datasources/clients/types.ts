// What the rest of the product sees of a data source: fetch one enterprise's record.
import type { SourceRecordMap } from '../../domain/credit/records';
import type { SourceName } from '../../domain/credit/sources';
import type { CallOptions } from './http';

export interface SourceClient<S extends SourceName> {
  readonly source: S;
  /** Throws a SourceError subclass (see datasources/errors.ts) on any failure. */
  fetch(creditCode: string, options?: CallOptions): Promise<SourceRecordMap[S]>;
}

export type DataSourceClients = { [S in SourceName]: SourceClient<S> };
