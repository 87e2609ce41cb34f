// Client for the honours (荣誉): high-tech, specialised-and-innovative (专精特新) and other tags API.
import type { SourceEndpoint } from '../config';
import { honoursSchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createHonoursClient(endpoint: SourceEndpoint): SourceClient<'honours'> {
  return {
    source: 'honours',
    fetch: (creditCode, options) => getSourceRecord('honours', endpoint, creditCode, honoursSchema, options),
  };
}
