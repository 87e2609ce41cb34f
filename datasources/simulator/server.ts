// The data-source simulator: ONE express service with a route family per source, serving
// deterministic synthetic records keyed by credit code, with fault injection per source.
// `npm start` and the tests run it in-process through startSimulator.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { isValidCreditCode } from '../../domain/creditCode';
import { SOURCE_NAMES, type SourceName } from '../../domain/credit/sources';
import { SOURCE_ROUTES } from '../routes';
import { FaultInjector, isFaultConfig, type FaultConfig } from './faults';
import { DEFAULT_SEED, generateEnterprise, type SyntheticEnterprise } from './generator';

export interface SimulatorOptions {
  /** 0 or undefined: an ephemeral port. */
  port?: number;
  host?: string;
  faults?: FaultConfig;
  /** The date records are generated as of (monthly series end the month before). Default: now. */
  asOf?: Date;
  seed?: string;
  /** When set, each source demands `Authorization: Bearer <token>` as production providers do. */
  tokens?: Partial<Record<SourceName, string>>;
}

export interface RunningSimulator {
  url: string;
  setFaults(faults: FaultConfig): void;
  getFaults(): FaultConfig;
  /** Requests received per source since start (or since resetCounts), including failed ones. */
  requestCounts(): Record<SourceName, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

const CACHE_LIMIT = 5_000;

export function createSimulatorApp(opts: Omit<SimulatorOptions, 'port' | 'host'> = {}) {
  const faults = new FaultInjector(opts.faults ?? {});
  const seed = opts.seed ?? DEFAULT_SEED;
  const fixedAsOf = opts.asOf;
  const counts = Object.fromEntries(SOURCE_NAMES.map((s) => [s, 0])) as Record<SourceName, number>;
  // Enterprises are generated once per code and asOf day; a bounded map keeps memory flat.
  const cache = new Map<string, SyntheticEnterprise>();
  const enterprise = (code: string): SyntheticEnterprise => {
    const asOf = fixedAsOf ?? new Date();
    const key = `${code}|${asOf.toISOString().slice(0, 10)}`;
    let e = cache.get(key);
    if (!e) {
      e = generateEnterprise(code, asOf, seed);
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, e);
    }
    return e;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  app.get('/_health', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/_faults', (_req, res) => {
    res.json(faults.get());
  });
  /** Replace the fault configuration, e.g. {"courts": {"outage": true}} or {} to heal everything. */
  app.post('/_faults', (req: Request, res: Response) => {
    if (!isFaultConfig(req.body)) {
      res.status(400).json({ error: 'bad_request', message: 'body must map source names (or "*") to fault settings' });
      return;
    }
    faults.set(req.body);
    res.json(faults.get());
  });

  for (const source of SOURCE_NAMES) {
    app.get(SOURCE_ROUTES[source], async (req: Request<{ creditCode: string }>, res: Response) => {
      counts[source]++;
      const token = opts.tokens?.[source];
      if (token && req.get('authorization') !== `Bearer ${token}`) {
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const delay = faults.latencyFor(source);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const decision = faults.decide(source);
      if (decision.kind === 'fail') {
        res.status(decision.status).json({ error: 'unavailable', message: decision.message });
        return;
      }
      const code = req.params.creditCode;
      // An invalid code cannot belong to any registered enterprise.
      if (!isValidCreditCode(code)) {
        res.status(404).json({ error: 'not_found', message: `no enterprise with credit code ${code}` });
        return;
      }
      res.json(enterprise(code).records[source]);
    });
  }

  return {
    app,
    faults,
    counts,
  };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { app, faults, counts } = createSimulatorApp(opts);
  const host = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  // Many concurrent portraits: keep connections alive and do not cap them artificially.
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    setFaults: (f) => faults.set(f),
    getFaults: () => faults.get(),
    requestCounts: () => ({ ...counts }),
    resetCounts: () => {
      for (const s of SOURCE_NAMES) counts[s] = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
