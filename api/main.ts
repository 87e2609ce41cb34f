// The API as its own process (docker-compose, any number of replicas).
import { Client, Connection } from '@temporalio/client';
import { readEnv } from '../config/env';
import { assertProductionConfig } from '../config/production';
import { logger } from '../config/logger';
import { openDatabase } from '../prisma/database';
import { createApp } from './app';
import { TokenSigner } from './auth/tokens';
import { apiConfigFrom } from './deps';
import { clientInterceptors } from '../observability/tracing';

async function main() {
  const env = readEnv();
  if (!env.temporalAddress || !env.databaseUrl) throw new Error('api/main needs TEMPORAL_ADDRESS and DATABASE_URL (npm start runs the embedded stack)');
  // Replicas must share the token key (JWT_SECRET); /metrics needs its token; links need PUBLIC_URL.
  assertProductionConfig('api');
  const db = await openDatabase({ databaseUrl: env.databaseUrl, migrate: false });
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: env.temporalNamespace, interceptors: clientInterceptors() });
  const app = createApp({
    prisma: db.prisma,
    temporal,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    temporalUiUrl: env.temporalUiUrl,
    log: logger,
    tokens: new TokenSigner(env.jwtSecret),
    config: apiConfigFrom(env, false),
    pingDatabase: async () => void (await db.sql.query('SELECT 1')),
  });
  const server = app.listen(env.apiPort, '0.0.0.0', () => logger.info({ port: env.apiPort }, 'api listening'));
  const stop = () => {
    server.close(() => {
      void connection
        .close()
        .then(() => db.close())
        .then(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  logger.error({ err }, 'api failed');
  process.exit(1);
});
