// ENV_VARS (config/env.ts) is the list operators and the compose test rely on: every variable the
// product code reads (as env.NAME or process.env.NAME) must be on it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../config/env';

const ROOT = path.resolve(__dirname, '../..');
const PRODUCT_DIRS = [
  'activities',
  'api',
  'config',
  'datasources',
  'domain',
  'notifications',
  'observability',
  'prisma',
  'queries',
  'reports',
  'scripts',
  'worker',
  'workflows',
];

/** Install-time variables (LOANBRIDGE_SKIP_TOOLS, PYTHON; README) are no process's configuration. */
const INSTALL_TIME = ['scripts/postinstall.js'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'migrations' ? [] : sources(p);
    return /\.(ts|js)$/.test(d.name) && !INSTALL_TIME.includes(path.relative(ROOT, p)) ? [p] : [];
  });
}

/** Names read as env.NAME / env['NAME'], NAME in capitals (the per-source DATASOURCE_<SOURCE>_* names are built, not written). */
export function variablesRead(code: string): string[] {
  return [...code.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]{2,})/g)].map((m) => m[1]!);
}

describe('ENV_VARS', () => {
  it('finds names read either way', () => {
    expect(variablesRead("const a = process.env.SMTP_URL; f(env['TWILIO_FROM']); env.port")).toEqual(['SMTP_URL', 'TWILIO_FROM']);
  });

  it('lists every variable the product code reads', () => {
    const missing = new Set<string>();
    for (const dir of PRODUCT_DIRS)
      for (const file of sources(path.join(ROOT, dir)))
        for (const name of variablesRead(fs.readFileSync(file, 'utf8')))
          if (!(ENV_VARS as readonly string[]).includes(name)) missing.add(`${name} (${path.relative(ROOT, file)})`);
    expect([...missing]).toEqual([]);
  });
});
