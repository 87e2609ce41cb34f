// Tells a dependency outage (PostgreSQL or the Temporal frontend unreachable) from a bug, so the
// error handler answers 503 with Retry-After instead of 500: the caller should retry, and the API
// recovers on its own when the dependency is back (the pg pool and the gRPC channel reconnect).

/** Seconds a client should wait before retrying while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** Prisma error codes meaning "the database is not reachable right now" (not "the query is wrong"). */
const PRISMA_UNAVAILABLE = new Set([
  'P1001', // can't reach database server
  'P1002', // database server timed out
  'P1008', // operations timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2037', // too many database connections
]);

/** Node socket errors and PostgreSQL SQLSTATEs of a lost or refused connection. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (terminated by administrator command)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

const CONNECTION_MESSAGE =
  /Connection terminated|Can't reach database server|Client has encountered a connection error|Connection is not queryable|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down)|too many clients already|Server has closed the connection|\bECONNREFUSED\b|\bECONNRESET\b|\bETIMEDOUT\b/i;

/** gRPC status codes (the Temporal frontend) meaning "try again later". */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
/**
 * FAILED_PRECONDITION with this message: the workflow's last task failed (a worker crashed or was
 * starved mid-task) and the server takes no update until a retried task succeeds — seconds,
 * normally. A task failing for good (non-determinism after a deploy) shows the same way and is
 * an operator's matter (docs/operations.md, runbook); the caller can only retry either way.
 */
const GRPC_FAILED_PRECONDITION = 9;
const WORKFLOW_TASK_FAILED = /Workflow Task in failed state/i;

export type Unavailable = 'database' | 'temporal';

/** Which dependency an error says is down, or undefined for any other error. Follows `cause` chains. */
export function unavailableDependency(err: unknown, depth = 0): Unavailable | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; details?: unknown; metadata?: unknown };
  const code = e.code;
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';
  if (typeof code === 'string') {
    if (PRISMA_UNAVAILABLE.has(code)) return 'database';
    if (code === 'P2010' && CONNECTION_MESSAGE.test(message)) return 'database';
    if (CONNECTION_CODES.has(code)) return 'database';
  }
  // @temporalio/client wraps gRPC errors in ServiceError with the gRPC error as cause.
  if (typeof code === 'number' && e.metadata !== undefined) {
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return 'temporal';
    if (code === GRPC_FAILED_PRECONDITION && WORKFLOW_TASK_FAILED.test(message)) return 'temporal';
  }
  if (name === 'ServiceError' || name === 'WorkflowUpdateRPCTimeoutOrCancelledError') {
    const inner = unavailableDependency(e.cause, depth + 1);
    if (inner) return 'temporal';
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'temporal';
  }
  if (CONNECTION_MESSAGE.test(message) && !name.startsWith('Workflow')) return 'database';
  return unavailableDependency(e.cause, depth + 1);
}
