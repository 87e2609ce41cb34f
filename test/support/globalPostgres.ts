// vitest globalSetup of the integration and reliability projects: one embedded PostgreSQL server
// (the engine npm start runs) for the whole test run, in a temporary folder; every test file creates
// its own databases on it (test/support/postgres.ts). TEST_PG_URL set beforehand names another
// server instead. Both projects list this file; the server is started once and stopped after both.
import { startScratchPostgres } from '../../scripts/scratchPostgres';

type Shared = { users: number; server: ReturnType<typeof startScratchPostgres> };
const g = globalThis as { __loanbridgeTestPostgres?: Shared };

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.TEST_PG_URL && !g.__loanbridgeTestPostgres) return;
  const shared = (g.__loanbridgeTestPostgres ??= { users: 0, server: startScratchPostgres('lb-test-pg-') });
  shared.users += 1;
  // Test workers are started after global setup and inherit this.
  process.env.TEST_PG_URL = (await shared.server).adminUrl;
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete g.__loanbridgeTestPostgres;
    delete process.env.TEST_PG_URL;
    await (await shared.server).stop();
  };
}
