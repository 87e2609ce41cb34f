// Client for the courts (法院): lawsuits, enforcement cases and the dishonest-debtor list API.
import type { SourceEndpoint } from '../config';
import { courtsSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createCourtsClient(endpoint: SourceEndpoint): SourceClient<'courts'> {
  return {
    source: 'courts',
    fetch: (creditCode, options) => getSourceRecord('courts', endpoint, creditCode, courtsSchema, options),
  };
}
