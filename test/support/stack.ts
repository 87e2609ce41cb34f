// The real stack for integration tests: a Temporal dev server, a fresh PostgreSQL database, the
// worker and the API on an ephemeral port.
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readEnv } from '../../config/env';
import { seedDemoData } from '../../prisma/seed';
import { startStack, type Stack } from '../../scripts/stack';
import { createTestDatabase, type TestDatabase } from './postgres';
import { localTemporal } from './temporal';

export interface TestStack extends Stack {
  testEnv: TestWorkflowEnvironment;
  database: TestDatabase;
  /** fetch against the API, JSON in and out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestStack(taskQueue = `tq-${Math.random().toString(36).slice(2, 8)}`): Promise<TestStack> {
  const testEnv = await localTemporal();
  const database = await createTestDatabase();
  const env = {
    ...readEnv({}),
    temporalAddress: testEnv.address,
    databaseUrl: database.url,
    taskQueue,
    dataDir: path.join(os.tmpdir(), 'loanbridge-test'),
  };
  // The data-source simulator runs in-process on an ephemeral port (test files run in parallel).
  const stack = await startStack({ env, apiPort: 0, dataSourceEnv: {}, simulatorPort: 0 });
  await seedDemoData(stack.db.prisma);
  return {
    ...stack,
    testEnv,
    database,
    async api(method, p, body, headers = {}) {
      const res = await fetch(stack.apiUrl + p, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await stack.stop();
      await database.drop();
      await testEnv.teardown();
    },
  };
}
