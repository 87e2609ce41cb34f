// A throw-away PostgreSQL database with the committed migrations applied: for integration tests
// and the benchmark (CREATE DATABASE on the server at ADMIN_URL, DROP ... WITH (FORCE) afterwards).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '../prisma/database';
import type { PrismaClient } from '../generated/prisma/client';

export const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function createScratchDatabase(prefix = 'nt', poolSize = 30): Promise<{ databaseUrl: string; prisma: PrismaClient; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ databaseUrl, migrate: true, poolSize });
  return {
    databaseUrl,
    prisma: db.prisma,
    async drop() {
      await db.close();
      const a = new Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
