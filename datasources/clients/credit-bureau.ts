// Client for the credit bureau (征信): loans outstanding, overdue history, mortgages API.
import type { SourceEndpoint } from '../config';
import { creditBureauSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createCreditBureauClient(endpoint: SourceEndpoint): SourceClient<'creditBureau'> {
  return {
    source: 'creditBureau',
    fetch: (creditCode, options) => getSourceRecord('creditBureau', endpoint, creditCode, creditBureauSchema, options),
  };
}
