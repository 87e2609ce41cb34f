// Client for the market regulation (市场监管) registration: legal representative, shareholders, capital, industry, status API.
import type { SourceEndpoint } from '../config';
import { marketRegulationSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createMarketRegulationClient(endpoint: SourceEndpoint): SourceClient<'marketRegulation'> {
  return {
    source: 'marketRegulation',
    fetch: (creditCode, options) => getSourceRecord('marketRegulation', endpoint, creditCode, marketRegulationSchema, options),
  };
}
