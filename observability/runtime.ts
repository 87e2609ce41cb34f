// The Temporal SDK runtime of a worker process: its logs go to pino as JSON (workflow and activity
// log lines carry workflowId, runId, workflowType / activityType, taskQueue), and with a metrics
// port its own Prometheus exporter serves the SDK's metrics (temporal_*) and ours
// (loanbridge_activity_failures) at http://<host>:<port>/metrics.
import { DefaultLogger, type LogEntry, type RuntimeOptions } from '@temporalio/worker';
import { logger as rootLogger, type Logger } from '../config/logger';

/** Port of the worker's Prometheus endpoint in production (worker/main.ts, docker-compose.yml). */
export const DEFAULT_WORKER_METRICS_PORT = 9464;

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** An SDK logger writing through pino: one JSON line per entry, the SDK's metadata as fields. */
export function sdkLogger(base: Logger = rootLogger): DefaultLogger {
  const log = base.child({ component: 'temporal' });
  const sdkLevel = (['trace', 'debug'].includes(base.level) ? base.level.toUpperCase() : 'INFO') as 'TRACE' | 'DEBUG' | 'INFO';
  return new DefaultLogger(sdkLevel, (entry: LogEntry) => {
    log[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
  });
}

/**
 * Options for Runtime.install(): pino logging, Core's own logs at WARN and above forwarded to it,
 * and the Prometheus exporter on `metricsPort` (omitted or 0: no exporter).
 */
export function runtimeOptions(o: { metricsPort?: number; shutdownSignals?: NodeJS.Signals[] } = {}): RuntimeOptions {
  return {
    logger: sdkLogger(),
    telemetryOptions: {
      logging: { filter: 'WARN', forward: {} },
      ...(o.metricsPort
        ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${o.metricsPort}`, countersTotalSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
    ...(o.shutdownSignals ? { shutdownSignals: o.shutdownSignals } : {}),
  };
}

/** WORKER_METRICS_PORT: unset → `fallback` (worker/main: 9464; embedded stack: none); 0 or off → none. */
export function workerMetricsPort(env: NodeJS.ProcessEnv, fallback?: number): number | undefined {
  const v = env.WORKER_METRICS_PORT;
  if (v === undefined || v === '') return fallback;
  if (v === '0' || v.toLowerCase() === 'off') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`WORKER_METRICS_PORT=${v} is not a port`);
  return n;
}
