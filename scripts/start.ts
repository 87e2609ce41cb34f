// npm start: the whole system on embedded defaults (see README): one Node process runs the API and
// the worker; Temporal's dev server and PostgreSQL run as its child processes. Ctrl-C stops every
// part; if npm start is killed outright, scripts/orphans.ts sees that none of them lingers.
import fs from 'node:fs';
import path from 'node:path';
import { readEnv } from '../config/env';
import { logger } from '../config/logger';
import { DEMO_BANKS, DEMO_ENTERPRISE_ID, DEMO_KEYS, DEMO_PRINCIPALS } from '../prisma/seed';
import { claimDataDir, launchers, recordChild, releaseDataDir, startWatchdog, watchLaunchers } from './orphans';
import { startStack } from './stack';

/** A path relative to the working folder when it lies inside it. */
const shown = (p: string) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p));

async function main() {
  const env = readEnv();
  fs.mkdirSync(env.dataDir, { recursive: true });
  await claimDataDir(env.dataDir, env.postgresDir, (message) => console.log(message));
  const stopWatchdog = startWatchdog(env.dataDir);
  const release = () => {
    releaseDataDir(env.dataDir);
    stopWatchdog();
  };
  const stack = await startStack({
    env,
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    temporalUiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    persistTemporal: true,
    postgresPort: Number(process.env.EMBEDDED_PG_PORT ?? 5433),
    durablePostgres: true,
    onChild: (name, pid) => recordChild(env.dataDir, name, pid, name === 'postgres' ? 'INT' : 'TERM'),
    simulatorPort: Number(process.env.DATASOURCE_SIMULATOR_PORT ?? 4010),
    seedDemo: !env.databaseUrl || process.env.SEED_DEMO === '1',
  }).catch((err: unknown) => {
    release();
    throw err;
  });
  let stopping = false;
  const seeded = !env.databaseUrl || process.env.SEED_DEMO === '1';
  const demoUsers = seeded
    ? `
Demo users (dev data only — never seeded into a production database):
${DEMO_PRINCIPALS.map((p) => {
  const who = p.role === 'bank' ? `bank:${p.bankId}` : p.role;
  return `  ${who.padEnd(22)} API key ${DEMO_KEYS[who]}${p.email ? `   sign-in ${p.email} / ${p.password}` : ''}`;
}).join('\n')}
`
    : '';
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping API, worker, simulator, database and Temporal…`);
    await stack.stop();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  watchLaunchers(launchers(), (pid) => void stop(`the command that launched npm start (pid ${pid}) is gone`));
  console.log(`
loanbridge is up
  API          ${stack.apiUrl}   (health: ${stack.apiUrl}/healthz)
  API docs     ${stack.apiUrl}/docs   (OpenAPI: ${stack.apiUrl}/openapi.json)
  Dev inbox    ${stack.apiUrl}/dev/inbox   (what SMS/e-mail would have sent; served while no SMTP/SMS credentials are set)
  Loan code    ${stack.apiUrl}/l/<code>   (public form; banks create codes with POST /v1/loan-codes)
  Dashboard    ${stack.apiUrl}/dashboard   (supervisors sign in)
  Workbench    ${stack.apiUrl}/app/   (banks and guarantee institutions sign in, e.g. officer@hecheng-rcb.example / bank-demo-password)
  Temporal UI  ${stack.temporalUiUrl ?? '(external cluster)'}
  Temporal     ${stack.temporalAddress}
  Database     ${stack.postgres ? `embedded PostgreSQL ${stack.postgres.urlOf('loanbridge').replace(/:[^:@/]+@/, '@')}   (data ${shown(env.postgresDir)}, password in ${shown(env.postgresPasswordFile)})` : 'PostgreSQL (DATABASE_URL)'}
  Credit data  ${stack.simulator ? `${stack.simulator.url}   (embedded data-source simulator)` : `${stack.dataSourceUrl}   (DATASOURCE_* configuration)`}

${demoUsers}
Try it (demo enterprise ${DEMO_ENTERPRISE_ID}, banks ${DEMO_BANKS.map((b) => b.id).join(', ')}):
  curl -s -X POST ${stack.apiUrl}/v1/financing-requests -H 'Content-Type: application/json' -H "Idempotency-Key: demo-$(date +%s)" \\
    -H 'Authorization: Bearer ${DEMO_KEYS.enterprise ?? '<enterprise API key>'}' \\
    -d '{"amountFen":300000000,"termMonths":12,"purpose":"working capital","guaranteeMethod":"credit","routing":"directed","directedBankIds":["hecheng-rcb"]}'
Press Ctrl-C to stop.
`);
}

main().catch((err) => {
  logger.error({ err }, 'start failed');
  process.exit(1);
});
