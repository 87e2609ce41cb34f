// `npm start` killed outright (SIGKILL), as a new user's machine might do it: nothing it started
// lingers unnoticed, and the next `npm start` on the same data folder resumes every request the API
// acknowledged. The real command on a scratch data folder and free ports; three kills, one per
// path that ends the servers: the next start finding them (the watchdog was killed too), the
// watchdog (only npm start's Node process killed), and npm start stopping itself when the `npm`
// process that launched it is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../prisma/seed';
import { freePort } from '../../scripts/ports';
import { commandLine, descendants, isAlive } from '../../scripts/procfs';
import { eventually } from '../support/eventually';
import { apiCall } from '../support/http';

const root = path.resolve(__dirname, '../..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-start-kill-'));
// Run as root, PostgreSQL runs as `postgres`, which must enter the folder.
fs.chmodSync(scratch, 0o755);
const dataDir = path.join(scratch, 'data');
const enterprise = { authorization: `Bearer ${DEMO_KEYS.enterprise}` };
const bank = { authorization: `Bearer ${DEMO_KEYS['bank:hecheng-rcb']}` };

interface Started {
  npm: ChildProcess;
  /** npm start's Node process (the one that owns the servers), from data/run/start.pid. */
  node: number;
  temporal: number;
  postgres: number;
  watchdog: number;
  output: () => string;
}

let env: NodeJS.ProcessEnv;
let apiUrl: string;
const everyNpm: ChildProcess[] = [];

const recorded = (name: string) => Number(fs.readFileSync(path.join(dataDir, 'run', `${name}.pid`), 'utf8').split(' ')[0]);

/** Processes of any npm start on the scratch folder (servers name it in their arguments). */
function processesOnScratch(): string[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid && isAlive(Number(p)))
    .map((p) => `${p} ${commandLine(Number(p))}`)
    .filter((line) => line.includes(scratch));
}

async function npmStart(): Promise<Started> {
  let out = '';
  const npm = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  everyNpm.push(npm);
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const output = () => out;
  const until = Date.now() + 150_000;
  for (;;) {
    if (npm.exitCode !== null || npm.signalCode !== null) throw new Error(`npm start exited (${npm.exitCode ?? npm.signalCode}):\n${out.slice(-3000)}`);
    const status = await fetch(`${apiUrl}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > until) throw new Error(`npm start not healthy within 150 s (last /healthz ${status}):\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const node = recorded('start');
  const watchdog = descendants(node).find((pid) => commandLine(pid).includes('watchdog.sh'));
  expect(watchdog, 'npm start runs its watchdog').toBeDefined();
  return { npm, node, temporal: recorded('temporal'), postgres: recorded('postgres'), watchdog: watchdog!, output };
}

/**
 * Publishes as the demo enterprise, 3 at a time, until stopped or the API stops answering; `acked`
 * holds the ids it answered 201 for, `unexpected` any other answer.
 */
function publisher(tag: string) {
  const acked: string[] = [];
  const unexpected: string[] = [];
  let stopped = false;
  let n = 0;
  const done = Promise.all(
    Array.from({ length: 3 }, async () => {
      while (!stopped) {
        const key = `kill-test-${tag}-${n++}`;
        let r;
        try {
          r = await apiCall(
            apiUrl,
            'POST',
            '/v1/financing-requests',
            {
              amountFen: 300_000_000,
              termMonths: 12,
              purpose: `kill test ${key}`,
              guaranteeMethod: 'credit',
              routing: 'directed',
              directedBankIds: ['hecheng-rcb'],
            },
            { ...enterprise, 'Idempotency-Key': key },
          );
        } catch {
          return; // killed mid-call: not acknowledged
        }
        if (r.status === 201) acked.push(r.body.id as string);
        else unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
      }
    }),
  );
  return { acked, unexpected, done, stop: () => (stopped = true) };
}

/** Each request resumed: its workflow wrote its row, and the bank's accept (an update the worker runs) goes through. */
async function expectResumed(ids: string[]): Promise<void> {
  for (const id of ids) {
    await eventually(
      () => apiCall(apiUrl, 'POST', `/v1/financing-requests/${id}/accept`, {}, { ...bank, 'Idempotency-Key': `accept-${id}` }),
      (r) => r.status === 200 || r.status === 201,
      60_000,
    );
  }
  await eventually(
    async () => Promise.all(ids.map(async (id) => (await apiCall(apiUrl, 'GET', `/v1/financing-requests/${id}`, undefined, enterprise)).body?.stage)),
    (stages) => stages.every((s) => s === 'accepted'),
    60_000,
  );
}

const killed = (pids: number[]) => pids.filter((pid) => isAlive(pid));

describe('npm start killed with SIGKILL', () => {
  afterAll(async () => {
    // Whatever failed: nothing of this test may outlive it.
    for (const npm of everyNpm) {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const line of processesOnScratch()) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('leaves no server running unnoticed, and the next start resumes every acknowledged request', async () => {
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    env = {
      ...process.env,
      LOANBRIDGE_DATA_DIR: dataDir,
      PORT: String(apiPort),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATASOURCE_SIMULATOR_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    // As a user runs it: its own servers, its logs on its output (not the test log files, config/logger.ts).
    for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
    for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'WORKER_METRICS_PORT', 'TEST_PG_URL', 'NODE_OPTIONS', 'LOG_FILE']) delete env[k];

    // 1. npm start's Node process and its watchdog die while requests are being published: the
    //    servers are left running, and the next start must find them, say so and stop them.
    const first = await npmStart();
    const firstBatch = publisher('first');
    await eventually(
      async () => firstBatch.acked.length,
      (n) => n >= 12,
      60_000,
    );
    process.kill(first.watchdog, 'SIGKILL');
    process.kill(first.node, 'SIGKILL');
    await firstBatch.done;
    expect(firstBatch.unexpected).toEqual([]);
    await eventually(
      async () => first.npm.exitCode ?? first.npm.signalCode,
      (v) => v !== null,
      20_000,
    );
    expect(isAlive(first.temporal) && isAlive(first.postgres), 'servers outlive a killed npm start and its watchdog').toBe(true);

    const second = await npmStart();
    expect(second.output()).toContain(`found the temporal server (pid ${first.temporal}) still running`);
    expect(second.output()).toContain(`found the postgres server (pid ${first.postgres}) still running`);
    expect(killed([first.temporal, first.postgres])).toEqual([]);
    await expectResumed(firstBatch.acked);

    // 2. Only the Node process dies: the watchdog stops the servers within seconds.
    const secondBatch = publisher('second');
    await eventually(
      async () => secondBatch.acked.length,
      (n) => n >= 6,
      60_000,
    );
    process.kill(second.node, 'SIGKILL');
    await secondBatch.done;
    expect(secondBatch.unexpected).toEqual([]);
    await eventually(
      async () => killed([second.temporal, second.postgres, second.watchdog]),
      (alive) => alive.length === 0,
      30_000,
    );

    // 3. The `npm` process that launched npm start dies: npm start stops everything itself.
    const third = await npmStart();
    expect(third.output()).not.toContain('still running');
    await expectResumed(secondBatch.acked);
    process.kill(third.npm.pid!, 'SIGKILL');
    await eventually(
      async () => killed([third.node, third.temporal, third.postgres, third.watchdog]),
      (alive) => alive.length === 0,
      60_000,
    );
    expect(processesOnScratch()).toEqual([]);
  }, 420_000);
});
