// api/main.ts and worker/main.ts refuse to start on settings only fit for development.
import { describe, expect, it } from 'vitest';
import { productionConfigProblems } from '../../config/production';
import { SOURCE_NAMES } from '../../domain/credit/sources';
import { envName } from '../../datasources/config';

const api = { JWT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'm', PUBLIC_URL: 'https://loans.example.cn' };
const sources = Object.fromEntries(SOURCE_NAMES.map((s) => [`DATASOURCE_${envName(s)}_URL`, `https://${s}.example.cn`]));

describe('production configuration', () => {
  it('the API needs JWT_SECRET, METRICS_TOKEN and PUBLIC_URL, and refuses SEED_DEMO', () => {
    expect(productionConfigProblems('api', api)).toEqual([]);
    expect(productionConfigProblems('api', {}).join('\n')).toMatch(/JWT_SECRET[\s\S]*METRICS_TOKEN[\s\S]*PUBLIC_URL/);
    expect(productionConfigProblems('api', { ...api, SEED_DEMO: '1' })).toEqual([expect.stringMatching(/SEED_DEMO/)]);
  });

  it('the worker refuses to fall back to the data-source simulator unless told to', () => {
    expect(productionConfigProblems('worker', sources)).toEqual([]);
    expect(productionConfigProblems('worker', {})).toEqual([expect.stringMatching(/DATASOURCE_/)]);
    expect(productionConfigProblems('worker', { DATASOURCE_SIMULATOR_URL: 'http://simulator:4010' })).toEqual([]);
  });
});
