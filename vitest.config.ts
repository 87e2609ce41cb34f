import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests (fakes allowed), integration tests against real parts
// (Temporal dev / time-skipping server, the embedded PostgreSQL server npm start runs, SMTP, HTTP),
// and the reliability suite (faults, races, fuzzing; npm run test:reliability, docs/operations.md).
/** One embedded PostgreSQL server for the run (or TEST_PG_URL), shared by the integration and reliability projects. */
const globalSetup = ['test/support/globalPostgres.ts'];
/**
 * The reliability suite takes about 9 minutes on two cores, most of it the system's own recovery
 * (a 2-minute notification lease after a SIGKILL, backoff after a database cut). `npm test` runs
 * the 'ci' profile of it (about 7 minutes): every fault, fewer requests in flight
 * (docs/operations.md, "Reliability suite"). `vitest run --project reliability` or a path under
 * test/reliability runs the 'full' profile.
 */
const fullReliability = process.argv.some((a) => /(^|=)reliability$/.test(a) || a.includes('test/reliability'));

/**
 * Quiet hours off unless a test sets them: otherwise every non-urgent SMS planned between 22:00 and
 * 08:00 Shanghai waits for the morning and a test waiting for it fails ten hours a day. The tests
 * of quiet hours set their window explicitly (test/unit/notifications/outbox.test.ts,
 * test/integration/notifications/quiet-hours.test.ts).
 */
const testEnv = { NOTIFY_QUIET_HOURS: process.env.NOTIFY_QUIET_HOURS ?? 'off' };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env: testEnv } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file starts its own servers; two cores: run files one after another.
          fileParallelism: false,
          env: testEnv,
        },
      },
      {
        test: {
          // Faults (worker SIGKILL, Temporal restart, database cut), races and fuzzing: test/reliability/.
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          testTimeout: 600_000,
          hookTimeout: 180_000,
          // One file at a time: three fault tests at once starved workflow tasks on two cores.
          fileParallelism: false,
          // `npm test` (CI) runs the fast profile; `npm run test:reliability` or naming a file runs it all.
          env: { ...testEnv, RELIABILITY_PROFILE: process.env.RELIABILITY_PROFILE ?? (fullReliability ? 'full' : 'ci') },
          // After unit and integration (group 0), not beside them: timing faults on 2 shared cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
