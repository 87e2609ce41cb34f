// The database of a one-off script (db:migrate, admin:create): DATABASE_URL, or the embedded cluster
// in the data folder — through the server npm start runs on it, else a server started for the
// script and stopped after it.
import fs from 'node:fs';
import path from 'node:path';
import type { Env } from '../config/env';
import { startEmbeddedPostgres } from './embeddedPostgres';
import { freePort } from './ports';
import { isAlive } from './procfs';

export async function scriptDatabaseUrl(env: Env): Promise<{ url: string; stop(): Promise<void> }> {
  if (env.databaseUrl) return { url: env.databaseUrl, stop: async () => undefined };
  // postmaster.pid: pid, data folder, start time, port, … (one per line).
  const lock = path.join(env.postgresDir, 'postmaster.pid');
  const lines = fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8').split('\n') : [];
  if (lines.length > 3 && isAlive(Number(lines[0]))) {
    const password = fs.readFileSync(env.postgresPasswordFile, 'utf8').trim();
    return { url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(lines[3])}/loanbridge`, stop: async () => undefined };
  }
  const pg = await startEmbeddedPostgres({
    dir: env.postgresDir,
    port: await freePort(),
    passwordFile: env.postgresPasswordFile,
    logFile: path.join(env.dataDir, 'postgres.log'),
  });
  return { url: await pg.ensureDatabase('loanbridge'), stop: () => pg.stop() };
}
