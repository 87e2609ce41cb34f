// Structured JSON logs (pino) for every process. In tests (vitest sets VITEST, and processes the
// tests start inherit it) they go to a file per process under test-results/logs/, so a failing
// test's report is not drowned in request logs; LOG_FILE names a file in any process.
import path from 'node:path';
import pino from 'pino';

const testLogs = path.resolve(__dirname, '..', 'test-results', 'logs');
const file = process.env.LOG_FILE || (process.env.VITEST ? path.join(testLogs, `${process.pid}.log`) : undefined);

export const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'loanbridge' } },
  file ? pino.destination({ dest: file, mkdir: true, sync: false }) : undefined,
);
export type Logger = typeof logger;
