// A fresh database for one test file, dropped afterwards, on the scratch server: the embedded
// PostgreSQL the test run started (test/support/globalPostgres.ts), or TEST_PG_URL.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { scratchAdminUrl } from '../../scripts/scratchPostgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'lb_test'): Promise<TestDatabase> {
  const adminUrl = await scratchAdminUrl();
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
