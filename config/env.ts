// Every environment variable the processes read, in one place (README lists them).
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Every variable read here; the compose test checks docker-compose.yml sets only these (plus images' own). */
export const ENV_VARS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'DATABASE_URL',
  'LOANBRIDGE_DATA_DIR',
  'PORT',
  'TEMPORAL_UI_URL',
  'LOG_LEVEL',
  'WORKFLOW_BUNDLE_PATH',
  'JWT_SECRET',
  'PUBLIC_URL',
  'ENTERPRISE_REVIEW_REQUIRED',
  'RATE_LIMIT_PER_MINUTE',
  'PUBLIC_RATE_LIMIT_PER_MINUTE',
  'METRICS_TOKEN',
  'WORKER_METRICS_PORT',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'OTEL_TRACING',
  'WEBHOOK_ALLOW_LOOPBACK',
  'TRUST_PROXY',
] as const;

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
  /** Pre-built workflow bundle (Docker image); unset → bundle at worker start. */
  workflowBundlePath?: string;
  /** HS256 key for the pages' tokens, shared by API replicas; unset → a random key per process. */
  jwtSecret?: string;
  /** Public base URL of the API (QR codes, tracking links, Twilio callbacks). */
  publicUrl?: string;
  /** Suzhou style: a supervisor reviews each new enterprise before it may publish. */
  enterpriseReviewRequired: boolean;
  rateLimitPerMinute: number;
  publicRateLimitPerMinute: number;
  /** Proxies whose X-Forwarded-For is believed (api/deps.ts parseTrustProxy); unset → none. */
  trustProxy?: string;
  /** Caps the worker's workflow cache (about 0.4 MiB each, docs/operations.md); unset → the SDK's heap-based default. */
  workerMaxCachedWorkflows?: number;
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
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH || undefined,
    jwtSecret: e.JWT_SECRET || undefined,
    publicUrl: e.PUBLIC_URL || undefined,
    enterpriseReviewRequired: e.ENTERPRISE_REVIEW_REQUIRED === 'true',
    rateLimitPerMinute: Number(e.RATE_LIMIT_PER_MINUTE ?? 1200),
    publicRateLimitPerMinute: Number(e.PUBLIC_RATE_LIMIT_PER_MINUTE ?? 20),
    trustProxy: e.TRUST_PROXY || undefined,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS ? Number(e.WORKER_MAX_CACHED_WORKFLOWS) : undefined,
  };
}
