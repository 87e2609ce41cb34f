import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (fakes allowed) and integration tests against real parts
// (Temporal dev / time-skipping server, PostgreSQL on 127.0.0.1:5432, SMTP, HTTP).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file starts its own servers; two cores: run files one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
