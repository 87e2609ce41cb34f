// npm run db:migrate: applies the committed migrations (prisma/migrations) to DATABASE_URL, under
// Prisma's advisory lock, and exits. Run it once per deploy before new API and worker processes
// start (docker-compose.yml's `migrate` service; a Kubernetes Job or Helm pre-upgrade hook).
// Without DATABASE_URL it migrates the embedded PostgreSQL cluster in LOANBRIDGE_DATA_DIR.
import { readEnv } from '../config/env';
import { logger } from '../config/logger';
import { applyMigrations } from '../prisma/migrate';
import { openDatabase } from '../prisma/database';
import { scriptDatabaseUrl } from './scriptDatabase';

async function main() {
  const env = readEnv();
  const server = await scriptDatabaseUrl(env);
  const db = await openDatabase({ databaseUrl: server.url, migrate: false, poolSize: 2 });
  try {
    const applied = await applyMigrations(db.sql);
    logger.info(
      { applied, database: env.databaseUrl ? 'DATABASE_URL' : env.postgresDir },
      applied.length ? `applied ${applied.length} migration(s)` : 'database schema up to date',
    );
  } finally {
    await db.close();
    await server.stop();
  }
}

main().catch((err) => {
  logger.error({ err }, 'migration failed');
  process.exit(1);
});
