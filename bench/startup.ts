// npm run bench:start [-- --idle 30]
// `npm start` as a new user runs it, in a scratch data folder on free ports: the time from the
// command to a healthy /healthz on an empty folder (first start: initdb, migrations, seed) and
// again on the same folder (restart), and the memory of every process of the running stack (npm,
// tsx, the Node process, Temporal, PostgreSQL and its backends) after it has idled.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { commandLine, descendants, memoryOf } from '../scripts/procfs';
import { arg, figure } from './support';

const IDLE_S = arg('idle', 30);
const MiB = 1024 * 1024;
const root = path.resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startOnce(env: NodeJS.ProcessEnv, apiUrl: string, log: string): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  // Its own process group, stopped as a terminal's Ctrl-C stops it (SIGINT to the group).
  const out = fs.openSync(log, 'a');
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`npm start exited before it was healthy (see ${log})`);
    const ok = await fetch(`${apiUrl}/healthz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, ms: performance.now() - t0 };
    if (performance.now() - t0 > 180_000) throw new Error(`not healthy within 3 minutes (see ${log})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGINT');
  const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  await done;
  clearTimeout(t);
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-bench-start-'));
  // PostgreSQL runs as the `postgres` user when this runs as root: it must reach the folder.
  fs.chmodSync(scratch, 0o755);
  const dataDir = path.join(scratch, 'data');
  const log = path.join(scratch, 'start.log');
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOANBRIDGE_DATA_DIR: dataDir,
    PORT: String(apiPort),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATASOURCE_SIMULATOR_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
  };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'LOG_LEVEL', 'WORKER_METRICS_PORT']) delete env[k];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  console.log(`# scratch folder ${scratch}`);
  try {
    const first = await startOnce(env, apiUrl, log);
    figure('start_to_healthy_first', first.ms / 1000, 's');
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const pids = [first.child.pid!, ...descendants(first.child.pid!)];
    for (const pid of pids) {
      const m = memoryOf([pid]);
      console.log(
        `# ${String(pid).padStart(7)} ${(m.rss / MiB).toFixed(0).padStart(5)} MiB RSS ${(m.pss / MiB).toFixed(0).padStart(5)} MiB PSS  ${commandLine(pid).slice(0, 110)}`,
      );
    }
    const idle = memoryOf(pids);
    figure('idle_processes', pids.length);
    figure('idle_pss_sum', idle.pss / MiB, 'MiB');
    await stop(first.child);
    const again = await startOnce(env, apiUrl, log);
    figure('start_to_healthy_restart', again.ms / 1000, 's');
    await stop(again.child);
    figure('idle_rss_sum', idle.rss / MiB, 'MiB');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
