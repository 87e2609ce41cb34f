// The whole system in one process, for `npm start`, integration tests and benchmarks:
// Temporal (embedded dev server unless an address is given), PostgreSQL (an embedded server on
// the data folder unless a URL is given), the worker and the API. stop() stops every part it started.
import type { Server } from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { TokenSigner } from '../api/auth/tokens';
import { apiConfigFrom, type ApiConfig } from '../api/deps';
import { createDataSourceClients } from '../datasources/clients';
import { loadDataSourceConfig } from '../datasources/config';
import { startSimulator, type RunningSimulator } from '../datasources/simulator/server';
import type { Env } from '../config/env';
import { logger } from '../config/logger';
import { openDatabase, type Database } from '../prisma/database';
import { seedDemoData } from '../prisma/seed';
import { createNotificationDeps } from '../notifications/deps';
import { createWorker } from '../worker/createWorker';
import { registerSearchAttributes } from '../worker/searchAttributes';
import { ensureReportSchedule } from '../worker/reportSchedule';
import { startTemporalDevServer, type DevServer } from './temporalDevServer';
import { startEmbeddedPostgres, type RunningPostgres } from './embeddedPostgres';
import { freePort } from './ports';
import { runtimeOptions, workerMetricsPort } from '../observability/runtime';
import { clientInterceptors } from '../observability/tracing';

export interface StackOptions {
  env: Env;
  /** Ports of the embedded Temporal dev server (used only without env.temporalAddress). */
  temporalPort?: number;
  temporalUiPort?: number;
  /** Keep Temporal's state in data/temporal.db (npm start) or in memory (tests). */
  persistTemporal?: boolean;
  /** Port of the embedded PostgreSQL server (used only without env.databaseUrl); 0 or unset → a free port. */
  postgresPort?: number;
  /** fsync the embedded PostgreSQL server's writes (npm start); off for throw-away folders (benchmarks). */
  durablePostgres?: boolean;
  /** Told the pid of each server process the stack spawns (npm start records them, scripts/orphans.ts). */
  onChild?: (name: 'temporal' | 'postgres', pid: number) => void;
  seedDemo?: boolean;
  /** 0 → an ephemeral port. */
  apiPort?: number;
  /** Overrides of the notification transports (tests point them at local SMTP/Twilio servers). */
  notificationEnv?: Record<string, string | undefined>;
  /** Where DATASOURCE_* are read (default process.env). */
  dataSourceEnv?: NodeJS.ProcessEnv;
  /**
   * Port of the in-process data-source simulator, started when dataSourceEnv names no source URL
   * (no DATASOURCE_SIMULATOR_URL, no DATASOURCE_<NAME>_URL). Default 0 → an ephemeral port (tests, benchmarks);
   * npm start passes DATASOURCE_SIMULATOR_PORT or 4010.
   */
  simulatorPort?: number;
  /** Overrides of the API's configuration (tests: review required, rate limits). */
  apiConfig?: Partial<ApiConfig>;
}

export interface Stack {
  apiUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  db: Database;
  /** The embedded PostgreSQL server, when the stack started one. */
  postgres?: RunningPostgres;
  client: Client;
  worker: Worker;
  /** The in-process data-source simulator, when the stack started one. */
  simulator?: RunningSimulator;
  /** Base URL of the credit data sources (the simulator's, or DATASOURCE_SIMULATOR_URL); per-source URLs may override it. */
  dataSourceUrl: string;
  stop(): Promise<void>;
}

/** True when the environment points any credit data source somewhere: then no simulator is started. */
export function dataSourcesConfigured(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((k) => k.startsWith('DATASOURCE_') && k.endsWith('_URL') && Boolean(env[k]));
}

let runtimeInstalled = false;

export async function startStack(o: StackOptions): Promise<Stack> {
  const { env } = o;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err) => logger.warn({ err }, 'stop step failed'));
  };
  try {
    if (!runtimeInstalled) {
      runtimeInstalled = true;
      try {
        // Quieter core logs, and our own signal handling (scripts/start.ts) decides the stop order.
        Runtime.install(runtimeOptions({ metricsPort: workerMetricsPort(process.env), shutdownSignals: [] }));
      } catch {
        // Already installed (a test created a TestWorkflowEnvironment first): keep that one.
      }
    }
    let dev: DevServer | undefined;
    let temporalAddress = env.temporalAddress;
    if (!temporalAddress) {
      dev = await startTemporalDevServer({
        port: o.temporalPort ?? 7233,
        uiPort: o.temporalUiPort,
        dbFile: o.persistTemporal ? path.join(env.dataDir, 'temporal.db') : undefined,
        logFile: path.join(env.dataDir, 'temporal.log'),
        onSpawn: (pid) => o.onChild?.('temporal', pid),
      });
      stops.push(() => dev!.stop());
      temporalAddress = dev.address;
    }
    let postgres: RunningPostgres | undefined;
    let databaseUrl = env.databaseUrl;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({
        dir: env.postgresDir,
        port: o.postgresPort || (await freePort()),
        passwordFile: env.postgresPasswordFile,
        durable: o.durablePostgres ?? false,
        logFile: path.join(env.dataDir, 'postgres.log'),
        onSpawn: (pid) => o.onChild?.('postgres', pid),
      });
      stops.push(() => postgres!.stop());
      databaseUrl = await postgres.ensureDatabase('loanbridge');
    }
    const db = await openDatabase({ databaseUrl, migrate: true });
    stops.push(() => db.close());
    if (o.seedDemo) await seedDemoData(db.prisma);

    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    await registerSearchAttributes(connection, env.temporalNamespace);
    const client = new Client({ connection, namespace: env.temporalNamespace, interceptors: clientInterceptors() });
    await ensureReportSchedule(client, env.taskQueue);

    // Credit data sources: the configured ones, or the simulator in this process.
    const dsEnv = o.dataSourceEnv ?? process.env;
    let simulator: RunningSimulator | undefined;
    let dataSourceEnv = dsEnv;
    if (!dataSourcesConfigured(dsEnv)) {
      simulator = await startSimulator({ port: o.simulatorPort ?? 0 });
      stops.push(() => simulator!.close());
      dataSourceEnv = { ...dsEnv, DATASOURCE_SIMULATOR_URL: simulator.url };
    }
    const dataSourceConfig = loadDataSourceConfig(dataSourceEnv);

    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    stops.push(() => workerConnection.close());
    // A development stack: webhooks may reach local receivers unless the environment says otherwise.
    const notifications = createNotificationDeps({ WEBHOOK_ALLOW_LOOPBACK: 'true', ...(o.notificationEnv ?? process.env) }, db.prisma);
    const worker = await createWorker({
      connection: workerConnection,
      namespace: env.temporalNamespace,
      taskQueue: env.taskQueue,
      deps: {
        prisma: db.prisma,
        notifications,
        credit: { sources: createDataSourceClients(dataSourceConfig) },
      },
    });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    const app = createApp({
      prisma: db.prisma,
      temporal: client,
      namespace: env.temporalNamespace,
      taskQueue: env.taskQueue,
      temporalUiUrl: dev?.uiUrl ?? env.temporalUiUrl,
      log: logger,
      tokens: new TokenSigner(env.jwtSecret),
      config: { ...apiConfigFrom(env, true), ...o.apiConfig },
      pingDatabase: async () => {
        await db.sql.query('SELECT 1');
      },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(o.apiPort ?? env.apiPort, '127.0.0.1', () => resolve(s));
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.apiPort;
    // Without PUBLIC_URL, prompts link to this API's own address (known only now, with an ephemeral port).
    notifications.taskLinkBaseUrl ??= `http://127.0.0.1:${port}`;
    return {
      apiUrl: `http://127.0.0.1:${port}`,
      temporalAddress,
      temporalUiUrl: dev?.uiUrl ?? env.temporalUiUrl,
      db,
      postgres,
      client,
      worker,
      simulator,
      dataSourceUrl: dataSourceConfig.marketRegulation.baseUrl,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
