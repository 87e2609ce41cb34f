// npm run check:openapi [-- --url http://127.0.0.1:3000] [--seconds 60]: an independent,
// property-based check of the API against its own /openapi.json, from outside: Schemathesis (PyPI,
// pinned below, installed into node_modules/.cache on first use) generates calls from the document
// and checks every answer (no 5xx, status and content type documented, body valid against its
// schema, required headers, 405 for unsupported methods, auth really required…). It runs once per
// kind of caller (the demo principals' API keys). Without --url it starts a stack of its own: a
// Temporal dev server, a fresh database on TEST_PG_URL, the worker and the API on a free port.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEMO_KEYS } from '../prisma/seed';
import { startTestStack } from '../test/support/stack';

const SCHEMATHESIS = 'schemathesis==4.32.5';
const VENV = path.join(__dirname, '..', 'node_modules', '.cache', 'schemathesis');
const CALLERS = ['enterprise', 'bank:hecheng-rcb', 'guaranteeInstitution', 'supervisor', 'admin'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function ensureSchemathesis(): string {
  const st = path.join(VENV, 'bin', 'st');
  if (existsSync(st)) return st;
  const python = process.env.PYTHON ?? 'python3';
  for (const cmd of [
    [python, '-m', 'venv', VENV],
    [path.join(VENV, 'bin', 'pip'), 'install', '--quiet', SCHEMATHESIS],
  ]) {
    const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed`);
  }
  return st;
}

function run(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => spawn(cmd, args, { stdio: 'inherit' }).on('error', reject).on('exit', resolve));
}

async function main(): Promise<void> {
  const st = ensureSchemathesis();
  const seconds = Number(arg('seconds') ?? 60);
  let url = arg('url');
  let stop = async () => undefined as void;
  if (!url) {
    const stack = await startTestStack({ apiConfig: { rateLimits: { perPrincipalPerMinute: 10_000_000, publicPerIpPerMinute: 10_000_000 } } });
    url = stack.apiUrl;
    stop = () => stack.close();
  }
  let failed = 0;
  try {
    for (const who of CALLERS) {
      console.log(`\n== schemathesis as ${who} against ${url} (${seconds} s)`);
      // Not spawnSync: the API of our own stack runs in this process and must keep answering.
      const status = await run(st, [
        'run',
        `${url}/openapi.json`,
        '--checks',
        'all',
        // Not "schema-valid data must be accepted": cross-field rules (a pool request names no bank,
        // a period ends after it starts), opaque cursors and state (a taken e-mail) refuse data the
        // JSON Schema allows, with documented 4xx answers.
        '--exclude-checks',
        'positive_data_acceptance',
        '--max-time',
        String(seconds),
        '--workers',
        '2',
        '--header',
        `Authorization: Bearer ${DEMO_KEYS[who]}`,
        '--generation-unique-inputs',
      ]);
      if (status !== 0) failed += 1;
    }
  } finally {
    await stop();
  }
  console.log(failed ? `\nschemathesis found problems in ${failed} of ${CALLERS.length} runs` : '\nschemathesis: nothing found');
  process.exit(failed ? 1 : 0);
}

void main();
