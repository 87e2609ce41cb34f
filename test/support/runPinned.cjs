#!/usr/bin/env node
// Runs vitest with every Node process's clock pinned: node test/support/runPinned.cjs <ISO instant> [vitest args…]
// e.g. npm run test:at -- 2026-10-03T23:30:00+08:00 test/integration/notifications
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const [at, ...args] = process.argv.slice(2);
if (!at || Number.isNaN(Date.parse(at))) {
  console.error('usage: npm run test:at -- <ISO instant, e.g. 2026-10-03T23:30:00+08:00> [vitest args…]');
  process.exit(2);
}
const preload = `--require ${path.join(__dirname, 'pinnedClock.cjs')}`;
const env = {
  ...process.env,
  LOANBRIDGE_PIN_CLOCK: new Date(at).toISOString(),
  LOANBRIDGE_PIN_CLOCK_SET_AT: String(Date.now()),
  NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
};
console.log(`[test:at] clocks pinned to ${env.LOANBRIDGE_PIN_CLOCK} (${new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} Shanghai)`);
const r = spawnSync('npx', ['vitest', 'run', ...args], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
