// Shared by the benchmarks: the embedded stack in a scratch folder, percentiles, output lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnv } from '../config/env';
import { startStack, type Stack } from '../scripts/stack';

/** Starts what a benchmark needs: the embedded stack, or TEMPORAL_ADDRESS / DATABASE_URL when set. */
export async function benchStack(): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loanbridge-bench-'));
  // Run as root, the embedded PostgreSQL server runs as `postgres`, which must enter the folder.
  fs.chmodSync(dataDir, 0o755);
  const env = {
    ...readEnv(),
    dataDir,
    postgresDir: path.join(dataDir, 'postgres'),
    postgresPasswordFile: path.join(dataDir, 'postgres.password'),
    taskQueue: `bench-${process.pid}`,
  };
  // Scripted actors poll far faster than people: the per-principal rate limit would measure itself.
  return startStack({
    env,
    apiPort: 0,
    temporalPort: 17233 + (process.pid % 1000),
    seedDemo: true,
    apiConfig: { rateLimits: { perPrincipalPerMinute: 1_000_000, publicPerIpPerMinute: 1_000_000 } },
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** One figure per line: `name: value unit`. */
export function figure(name: string, value: number | string, unit = ''): void {
  console.log(`${name}: ${typeof value === 'number' ? (Number.isInteger(value) ? value : value.toFixed(2)) : value}${unit ? ` ${unit}` : ''}`);
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs fn over items with at most `concurrency` at once. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
