// The real stack for integration tests: a Temporal dev server, a fresh PostgreSQL database, the
// worker and the API on an ephemeral port.
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createApiKey } from '../../api/auth/apiKeys';
import type { ApiConfig } from '../../api/deps';
import { readEnv } from '../../config/env';
import { DEMO_KEYS, seedDemoData } from '../../prisma/seed';
import { startStack, type Stack } from '../../scripts/stack';
import { createTestDatabase, type TestDatabase } from './postgres';
import { apiCall, guardApiFetch } from './http';
import { localTemporal } from './temporal';

export interface TestStack extends Stack {
  testEnv: TestWorkflowEnvironment;
  database: TestDatabase;
  /** fetch against the API, JSON in and out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Authorization header of a seeded demo principal: 'admin', 'supervisor', 'enterprise',
 * 'guaranteeInstitution' or 'bank:<bankId>' (prisma/seed.ts DEMO_KEYS).
 */
export function as(who: string): Record<string, string> {
  const key = DEMO_KEYS[who];
  if (!key) throw new Error(`no demo principal ${who}`);
  return { authorization: `Bearer ${key}` };
}

export async function startTestStack(
  opts: {
    taskQueue?: string;
    apiConfig?: Partial<ApiConfig>;
    /** e.g. TWILIO_* of a Twilio-speaking test server */ notificationEnv?: Record<string, string | undefined>;
  } = {},
): Promise<TestStack> {
  const taskQueue = opts.taskQueue ?? `tq-${Math.random().toString(36).slice(2, 8)}`;
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
  const stack = await startStack({ env, apiPort: 0, dataSourceEnv: {}, simulatorPort: 0, apiConfig: opts.apiConfig, notificationEnv: opts.notificationEnv });
  await seedDemoData(stack.db.prisma);
  guardApiFetch(stack.apiUrl);
  return {
    ...stack,
    testEnv,
    database,
    api: (method, p, body, headers) => apiCall(stack.apiUrl, method, p, body, headers),
    async close() {
      await stack.stop();
      await database.drop();
      await testEnv.teardown();
    },
  };
}

const keyCache = new Map<string, Record<string, string>>();

/** Authorization header of a (created on first use) principal of any organisation: tests with their own enterprises and banks. */
export async function asOrg(
  prisma: TestStack['db']['prisma'],
  org:
    | { role: 'enterprise'; enterpriseId: string }
    | { role: 'bank'; bankId: string; region?: string }
    | { role: 'guaranteeInstitution'; guaranteeInstitutionId: string },
): Promise<Record<string, string>> {
  const cacheKey = JSON.stringify(org);
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const principal = await prisma.principal.create({ data: { id: randomUUID(), name: `test ${cacheKey}`, ...org } });
  const key = await createApiKey(prisma, principal.id, 'test');
  const headers = { authorization: `Bearer ${key.key}` };
  keyCache.set(cacheKey, headers);
  return headers;
}
