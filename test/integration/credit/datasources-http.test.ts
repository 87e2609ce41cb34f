// The clients against the simulator over real HTTP on an ephemeral port.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assemblePortrait } from '../../../domain/credit/portrait';
import { SOURCE_NAMES } from '../../../domain/credit/sources';
import { createDataSourceClients } from '../../../datasources/clients';
import { loadDataSourceConfig, simulatorConfig } from '../../../datasources/config';
import {
  SourceInvalidResponseError,
  SourceNotFoundError,
  SourceTimeoutError,
  SourceUnauthorizedError,
  SourceUnavailableError,
} from '../../../datasources/errors';
import { fetchAllSources } from '../../../datasources/fetch-all';
import { syntheticCreditCodes } from '../../../datasources/simulator/generator';
import { startSimulator, type RunningSimulator } from '../../../datasources/simulator/server';
import { getSourceRecord } from '../../../datasources/clients/http';
import { taxSchema } from '../../../datasources/schemas';

const [CODE, OTHER] = syntheticCreditCodes(2, 'integration');
const code = CODE!;

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ asOf: new Date('2026-06-15T00:00:00Z') });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetCounts();
});

describe('simulator + clients over HTTP', () => {
  it('builds a full portrait from all eight sources', async () => {
    const clients = createDataSourceClients(simulatorConfig(sim.url));
    const outcomes = await fetchAllSources(clients, code);
    const p = assemblePortrait({ creditCode: code, asOf: new Date('2026-06-15T00:00:00Z'), outcomes });
    expect(p.missing).toEqual([]);
    expect(p.completeness).toBe(1);
    expect(p.sections.registration?.creditCode).toBe(code);
    expect(p.sections.registration?.region).toBe(code.slice(2, 8));
    expect(p.sections.operations.utilities?.electricityKwh.length).toBeGreaterThan(0);
    expect(p.score.score).toBeGreaterThanOrEqual(0);
    expect(Object.values(sim.requestCounts())).toEqual(SOURCE_NAMES.map(() => 1));
  });

  it('serves the same record for the same code every time, and different ones for different codes', async () => {
    const clients = createDataSourceClients(simulatorConfig(sim.url));
    const a = await clients.marketRegulation.fetch(code);
    const b = await clients.marketRegulation.fetch(code);
    const c = await clients.marketRegulation.fetch(OTHER!);
    expect(b).toEqual(a);
    expect(c.name === a.name && c.foundedOn === a.foundedOn && c.registeredCapitalFen === a.registeredCapitalFen).toBe(false);
  });

  it('marks one source missing when it is down, and the portrait is partial', async () => {
    sim.setFaults({ courts: { outage: true } });
    const outcomes = await fetchAllSources(createDataSourceClients(simulatorConfig(sim.url)), code);
    const p = assemblePortrait({ creditCode: code, asOf: new Date(), outcomes });
    expect(p.missing).toEqual(['courts']);
    expect(p.sources.courts.reason).toBe('unavailable');
    expect(p.partial).toBe(true);
    expect(p.completeness).toBe(0.875);
  });

  it('changes faults at runtime through POST /_faults', async () => {
    const res = await fetch(`${sim.url}/_faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tax: { outage: true } }),
    });
    expect(res.status).toBe(200);
    const clients = createDataSourceClients(simulatorConfig(sim.url));
    await expect(clients.tax.fetch(code)).rejects.toBeInstanceOf(SourceUnavailableError);
    await fetch(`${sim.url}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expect(clients.tax.fetch(code)).resolves.toMatchObject({ creditCode: code });
    const bad = await fetch(`${sim.url}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nosuch: {} }) });
    expect(bad.status).toBe(400);
  });

  it('fails the next N requests then recovers', async () => {
    sim.setFaults({ honours: { failNext: 2 } });
    const clients = createDataSourceClients(simulatorConfig(sim.url));
    await expect(clients.honours.fetch(code)).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(clients.honours.fetch(code)).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(clients.honours.fetch(code)).resolves.toMatchObject({ creditCode: code });
  });

  it('reports an unknown enterprise as not found (permanent), not unavailable', async () => {
    const bad = code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
    const err = await createDataSourceClients(simulatorConfig(sim.url))
      .marketRegulation.fetch(bad)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceNotFoundError);
    expect((err as SourceNotFoundError).retryable).toBe(false);
  });

  it('times out a slow source at the client timeout', async () => {
    sim.setFaults({ creditBureau: { latencyMs: 2_000 } });
    const clients = createDataSourceClients(simulatorConfig(sim.url, { timeoutMs: 200 }));
    const started = Date.now();
    const err = await clients.creditBureau.fetch(code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('sends the bearer token and maps a rejected one to unauthorized', async () => {
    const secured = await startSimulator({ tokens: { tax: 's3cret' } });
    try {
      await expect(createDataSourceClients(simulatorConfig(secured.url, { tokens: { tax: 's3cret' } })).tax.fetch(code)).resolves.toMatchObject({
        creditCode: code,
      });
      await expect(createDataSourceClients(simulatorConfig(secured.url, { tokens: { tax: 'wrong' } })).tax.fetch(code)).rejects.toBeInstanceOf(
        SourceUnauthorizedError,
      );
    } finally {
      await secured.close();
    }
  });

  it('rejects a response that breaks the schema or belongs to another enterprise', async () => {
    // The courts route returns a courts record; validating it as tax must fail.
    const endpoint = { baseUrl: sim.url, timeoutMs: 2_000 };
    const wrongShape = getSourceRecord('courts', endpoint, code, taxSchema as never);
    await expect(wrongShape).rejects.toBeInstanceOf(SourceInvalidResponseError);
  });
});

describe('loadDataSourceConfig', () => {
  it('defaults every source to the simulator and honours per-source URL, token and timeout', () => {
    const cfg = loadDataSourceConfig({
      DATASOURCE_SIMULATOR_URL: 'http://sim:4010/',
      DATASOURCE_CREDIT_BUREAU_URL: 'https://bureau.example.cn/api',
      DATASOURCE_CREDIT_BUREAU_TOKEN: 'tok',
      DATASOURCE_TAX_TIMEOUT_MS: '1500',
    });
    expect(cfg.marketRegulation.baseUrl).toBe('http://sim:4010');
    expect(cfg.creditBureau).toMatchObject({ baseUrl: 'https://bureau.example.cn/api', token: 'tok' });
    expect(cfg.tax.timeoutMs).toBe(1500);
    expect(() => loadDataSourceConfig({ DATASOURCE_COURTS_URL: 'ftp://x' })).toThrow(/http/);
  });
});
