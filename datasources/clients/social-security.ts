// Client for the social security (人社): insured employees per month and arrears API.
import type { SourceEndpoint } from '../config';
import { socialSecuritySchema } from '../schemas';
import { getSourceRecord } from './http';
import type { SourceClient } from './types';

export function createSocialSecurityClient(endpoint: SourceEndpoint): SourceClient<'socialSecurity'> {
  return {
    source: 'socialSecurity',
    fetch: (creditCode, options) => getSourceRecord('socialSecurity', endpoint, creditCode, socialSecuritySchema, options),
  };
}
