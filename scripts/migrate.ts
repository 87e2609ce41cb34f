// npm run db:migrate: applies the committed migrations (prisma/migrations) to DATABASE_URL, under
// Prisma's advisory lock, and exits. Run it once per deploy before new API and worker processes
// start (docker-compose.yml's `migrate` service; a Kubernetes Job or Helm pre-upgrade hook).
// Without DATABASE_URL it migrates the embedded PGlite database in LOANBRIDGE_DATA_DIR.
import { readEnv } from '../config/env';
import { logger } from '../config/logger';
import { applyMigrations } from '../prisma/migrate';
import { openDatabase } from '../prisma/database';

async function main() {
  const env = readEnv();
  const db = await openDatabase(env.databaseUrl ? { databaseUrl: env.databaseUrl, migrate: false, poolSize: 2 } : { pgliteDir: env.pgliteDir, migrate: false });
  try {
    const applied = await applyMigrations(db.sql);
    logger.info({ applied, database: db.kind }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema up to date');
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  logger.error({ err }, 'migration failed');
  process.exit(1);
});
