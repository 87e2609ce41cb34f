// Client for the utilities (水电) exchange: monthly electricity and water usage API.
import type { SourceEndpoint } from '../config';
import { utilitiesSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createUtilitiesClient(endpoint: SourceEndpoint): SourceClient<'utilities'> {
  return {
    source: 'utilities',
    fetch: (creditCode, options) => getSourceRecord('utilities', endpoint, creditCode, utilitiesSchema, options),
  };
}
