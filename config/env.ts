// Every environment variable the processes read, in one place (README lists them).
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export interface Env {
  /** host:port of an external Temporal frontend; unset → npm start runs the embedded dev server. */
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  /** PostgreSQL URL; unset → embedded PGlite in `pgliteDir`. */
  databaseUrl?: string;
  dataDir: string;
  pgliteDir: string;
  apiPort: number;
  /** Base URL of the Temporal Web UI, for links from the API and pages. */
  temporalUiUrl: string;
  logLevel: string;
}

export function readEnv(e: NodeJS.ProcessEnv = process.env): Env {
  const dataDir = path.resolve(root, e.LOANBRIDGE_DATA_DIR ?? 'data');
  return {
    temporalAddress: e.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: e.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: e.TEMPORAL_TASK_QUEUE ?? 'loanbridge',
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    pgliteDir: path.join(dataDir, 'pglite'),
    apiPort: Number(e.PORT ?? 3000),
    temporalUiUrl: e.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233',
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}
