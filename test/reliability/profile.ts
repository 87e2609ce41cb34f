// Sizes of the reliability tests per profile (vitest.config.ts sets RELIABILITY_PROFILE): 'ci' for
// `npm test`, 'full' for `npm run test:reliability`. Each size can be set by its own variable.
export const PROFILE = process.env.RELIABILITY_PROFILE === 'ci' ? 'ci' : 'full';
const ci = PROFILE === 'ci';

const num = (name: string, full: number, inCi: number) => Number(process.env[name] ?? (ci ? inCi : full));

export const SIZES = {
  /** Whole journeys in flight when the worker is SIGKILLed: all of them run at once, so all are in flight. */
  killN: num('RELIABILITY_N', 200, 30),
  killConcurrency: num('RELIABILITY_CONCURRENCY', 200, 30),
  /** Journeys in flight when the Temporal server restarts. */
  restartN: num('RELIABILITY_RESTART_N', 40, 20),
  /** Journeys in flight when the database is cut. */
  dbcutN: num('RELIABILITY_DBCUT_N', 30, 30),
  /** Generated fuzz calls (at least 10,000 in both profiles). */
  fuzzCalls: num('FUZZ_CALLS', 10_000, 10_000),
  /** Stateful fuzz journeys (each a request's lifecycle, a product, a grant…) before the generated calls. */
  fuzzJourneys: num('FUZZ_JOURNEYS', 300, 100),
};
