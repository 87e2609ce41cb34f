// npm run bench:supervision [-- --n 100 --concurrency 1 --requests 100000 --enterprises 40000 --banks 50]
// Supervisor endpoints at Jiaxing scale: seeds (or reuses) the synthetic platform of
// bench/seed-platform.ts in PostgreSQL — DATABASE_URL, else the database loanbridge_bench on an
// embedded server kept in data/bench-postgres (the seed is reused) — starts the stack on it, then times
// every supervisor endpoint over HTTP with the demo supervisor's API key: p50/p95 per endpoint, the
// worst p95 last, and how many endpoints miss the 200 ms p95 target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnv } from '../config/env';
import { logger } from '../config/logger';
import { DEMO_KEYS } from '../prisma/seed';
import { startStack } from '../scripts/stack';
import { benchDatabase, JIAXING_SIZE, seedPlatform, type PlatformSize } from './seed-platform';
import { arg, figure, percentile, pool } from './support';

// Request logs would drown the figures; LOG_LEVEL=info brings them back.
logger.level = process.env.LOG_LEVEL ?? 'warn';

const N = arg('n', 100);
const CONCURRENCY = arg('concurrency', 1);
const WARMUP = 3;
/** Issue 7's target for every supervisor endpoint on this machine. */
const TARGET_P95_MS = 200;
const DAY = 86_400_000;

interface Endpoint {
  name: string;
  /** A path, or a function giving each call its own (to defeat answer caches). */
  path: string | ((i: number) => string);
  who?: string;
}

async function main() {
  const size: PlatformSize = {
    enterprises: arg('enterprises', JIAXING_SIZE.enterprises),
    requests: arg('requests', JIAXING_SIZE.requests),
    banks: arg('banks', JIAXING_SIZE.banks),
    productsPerBank: arg('products-per-bank', JIAXING_SIZE.productsPerBank),
  };
  const started = Date.now();
  const database = await benchDatabase();
  const databaseUrl = database.url;
  const seed = await seedPlatform(databaseUrl, size);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loanbridge-bench-supervision-'));
  const env = { ...readEnv(), databaseUrl, dataDir, taskQueue: `bench-supervision-${process.pid}`, logLevel: 'warn' };
  const stack = await startStack({
    env,
    apiPort: 0,
    temporalPort: 17233 + (process.pid % 1000),
    seedDemo: true,
    // One supervisor key calls thousands of times a minute here; the per-principal limit is for clients.
    apiConfig: { rateLimits: { perPrincipalPerMinute: 1_000_000, publicPerIpPerMinute: 1_000 } },
  });
  try {
    const call = async (p: string, who = 'supervisor', init: RequestInit = {}) => {
      const res = await fetch(stack.apiUrl + p, { ...init, headers: { authorization: `Bearer ${DEMO_KEYS[who]}`, ...(init.headers ?? {}) } });
      const body = await res.text();
      return { status: res.status, body };
    };

    // A push list by tag, pushed to a seeded bank and a demo bank, so the push endpoints read real rows.
    const post = (p: string, body: unknown) =>
      call(p, 'supervisor', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${p.replace(/[^A-Za-z0-9]/g, '-')}-${process.pid}` },
      });
    const list = await post('/v1/push-lists', { name: 'bench: 高新技术企业 high-tech', tags: ['high_tech'] });
    if (list.status !== 201) throw new Error(`push list → ${list.status} ${list.body}`);
    const listId = (JSON.parse(list.body) as { id: string; entryCount: number }).id;
    await post(`/v1/push-lists/${listId}/push`, { bankIds: ['jx-bank-01', 'hecheng-rcb'] });

    // A stuck request to drill into (its public timeline and claims), as the dashboard does.
    const stuck = await call('/v1/supervision/stuck?limit=1');
    const drillId = (JSON.parse(stuck.body) as { items: { requestId: string }[] }).items[0]?.requestId;
    if (!drillId) throw new Error(`no stuck request to drill into: ${stuck.status} ${stuck.body.slice(0, 300)}`);
    const today = new Date(seed.now);
    const d = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const endpoints: Endpoint[] = [
      { name: 'statistics_all_time_by_month', path: '/v1/statistics' },
      { name: 'statistics_90d_by_week', path: `/v1/statistics?from=${d(90)}&to=${d(0)}&bucket=week` },
      { name: 'statistics_30d_by_day', path: `/v1/statistics?from=${d(30)}&to=${d(0)}&bucket=day` },
      // Every call another period: the sums are computed from the day cells each time (no answer cache).
      {
        name: 'statistics_uncached_periods',
        path: (i) => {
          const k = Math.abs(i);
          return `/v1/statistics?from=${d(400 - (k % 300))}&to=${d(k % 7)}&bucket=${['day', 'week', 'month'][k % 3]}`;
        },
      },
      { name: 'push_lists', path: '/v1/push-lists' },
      { name: 'push_list', path: `/v1/push-lists/${listId}?entriesLimit=200` },
      { name: 'push_inbox_bank', path: '/v1/push-lists/inbox', who: 'bank:hecheng-rcb' },
      { name: 'supervision_stuck', path: '/v1/supervision/stuck' },
      { name: 'supervision_stuck_overdue_bank', path: '/v1/supervision/stuck?overdueOnly=true&bankId=jx-bank-01&sort=amount' },
      { name: 'supervision_assessment', path: '/v1/supervision/assessment' },
      { name: 'supervision_assessment_90d', path: `/v1/supervision/assessment?from=${d(90)}&to=${d(0)}` },
      { name: 'supervision_ranking', path: '/v1/supervision/ranking' },
      { name: 'supervision_ranking_90d', path: `/v1/supervision/ranking?from=${d(90)}&to=${d(0)}` },
      { name: 'supervision_ranking_me_bank', path: '/v1/supervision/ranking/me', who: 'bank:hecheng-rcb' },
      { name: 'supervision_stuck_crosscheck', path: '/v1/supervision/stuck/crosscheck' },
      { name: 'supervision_reports', path: '/v1/supervision/reports' },
      { name: 'request_drilldown', path: `/v1/financing-requests/${drillId}` },
    ];

    figure('database', new URL(databaseUrl).pathname.slice(1));
    figure('seed_reused', String(seed.reused));
    figure('seed_seconds', seed.seconds, 's');
    for (const [k, v] of Object.entries(seed.counts)) figure(`seed_${k}`, v, 'rows');
    figure('calls_per_endpoint', N, 'calls');
    figure('concurrency', CONCURRENCY, 'clients');

    let worst = { name: '', p95: -1 };
    let over = 0;
    for (const e of endpoints) {
      const at = (i: number) => (typeof e.path === 'string' ? e.path : e.path(i));
      // The first call may build caches (the statistics view): reported, not counted.
      const t0 = performance.now();
      const first = await call(at(-1), e.who);
      if (first.status !== 200) throw new Error(`${at(-1)} → ${first.status} ${first.body.slice(0, 300)}`);
      figure(`${e.name}_first_call`, performance.now() - t0, 'ms');
      for (let i = 0; i < WARMUP; i++) await call(at(-2 - i), e.who);
      const ms: number[] = [];
      await pool(
        Array.from({ length: N }, (_, i) => i),
        CONCURRENCY,
        async (i) => {
          const s = performance.now();
          const r = await call(at(i), e.who);
          ms.push(performance.now() - s);
          if (r.status !== 200) throw new Error(`${at(i)} → ${r.status} ${r.body.slice(0, 300)}`);
        },
      );
      const p95 = percentile(ms, 95);
      figure(`${e.name}_p50`, percentile(ms, 50), 'ms');
      figure(`${e.name}_p95`, p95, 'ms');
      if (p95 > worst.p95) worst = { name: e.name, p95 };
      if (p95 >= TARGET_P95_MS) over += 1;
    }
    figure('target_p95', TARGET_P95_MS, 'ms');
    figure('endpoints_at_or_over_target', over, `of ${endpoints.length}`);
    figure('total_seconds', (Date.now() - started) / 1000, 's');
    figure('worst_p95_endpoint', worst.name);
    figure('worst_p95', worst.p95, 'ms');
  } finally {
    await stack.stop();
    await database.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
