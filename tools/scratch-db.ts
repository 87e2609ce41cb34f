// A throw-away PostgreSQL database with the committed migrations applied: for integration tests
// and the benchmark (CREATE DATABASE on the scratch server, scripts/scratchPostgres.ts; DROP ...
// WITH (FORCE) afterwards).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '../prisma/database';
import type { PrismaClient } from '../generated/prisma/client';
import { scratchAdminUrl } from '../scripts/scratchPostgres';

export async function createScratchDatabase(prefix = 'nt', poolSize = 30): Promise<{ databaseUrl: string; prisma: PrismaClient; drop(): Promise<void> }> {
  const ADMIN_URL = await scratchAdminUrl();
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
