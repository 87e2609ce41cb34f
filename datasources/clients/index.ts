// All eight source clients from one configuration.
import type { DataSourceConfig } from '../config';
import { createAdministrativeClient } from './administrative';
import { createCourtsClient } from './courts';
import { createCreditBureauClient } from './credit-bureau';
import { createHonoursClient } from './honours';
import { createMarketRegulationClient } from './market-regulation';
import { createSocialSecurityClient } from './social-security';
import { createTaxClient } from './tax';
import type { DataSourceClients } from './types';
import { createUtilitiesClient } from './utilities';

export type { DataSourceClients, SourceClient } from './types';

export function createDataSourceClients(config: DataSourceConfig): DataSourceClients {
  return {
    marketRegulation: createMarketRegulationClient(config.marketRegulation),
    tax: createTaxClient(config.tax),
    utilities: createUtilitiesClient(config.utilities),
    socialSecurity: createSocialSecurityClient(config.socialSecurity),
    courts: createCourtsClient(config.courts),
    administrative: createAdministrativeClient(config.administrative),
    creditBureau: createCreditBureauClient(config.creditBureau),
    honours: createHonoursClient(config.honours),
  };
}
