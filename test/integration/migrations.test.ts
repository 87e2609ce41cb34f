// The committed migrations and prisma/schema.prisma must describe the same database, and the
// applier must behave like Prisma Migrate (records, checksums, idempotence).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/database';
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from '../../prisma/migrate';
import { startEmbeddedPostgres } from '../../scripts/embeddedPostgres';
import { freePort } from '../../scripts/ports';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { diffSchemas } = require('../../scripts/prisma-sql.js') as { diffSchemas(from: string | null, to: string, databaseUrl: string): string };

/** The catalogue of a database: tables, columns, types, nullability, defaults, constraints, indexes, enums. */
async function catalogue(url: string): Promise<Record<string, unknown[]>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
                        WHERE table_schema='public' AND table_name <> '_prisma_migrations' ORDER BY 1,2`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                            WHERE connamespace='public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1,2`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' AND tablename <> '_prisma_migrations' ORDER BY 1,2`),
      enums: await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid=t.oid ORDER BY 1,3`),
    };
  } finally {
    await c.end();
  }
}

describe('schema and migrations', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase('lb_mig_a'), createTestDatabase('lb_mig_b')]);
  });
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it('migrations applied to one database equal the from-empty diff of the schema applied to another (no drift)', async () => {
    const dbA = await openDatabase({ databaseUrl: a.url, migrate: true });
    await dbA.close();
    const sql = diffSchemas(null, fs.readFileSync(path.resolve(__dirname, '../../prisma/schema.prisma'), 'utf8'), b.url);
    const c = new Client({ connectionString: b.url });
    await c.connect();
    await c.query(sql);
    await c.end();
    expect(await catalogue(a.url)).toEqual(await catalogue(b.url));
  }, 120_000);

  it('records each migration in _prisma_migrations as Prisma does, and applying again changes nothing', async () => {
    const c = new Client({ connectionString: a.url });
    await c.connect();
    const rows = (await c.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name')).rows;
    await c.end();
    const files = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    const again = await openDatabase({ databaseUrl: a.url });
    expect(await applyMigrations(again.sql)).toEqual([]);
    await again.close();
  });

  it('the embedded PostgreSQL server keeps data across a restart on the same folder, and the applier refuses an edited migration', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-embedded-'));
    // Run as root, the server runs as `postgres`, which must enter the folder.
    fs.chmodSync(dir, 0o755);
    const options = { dir: path.join(dir, 'postgres'), port: await freePort(), passwordFile: path.join(dir, 'postgres.password') };
    const first = await startEmbeddedPostgres(options);
    try {
      const db1 = await openDatabase({ databaseUrl: await first.ensureDatabase('loanbridge'), migrate: true });
      await db1.prisma.bank.create({ data: { id: 'persisted-bank', name: 'Persisted', region: '330400' } });
      await db1.close();
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(options);
    try {
      const db2 = await openDatabase({ databaseUrl: await second.ensureDatabase('loanbridge'), migrate: true });
      expect(await db2.prisma.bank.findUnique({ where: { id: 'persisted-bank' } })).not.toBeNull();
      // Tamper with a copy of the migrations folder: the applier must refuse, as Prisma does.
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-mig-'));
      fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true });
      const first = readMigrations(copy)[0]!;
      fs.appendFileSync(path.join(copy, first.name, 'migration.sql'), '\n-- edited\n');
      await expect(applyMigrations(db2.sql, copy)).rejects.toThrow(/edited after it was applied/);
      await db2.close();
      fs.rmSync(copy, { recursive: true, force: true });
    } finally {
      await second.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration whole and records nothing for it', async () => {
    const scratch = await createTestDatabase('lb_mig_bad');
    const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
    const runner = db.sql;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bad-'));
    try {
      fs.mkdirSync(path.join(dir, '001_bad'));
      fs.writeFileSync(path.join(dir, '001_bad', 'migration.sql'), 'CREATE TABLE t1 (id int); SELECT no_such_function();');
      await expect(applyMigrations(runner, dir)).rejects.toThrow(/001_bad failed/);
      expect((await runner.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename='t1'"))[0]!.n).toBe(0);
      expect((await runner.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"'))[0]!.n).toBe(0);
    } finally {
      await db.close();
      await scratch.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
