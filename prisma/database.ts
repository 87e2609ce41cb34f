// One way to open the database, for the API, the worker, scripts and tests:
// - DATABASE_URL set: a real PostgreSQL through @prisma/adapter-pg;
// - otherwise: PGlite (PostgreSQL compiled to WebAssembly) in this process, its data kept in a
//   folder, through pglite-prisma-adapter. Same SQL, same migrations, nothing to install.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations, type SqlRunner } from './migrate';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: 'postgresql' | 'pglite';
  /** Runs raw SQL with simple-query semantics (several statements allowed); for migrations and health. */
  sql: SqlRunner;
  close(): Promise<void>;
}

/** PostgreSQL connections per process; above the worker's concurrent activities (worker/createWorker.ts). */
export const DEFAULT_POOL_SIZE = 20;

export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent, PGlite in `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir?: string;
  /** Apply pending migrations on open (default true for PGlite, false for PostgreSQL). */
  migrate?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
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
      kind: 'postgresql',
      sql,
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  if (!opts.pgliteDir) throw new Error('openDatabase: give databaseUrl or pgliteDir');
  const pglite = await PGlite.create(opts.pgliteDir);
  const sql: SqlRunner = {
    exec: async (text) => {
      await pglite.exec(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
    withLock: async (fn) => fn(sql), // one process owns a PGlite folder
  };
  if (opts.migrate ?? true) await applyMigrations(sql);
  // PGlite is one connection: transactions queue behind each other, so under load a transaction
  // waits far longer than Prisma's defaults (2 s to start, 5 s to finish) without anything being wrong.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions: { maxWait: 60_000, timeout: 60_000 } });
  return {
    prisma,
    kind: 'pglite',
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
