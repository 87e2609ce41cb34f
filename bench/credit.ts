// Credit bench: (1) calibration of the scorecard on a synthetic population whose defaults come
// from a latent risk the scorecard never sees; (2) portrait throughput over real HTTP against the
// in-process simulator with 50–200 ms latency on each of the eight sources.
//
//   npx tsx bench/credit.ts [--n 10000] [--portraits 1000] [--concurrency 50] [--seed S]
//                           [--min-latency 50] [--max-latency 200]
//
// Output: one figure per line as `name: value unit`, the headline (AUC) last. Exit code 1 if the
// AUC is below 0.75 or grade default rates are not monotone.
import { auc, gradesMonotone, gradeTable, ks } from '../domain/credit/calibration';
import { assemblePortrait } from '../domain/credit/portrait';
import { industryPercentile, scoreRecords } from '../domain/credit/scorecard';
import { createDataSourceClients } from '../datasources/clients';
import { simulatorConfig } from '../datasources/config';
import { fetchAllSources } from '../datasources/fetch-all';
import { DEFAULT_SEED, generateEnterprise, syntheticCreditCodes } from '../datasources/simulator/generator';
import { startSimulatorThread } from '../datasources/simulator/thread';

const AUC_TARGET = 0.75;

function flag(name: string, fallback: number): number;
function flag(name: string, fallback: string): string;
function flag(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  if (raw === undefined) return fallback;
  if (typeof fallback === 'number') {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a non-negative number`);
    return v;
  }
  return raw;
}

const line = (name: string, value: string | number, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const fmt = (x: number, d = 4) => (Number.isNaN(x) ? 'n/a' : x.toFixed(d));

function calibration(n: number, seed: string, asOf: Date) {
  const started = Date.now();
  const pop = syntheticCreditCodes(n, seed).map((code) => {
    const e = generateEnterprise(code, asOf, seed);
    const s = scoreRecords(e.records, asOf);
    return { score: s.score, grade: s.grade, pd: s.probabilityOfDefault, defaulted: e.defaulted, industry: e.records.marketRegulation.industry };
  });
  const defaults = pop.filter((p) => p.defaulted).length;
  line('population', n, 'enterprises');
  line('population_seconds', fmt((Date.now() - started) / 1000, 2), 's');
  line('manufacturing_share', fmt((100 * pop.filter((p) => p.industry === 'C').length) / n, 1), '%');
  line('default_rate', fmt((100 * defaults) / n, 2), '%');
  line('mean_predicted_pd', fmt((100 * pop.reduce((s, p) => s + p.pd, 0)) / n, 2), '%');
  const rows = gradeTable(pop);
  for (const r of rows) {
    line(`grade_${r.grade}_share`, fmt((100 * r.count) / n, 1), '%');
    line(`grade_${r.grade}_default_rate`, fmt(100 * r.defaultRate, 2), `% (${r.defaults}/${r.count}, mean PD ${fmt(100 * r.meanPd, 2)} %)`);
  }
  const monotone = gradesMonotone(rows);
  line('grades_monotone', monotone ? 'yes' : 'NO');
  const sample = pop[0];
  if (sample)
    line(
      'example_industry_percentile',
      fmt(industryPercentile(sample.score, sample.industry, pop) ?? Number.NaN, 1),
      `% (score ${sample.score}, industry ${sample.industry})`,
    );
  line('ks', fmt(ks(pop)));
  return { auc: auc(pop), monotone };
}

async function throughput(portraits: number, concurrency: number, minLatency: number, maxLatency: number, seed: string) {
  // The simulator runs in-process on its own thread, so its CPU does not slow the client side.
  const sim = await startSimulatorThread({ faults: { '*': { latencyMs: [minLatency, maxLatency] } }, seed });
  try {
    const clients = createDataSourceClients(simulatorConfig(sim.url));
    const codes = syntheticCreditCodes(portraits, `${seed}:throughput`);
    // Warm up connections and JIT so the figures describe the steady state.
    await Promise.all(syntheticCreditCodes(Math.min(concurrency, 50), `${seed}:warmup`).map((c) => fetchAllSources(clients, c)));
    const times: number[] = [];
    let partial = 0;
    let next = 0;
    const started = performance.now();
    const workers = Array.from({ length: Math.min(concurrency, portraits) }, async () => {
      for (;;) {
        const i = next++;
        const code = codes[i];
        if (code === undefined) return;
        const t0 = performance.now();
        const outcomes = await fetchAllSources(clients, code);
        const p = assemblePortrait({ creditCode: code, asOf: new Date(), outcomes });
        times.push(performance.now() - t0);
        if (p.partial) partial++;
      }
    });
    await Promise.all(workers);
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
    line('portrait_sources', 8, 'sources');
    line('portrait_source_latency', `${minLatency}-${maxLatency}`, 'ms');
    line('portrait_concurrency', concurrency);
    line('portraits_built', times.length, `(${partial} partial)`);
    line('portrait_p50', fmt(pct(0.5), 0), 'ms');
    line('portrait_p95', fmt(pct(0.95), 0), 'ms');
    line('portraits_per_second', fmt(times.length / seconds, 1), 'portraits/s');
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const n = flag('n', 10_000);
  const seed = flag('seed', DEFAULT_SEED);
  const asOf = new Date('2026-06-15T00:00:00Z');
  if (n < 1_000) console.warn('warning: fewer than 1,000 enterprises gives noisy figures');
  const cal = calibration(n, seed, asOf);
  await throughput(flag('portraits', 1_000), flag('concurrency', 50), flag('min-latency', 50), flag('max-latency', 200), seed);
  line('auc', fmt(cal.auc), `(target >= ${AUC_TARGET})`);
  if (!(cal.auc >= AUC_TARGET) || !cal.monotone) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
