// Structured JSON logs (pino) for every process.
import pino from 'pino';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'loanbridge' } });
export type Logger = typeof logger;
