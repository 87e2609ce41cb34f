// One way to open the database, for the API, the worker, scripts and tests: PostgreSQL (production's,
// or the embedded server npm start runs, scripts/embeddedPostgres.ts) through @prisma/adapter-pg.
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations, type SqlRunner } from './migrate';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  /** Runs raw SQL with simple-query semantics (several statements allowed); for migrations and health. */
  sql: SqlRunner;
  close(): Promise<void>;
}

/** PostgreSQL connections per process; above the worker's concurrent activities (worker/createWorker.ts). */
export const DEFAULT_POOL_SIZE = 20;

export interface DatabaseOptions {
  databaseUrl: string;
  /** Apply pending migrations on open (default false). */
  migrate?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const pool = new Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? DEFAULT_POOL_SIZE });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  const sql: SqlRunner = {
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
    withLock: async (fn) => {
      const client = await pool.connect();
      try {
        // Same advisory lock key Prisma Migrate uses, so we never race a `prisma migrate deploy`.
        await client.query('SELECT pg_advisory_lock(72707369)');
        return await fn({
          exec: async (t) => {
            await client.query(t);
          },
          query: async <T>(t: string, p?: unknown[]) => (await client.query(t, p)).rows as T[],
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock(72707369)').catch(() => undefined);
        client.release();
      }
    },
  };
  if (opts.migrate) await applyMigrations(sql);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
