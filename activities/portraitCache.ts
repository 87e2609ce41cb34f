// The portrait cache in PostgreSQL: one SourceRecord row per (creditCode, source) holding the last
// record fetched and when. Shared by every worker, so a source that goes down still has a copy to
// fall back to (marked stale by age) whichever worker fetched it last.
import type { PrismaClient } from '../generated/prisma/client';
import type { SourceName } from '../domain/credit/sources';
import type { CachedSourceRecord, PortraitCache } from './credit';

export class SqlPortraitCache implements PortraitCache {
  constructor(private readonly prisma: PrismaClient) {}

  async get(source: SourceName, creditCode: string): Promise<CachedSourceRecord | undefined> {
    const row = await this.prisma.sourceRecord.findUnique({ where: { creditCode_source: { creditCode, source } } });
    return row ? { data: row.data, fetchedAt: row.fetchedAt.toISOString() } : undefined;
  }

  /** Overwrites the row; an older fetch (a late retry) never replaces a newer one. */
  async put(source: SourceName, creditCode: string, record: CachedSourceRecord): Promise<void> {
    const fetchedAt = new Date(record.fetchedAt);
    const data = record.data as object;
    const inserted = await this.prisma.sourceRecord.createMany({ data: [{ creditCode, source, data, fetchedAt }], skipDuplicates: true });
    if (inserted.count === 1) return;
    await this.prisma.sourceRecord.updateMany({ where: { creditCode, source, fetchedAt: { lt: fetchedAt } }, data: { data, fetchedAt } });
  }
}
