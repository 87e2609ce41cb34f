// Client for the administrative licences and penalties, red and black lists (行政许可/处罚, 红黑名单) API.
import type { SourceEndpoint } from '../config';
import { administrativeSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createAdministrativeClient(endpoint: SourceEndpoint): SourceClient<'administrative'> {
  return {
    source: 'administrative',
    fetch: (creditCode, options) => getSourceRecord('administrative', endpoint, creditCode, administrativeSchema, options),
  };
}
