// The environment, read in one place: readEnv types the variables the API, worker and npm start
// share; notification transports, data sources and dev ports are parsed by their own modules
// (notifications/deps.ts, datasources/config.ts), but ENV_VARS lists them all (README too).
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
  'LOG_FILE',
  // set by vitest: logs of a test run go to a file (config/logger.ts)
  'VITEST',
  // scripts only: check:openapi's Python, the embedded servers of npm start and the benchmarks
  'PYTHON',
  'TEST_PG_URL',
  'EMBEDDED_PG_PORT',
  'TWILIO_AUTH_TOKEN',
  // parsed by notifications/deps.ts
  'SMTP_URL',
  'EMAIL_FROM',
  'SMS_PROVIDER',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_BASE_URL',
  'ALICLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY_SECRET',
  'ALICLOUD_SMS_SIGN_NAME',
  'ALICLOUD_SMS_ENDPOINT',
  'ALICLOUD_SMS_TEMPLATE_CODES',
  'SUPERVISOR_EMAILS',
  'NOTIFICATION_STORES',
  'NOTIFY_QUIET_HOURS',
  // parsed by datasources/config.ts (also DATASOURCE_<SOURCE>_URL and DATASOURCE_<SOURCE>_TOKEN per source)
  'DATASOURCE_SIMULATOR_URL',
  // the weekly report's PDF font (reports/supervisionReport.ts)
  'REPORT_CJK_FONT',
  'REPORT_CJK_FONT_FAMILY',
  // npm start only (scripts/start.ts, datasources/simulator/main.ts)
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'SEED_DEMO',
  'DATASOURCE_SIMULATOR_PORT',
  'DATASOURCE_SIMULATOR_HOST',
  'WEBHOOK_ALLOW_LOOPBACK',
  'TRUST_PROXY',
] as const;

export interface Env {
  /** host:port of an external Temporal frontend; unset → npm start runs the embedded dev server. */
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  /** PostgreSQL URL; unset → npm start runs an embedded PostgreSQL server on `postgresDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** The embedded server's cluster folder. */
  postgresDir: string;
  /** The password of its `postgres` role (written at initdb, mode 0600). */
  postgresPasswordFile: string;
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
  /** Bearer token for GET /metrics; unset → open. */
  metricsToken?: string;
  /** Verifies Twilio's status callbacks. */
  twilioAuthToken?: string;
}

export function readEnv(e: NodeJS.ProcessEnv = process.env): Env {
  const dataDir = path.resolve(root, e.LOANBRIDGE_DATA_DIR ?? 'data');
  return {
    temporalAddress: e.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: e.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: e.TEMPORAL_TASK_QUEUE ?? 'loanbridge',
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    postgresDir: path.join(dataDir, 'postgres'),
    postgresPasswordFile: path.join(dataDir, 'postgres.password'),
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
    metricsToken: e.METRICS_TOKEN || undefined,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN || undefined,
  };
}
