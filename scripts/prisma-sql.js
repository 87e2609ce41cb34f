// Turns a Prisma schema into PostgreSQL DDL offline, with Prisma's own differ: Prisma 6.19's
// WebAssembly schema engine (devDependency `prisma-wasm` = prisma@6.19.3, `engine: "js"`), which
// needs no native binary. Prisma 7's CLI would download a native engine, impossible offline.
// Used by `npm run db:migration:new` and by the schema/migration drift test.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Prisma 6 wants `url` in the datasource block; Prisma 7 keeps it in prisma.config.ts. */
function toPrisma6Schema(text) {
  return text.replace(/datasource\s+db\s*{([^}]*)}/, (m, body) =>
    /\burl\s*=/.test(body) ? m : `datasource db {${body.replace(/\s*$/, '')}\n  url = env("DATABASE_URL")\n}`,
  );
}

/**
 * SQL that takes a database from schema `fromText` (null: empty) to schema `toText`.
 * @param {string|null} fromText
 * @param {string} toText
 * @param {string} databaseUrl any PostgreSQL server (the diff connects to it but changes nothing)
 */
function diffSchemas(fromText, toText, databaseUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loanbridge-prisma-'));
  try {
    fs.writeFileSync(path.join(dir, 'to.prisma'), toPrisma6Schema(toText));
    if (fromText !== null) fs.writeFileSync(path.join(dir, 'from.prisma'), toPrisma6Schema(fromText));
    // Prisma insists on a connected adapter even for a schema-to-schema diff: the app's own, on a real server.
    fs.writeFileSync(
      path.join(dir, 'prisma.config.js'),
      `module.exports = { engine: 'js', experimental: { adapter: true }, schema: ${JSON.stringify(path.join(dir, 'to.prisma'))},
        adapter: async () => { const { PrismaPg } = require(${JSON.stringify(require.resolve('@prisma/adapter-pg'))});
          return new PrismaPg({ connectionString: ${JSON.stringify(databaseUrl)} }); } };`,
    );
    const args = [
      require.resolve('prisma-wasm/build/index.js'),
      'migrate',
      'diff',
      '--config',
      path.join(dir, 'prisma.config.js'),
      ...(fromText === null ? ['--from-empty'] : ['--from-schema-datamodel', path.join(dir, 'from.prisma')]),
      '--to-schema-datamodel',
      path.join(dir, 'to.prisma'),
      '--script',
    ];
    const env = {
      ...process.env,
      DATABASE_URL: 'postgresql://offline@localhost/offline',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      // Prisma 6 checks these files exist before it decides it does not need them.
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    };
    return execFileSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { diffSchemas, toPrisma6Schema, root };
