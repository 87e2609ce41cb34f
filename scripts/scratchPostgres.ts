// The PostgreSQL server on which tests and benchmarks create throw-away databases: TEST_PG_URL (a
// test run's globalSetup sets it to the embedded server it started, test/support/globalPostgres.ts),
// else an embedded server started for this process in a temporary folder, stopped by
// stopScratchPostgres() (or, failing that, when the process exits).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from './embeddedPostgres';
import { freePort } from './ports';

/** Throw-away clusters: no fsync, room for the connection pools of a whole stack per test file. */
export async function startScratchPostgres(prefix = 'lb-pg-'): Promise<RunningPostgres & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // Run as root, the server runs as `postgres`, which must enter the folder.
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dir: path.join(dir, 'postgres'),
    port: await freePort(),
    durable: false,
    maxConnections: 300,
    logFile: path.join(dir, 'postgres.log'),
  });
  return {
    ...pg,
    dir,
    async stop() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let own: ReturnType<typeof startScratchPostgres> | undefined;

/** Administrator URL of the scratch server. */
export async function scratchAdminUrl(): Promise<string> {
  if (process.env.TEST_PG_URL) return process.env.TEST_PG_URL;
  own ??= startScratchPostgres();
  return (await own).adminUrl;
}

/** Stops the server scratchAdminUrl() started for this process, if it did. */
export async function stopScratchPostgres(): Promise<void> {
  const pg = own;
  own = undefined;
  if (pg) await (await pg).stop();
}
