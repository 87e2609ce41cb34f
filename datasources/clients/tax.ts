// Client for the tax bureau (税务): tax credit grade and monthly taxes paid API.
import type { SourceEndpoint } from '../config';
import { taxSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createTaxClient(endpoint: SourceEndpoint): SourceClient<'tax'> {
  return {
    source: 'tax',
    fetch: (creditCode, options) => getSourceRecord('tax', endpoint, creditCode, taxSchema, options),
  };
}
