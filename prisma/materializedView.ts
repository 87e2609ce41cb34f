// A materialized view used as a refreshable cache of pre-aggregated figures (platform statistics,
// supervisors' service-time assessment): created at runtime in its own schema (so Prisma's `public`
// catalogue and the drift test never see it; the name carries a version), refreshed CONCURRENTLY
// when stale (readers are never blocked), one refresh at a time across API replicas (advisory lock).
// Every view has one '_meta'-style row whose `as_of` tells when it was last refreshed.
import type { PrismaClient } from '../generated/prisma/client';

export const STATS_SCHEMA = 'loanbridge_stats';

/** A view older than this is refreshed in the background; answers carry `asOf`. */
export const REFRESH_AFTER_MS = 60_000;
/** A view older than this is refreshed before answering. */
export const MAX_STALE_MS = 15 * 60_000;

export interface MaterializedViewSpec {
  /** schema.name */
  name: string;
  /** CREATE MATERIALIZED VIEW IF NOT EXISTS … */
  createSql: string;
  /** The unique index REFRESH … CONCURRENTLY needs, and any other indexes (CREATE … IF NOT EXISTS). */
  indexSql: string[];
  /** Older versions of the view to drop. */
  dropViews?: string[];
  /** SQL reading the view's refresh time as a single `as_of` column. */
  asOfSql: string;
  /** Advisory lock key of this view's create and refresh. */
  lockKey: number;
}

type Tx = Pick<PrismaClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/** The view's lifecycle for one API process: create once, refresh when stale, at most one refresh in flight. */
export class MaterializedView {
  private ready?: Promise<void>;
  private inFlight?: Promise<void>;

  constructor(
    protected readonly prisma: PrismaClient,
    private readonly spec: MaterializedViewSpec,
  ) {}

  /** Creates the schema, the view and its indexes if missing. */
  ensure(): Promise<void> {
    this.ready ??= this.prisma
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${this.spec.lockKey})`);
          await tx.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS ${STATS_SCHEMA}`);
          for (const v of this.spec.dropViews ?? []) await tx.$executeRawUnsafe(`DROP MATERIALIZED VIEW IF EXISTS ${v}`);
          await tx.$executeRawUnsafe(this.spec.createSql);
          for (const sql of this.spec.indexSql) await tx.$executeRawUnsafe(sql);
        },
        { timeout: 600_000, maxWait: 60_000 },
      )
      .catch((err) => {
        this.ready = undefined;
        throw err;
      });
    return this.ready;
  }

  async asOf(db: Tx = this.prisma): Promise<Date> {
    const rows = await db.$queryRawUnsafe<{ as_of: Date }[]>(this.spec.asOfSql);
    return rows[0]?.as_of ?? new Date(0);
  }

  /**
   * Refreshes unless a refresh that began after `notBefore` already finished (another caller's or
   * another replica's). Concurrent callers in this process share one refresh.
   */
  refresh(notBefore = new Date()): Promise<void> {
    this.inFlight ??= this.prisma
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${this.spec.lockKey})`);
          if ((await this.asOf(tx)) >= notBefore) return;
          await tx.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${this.spec.name}`);
        },
        { timeout: 600_000, maxWait: 60_000 },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Makes the view fresh enough to answer from; `fresh` waits for a refresh begun now. */
  async prepare(opts: { fresh?: boolean; onBackgroundError?: (err: unknown) => void } = {}): Promise<Date> {
    const now = new Date();
    await this.ensure();
    if (opts.fresh) {
      await this.refresh(now);
      return this.asOf();
    }
    const asOf = await this.asOf();
    const age = now.getTime() - asOf.getTime();
    if (age > MAX_STALE_MS) {
      await this.refresh(new Date(now.getTime() - REFRESH_AFTER_MS));
      return this.asOf();
    }
    if (age > REFRESH_AFTER_MS) void this.refresh(new Date(now.getTime() - REFRESH_AFTER_MS)).catch((err) => opts.onBackgroundError?.(err));
    return asOf;
  }
}
