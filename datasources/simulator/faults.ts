// Fault injection for the simulator, per source: added latency, a random error rate, a full
// outage, or "fail the next N requests" (to exercise retries deterministically).
import { SOURCE_NAMES, type SourceName } from '../../domain/credit/sources';

export interface SourceFaults {
  /** Added delay before answering: fixed ms, or [min, max] drawn uniformly per request. */
  latencyMs?: number | readonly [number, number];
  /** Share of requests (0–1) answered with `errorStatus`. */
  errorRate?: number;
  /** Every request answered 503. */
  outage?: boolean;
  /** The next N requests are answered 503, then the source recovers. Counts down. */
  failNext?: number;
  /** Status for errorRate failures; default 500. */
  errorStatus?: number;
}

/** Faults per source; '*' applies to every source that has no entry of its own. */
export type FaultConfig = Partial<Record<SourceName | '*', SourceFaults>>;

export type FaultDecision = { kind: 'pass' } | { kind: 'fail'; status: number; message: string };

export class FaultInjector {
  private config: FaultConfig = {};

  constructor(
    initial: FaultConfig = {},
    private readonly random: () => number = Math.random,
  ) {
    this.set(initial);
  }

  /** Replace the whole configuration (copies it, so counters do not leak back to the caller). */
  set(config: FaultConfig): void {
    const copy: FaultConfig = {};
    for (const [k, v] of Object.entries(config)) if (v) copy[k as SourceName | '*'] = { ...v };
    this.config = copy;
  }

  get(): FaultConfig {
    return JSON.parse(JSON.stringify(this.config)) as FaultConfig;
  }

  private forSource(source: SourceName): SourceFaults | undefined {
    return this.config[source] ?? this.config['*'];
  }

  latencyFor(source: SourceName): number {
    const l = this.forSource(source)?.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l[0] + this.random() * (l[1] - l[0]);
  }

  decide(source: SourceName): FaultDecision {
    const f = this.forSource(source);
    if (!f) return { kind: 'pass' };
    if (f.outage) return { kind: 'fail', status: 503, message: `${source} is down (simulated outage)` };
    if (f.failNext && f.failNext > 0) {
      f.failNext--;
      return { kind: 'fail', status: 503, message: `${source} temporarily unavailable (simulated)` };
    }
    if (f.errorRate && this.random() < f.errorRate) return { kind: 'fail', status: f.errorStatus ?? 500, message: `${source} error (simulated)` };
    return { kind: 'pass' };
  }
}

export function isFaultConfig(value: unknown): value is FaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.keys(value).every((k) => k === '*' || (SOURCE_NAMES as readonly string[]).includes(k));
}
