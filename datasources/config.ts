// Where each data source lives and how to authenticate. Production sets, per source,
// DATASOURCE_<NAME>_URL and DATASOURCE_<NAME>_TOKEN (sent as a bearer token), optionally
// DATASOURCE_<NAME>_TIMEOUT_MS. Anything unset falls back to the embedded simulator at
// DATASOURCE_SIMULATOR_URL (default http://127.0.0.1:4010). <NAME> is the source in upper snake
// case: MARKET_REGULATION, TAX, UTILITIES, SOCIAL_SECURITY, COURTS, ADMINISTRATIVE, CREDIT_BUREAU, HONOURS.
import { SOURCE_POLICIES } from '../domain/credit/source-policy';
import { SOURCE_NAMES, type SourceName } from '../domain/credit/sources';

export interface SourceEndpoint {
  baseUrl: string;
  token?: string;
  timeoutMs: number;
}

export type DataSourceConfig = Record<SourceName, SourceEndpoint>;

export const DEFAULT_SIMULATOR_URL = 'http://127.0.0.1:4010';

export function envName(source: SourceName): string {
  return source.replace(/([A-Z])/g, '_$1').toUpperCase();
}

function checkedUrl(value: string, variable: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${variable} is not a URL: ${value}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${variable} must be http(s): ${value}`);
  return value.replace(/\/+$/, '');
}

export function loadDataSourceConfig(env: NodeJS.ProcessEnv = process.env): DataSourceConfig {
  const simulator = checkedUrl(env.DATASOURCE_SIMULATOR_URL ?? DEFAULT_SIMULATOR_URL, 'DATASOURCE_SIMULATOR_URL');
  const out = {} as DataSourceConfig;
  for (const s of SOURCE_NAMES) {
    const n = envName(s);
    const urlVar = `DATASOURCE_${n}_URL`;
    const timeout = env[`DATASOURCE_${n}_TIMEOUT_MS`];
    const timeoutMs = timeout ? Number(timeout) : SOURCE_POLICIES[s].clientTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`DATASOURCE_${n}_TIMEOUT_MS must be a positive integer`);
    const token = env[`DATASOURCE_${n}_TOKEN`];
    out[s] = { baseUrl: env[urlVar] ? checkedUrl(env[urlVar], urlVar) : simulator, timeoutMs, ...(token ? { token } : {}) };
  }
  return out;
}

/** Every source pointing at one base URL (the simulator), e.g. in tests and the bench. */
export function simulatorConfig(baseUrl: string, overrides: { timeoutMs?: number; tokens?: Partial<Record<SourceName, string>> } = {}): DataSourceConfig {
  const out = {} as DataSourceConfig;
  for (const s of SOURCE_NAMES) {
    const token = overrides.tokens?.[s];
    out[s] = { baseUrl, timeoutMs: overrides.timeoutMs ?? SOURCE_POLICIES[s].clientTimeoutMs, ...(token ? { token } : {}) };
  }
  return out;
}
