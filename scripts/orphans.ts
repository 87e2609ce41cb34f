// npm start owns its data folder while it runs. data/run/ records it (start.pid) and the server
// processes it spawns (temporal.pid, postgres.pid: pid, start time, stop signal). If npm start is
// killed without stopping them (SIGKILL, out of memory), a watchdog shell (watchdog.sh) stops them
// within seconds; if that was killed too, the next npm start finds them here, says so and stops
// them before it starts its own (stopping, not adopting: the old servers may listen on other ports,
// and a fresh start takes seconds on the same data). A second npm start on a folder whose owner
// still runs is refused. And when the commands that launched npm start (npm, sh, tsx) die, npm
// start stops itself, like on Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, isAlive, parentOf, startTime } from './procfs';

interface RunRecord {
  name: string;
  pid: number;
  startTime: number;
  /** Signal name without SIG (the watchdog's `kill -s` takes it). */
  signal: string;
}

const runDir = (dataDir: string) => path.join(dataDir, 'run');

function readRecord(file: string): RunRecord | undefined {
  try {
    const [pid, start, signal] = fs.readFileSync(file, 'utf8').trim().split(/\s+/);
    return { name: path.basename(file, '.pid'), pid: Number(pid), startTime: Number(start), signal: signal ?? 'TERM' };
  } catch {
    return undefined;
  }
}

/** Still the very process recorded: pids are reused, so the start time must match too. */
const running = (r: RunRecord) => isAlive(r.pid) && startTime(r.pid) === r.startTime;

function record(dataDir: string, name: string, pid: number, signal: string): void {
  fs.mkdirSync(runDir(dataDir), { recursive: true });
  fs.writeFileSync(path.join(runDir(dataDir), `${name}.pid`), `${pid} ${startTime(pid)} ${signal}\n`);
}

/** Server processes still running from an earlier npm start on this folder. */
function leftovers(dataDir: string, postgresDir: string): RunRecord[] {
  const dir = runDir(dataDir);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pid') && f !== 'start.pid') : [];
  const found = files.map((f) => readRecord(path.join(dir, f))).filter((r): r is RunRecord => r !== undefined && running(r));
  // PostgreSQL's own lock file also names a server npm start was killed before it could record.
  const lock = path.join(postgresDir, 'postmaster.pid');
  const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, 'utf8').split('\n')[0]) : NaN;
  if (pid > 0 && isAlive(pid) && commandLine(pid).includes(postgresDir) && !found.some((r) => r.pid === pid))
    found.push({ name: 'postgres', pid, startTime: startTime(pid)!, signal: 'INT' });
  return found;
}

/**
 * Makes this process the owner of the data folder: refuses when another npm start owns it, and
 * stops the servers a killed one left running (telling `say` about each).
 */
export async function claimDataDir(dataDir: string, postgresDir: string, say: (message: string) => void): Promise<void> {
  const owner = readRecord(path.join(runDir(dataDir), 'start.pid'));
  if (owner && owner.pid !== process.pid && running(owner))
    throw new Error(`another npm start (pid ${owner.pid}) is running on ${dataDir}: stop it first (Ctrl-C there, or kill ${owner.pid})`);
  const left = leftovers(dataDir, postgresDir);
  for (const r of left) {
    say(`found the ${r.name} server (pid ${r.pid}) still running, left by an npm start that was killed${owner ? ` (pid ${owner.pid})` : ''}: stopping it`);
    process.kill(r.pid, `SIG${r.signal}` as NodeJS.Signals);
  }
  const until = Date.now() + 15_000;
  while (left.some(running)) {
    if (Date.now() > until) for (const r of left.filter(running)) process.kill(r.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(runDir(dataDir), { recursive: true, force: true });
  record(dataDir, 'start', process.pid, 'TERM');
}

/** Records a server process this npm start spawned, with the signal that stops it cleanly. */
export function recordChild(dataDir: string, name: string, pid: number, signal: 'INT' | 'TERM'): void {
  record(dataDir, name, pid, signal);
}

/** Ends the ownership after a clean stop. */
export function releaseDataDir(dataDir: string): void {
  fs.rmSync(runDir(dataDir), { recursive: true, force: true });
}

/** Starts the watchdog shell that stops the recorded servers if this process dies first; returns its stop. */
export function startWatchdog(dataDir: string): () => void {
  const child = spawn('sh', [path.join(__dirname, 'watchdog.sh'), String(process.pid), String(startTime(process.pid)), runDir(dataDir)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
}

/** The processes that launched this one for `npm start`: tsx, `sh -c tsx …`, npm (nearest first). */
export function launchers(): number[] {
  const out: number[] = [];
  for (let pid = process.ppid; pid > 1; pid = parentOf(pid) ?? 0) {
    const cmd = commandLine(pid);
    const launcher = /(^|\/)tsx(\.js)?( |$)|\/tsx\/dist\/cli|^(\/bin\/)?sh -c .*tsx |^npm( |$)|npm-cli\.js/.test(cmd);
    if (!launcher) break;
    out.push(pid);
    if (/^npm( |$)|npm-cli\.js/.test(cmd)) break;
  }
  return out;
}

/** Calls `onGone` once when any of the launchers dies (SIGKILL of npm leaves tsx and this process running). */
export function watchLaunchers(pids: number[], onGone: (pid: number) => void): void {
  const known = pids.map((pid) => ({ pid, start: startTime(pid) }));
  const timer = setInterval(() => {
    const gone = known.find((k) => !isAlive(k.pid) || startTime(k.pid) !== k.start);
    if (gone) {
      clearInterval(timer);
      onGone(gone.pid);
    }
  }, 1000);
  timer.unref();
}
