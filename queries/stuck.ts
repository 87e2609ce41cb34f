// Supervisors' stuck list (live claims past their deadline or idle, open requests nobody took up),
// keyset-paginated, and its cross-check against Temporal visibility.
import type { Client } from '@temporalio/client';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { businessHoursBetween } from '../domain/calendar';
import { claimWorkflowId, financingRequestWorkflowId } from '../domain/ids';
import { idleCutoff, SUPERVISION_CONFIG } from '../domain/supervision';
import { LIVE_CLAIM_STATUSES, type Stage } from '../domain/vocabulary';
import { LOAN_DEADLINE } from '../workflows/searchAttributes';

const cfg = SUPERVISION_CONFIG;
const HOUR_MS = 3_600_000;

export const STUCK_SORTS = ['overdue', 'age', 'amount', 'deadline', 'idle'] as const;

export interface StuckQuery {
  bankId?: string;
  region?: string;
  stage?: Stage;
  minAmountFen?: number;
  overdueOnly?: 'true' | 'false';
  sort: (typeof STUCK_SORTS)[number];
  order?: 'asc' | 'desc';
  limit: number;
}

interface StuckRow {
  key: string;
  request_id: string;
  stage: string;
  claim_status: string | null;
  bank_id: string | null;
  origin: string | null;
  amount_fen: bigint;
  region: string;
  created_at: Date;
  deadline_at: Date | null;
  last_change: Date;
  sv: bigint;
}

/** Stuck-list cursor: the instant the first page was computed (so "overdue by" does not drift between pages), the sort value and key. */
export interface StuckCursor {
  asOf: string;
  sv: string;
  key: string;
}
const encodeStuckCursor = (c: StuckCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
/** undefined: no cursor; null: not a cursor this module made. */
export function decodeStuckCursor(s: string | undefined): StuckCursor | undefined | null {
  if (!s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as StuckCursor;
    if (Number.isNaN(Date.parse(c.asOf)) || !/^-?\d+$/.test(c.sv) || typeof c.key !== 'string') return null;
    return c;
  } catch {
    return null;
  }
}

const LIVE = Prisma.raw(LIVE_CLAIM_STATUSES.map((s) => `'${s}'`).join(','));
/** Request stages in which a request with no live claim waits on someone (disbursed waits for the rating, which closes itself). */
const OPEN_STAGES = Prisma.raw(['published', 'accepted', 'under_review', 'approved'].map((s) => `'${s}'`).join(','));
const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

function sortExpr(sort: (typeof STUCK_SORTS)[number], now: Date): { sql: Prisma.Sql; desc: boolean } {
  const ms = (col: Prisma.Sql) => Prisma.sql`(EXTRACT(EPOCH FROM ${col}) * 1000)::bigint`;
  switch (sort) {
    case 'overdue':
      return { sql: Prisma.sql`GREATEST(0, ${ms(Prisma.sql`${now}::timestamp`)} - ${ms(Prisma.sql`COALESCE(s.deadline_at, ${now}::timestamp)`)})`, desc: true };
    case 'age':
      return { sql: ms(Prisma.sql`s.created_at`), desc: false };
    case 'amount':
      return { sql: Prisma.sql`s.amount_fen`, desc: true };
    case 'deadline':
      return { sql: ms(Prisma.sql`COALESCE(s.deadline_at, ${FAR_FUTURE}::timestamp)`), desc: false };
    case 'idle':
      return { sql: ms(Prisma.sql`s.last_change`), desc: false };
  }
}

/**
 * Stuck orders: live claims past their deadline or unchanged for longer than the idle threshold
 * (business days), and open requests with no live claim that are past their pool deadline or
 * unchanged as long (nobody took them up). One SQL over indexed columns: Claim(status, deadlineAt),
 * Claim(status, updatedAt), FinancingRequest(stage, updatedAt) and (poolClosesAt).
 */
export async function listStuck(prisma: PrismaClient, q: StuckQuery, cursor: StuckCursor | undefined) {
  const now = cursor ? new Date(cursor.asOf) : new Date();
  const cutoff = idleCutoff(now, cfg.stuck.idleBusinessDays, cfg.calendar);
  const filters: Prisma.Sql[] = [];
  if (q.bankId) filters.push(Prisma.sql`s.bank_id = ${q.bankId}`);
  if (q.region) filters.push(Prisma.sql`s.region = ${q.region}`);
  if (q.stage) filters.push(Prisma.sql`s.stage = ${q.stage}`);
  if (q.minAmountFen !== undefined) filters.push(Prisma.sql`s.amount_fen >= ${BigInt(q.minAmountFen)}`);
  if (q.overdueOnly === 'true') filters.push(Prisma.sql`s.deadline_at < ${now}`);
  const { sql: sv, desc: naturalDesc } = sortExpr(q.sort, now);
  const desc = q.order ? q.order === 'desc' : naturalDesc;
  const dir = Prisma.raw(desc ? 'DESC' : 'ASC');
  const after = cursor ? Prisma.sql`WHERE (t.sv, t.key) ${Prisma.raw(desc ? '<' : '>')} (${BigInt(cursor.sv)}, ${cursor.key})` : Prisma.empty;
  const where = filters.length ? Prisma.sql`WHERE ${Prisma.join(filters, ' AND ')}` : Prisma.empty;
  const rows = await prisma.$queryRaw<StuckRow[]>`
    SELECT * FROM (
      SELECT s.*, ${sv} AS sv FROM (
        SELECT c."id" AS key, c."financingRequestId"::text AS request_id, fr."stage"::text AS stage, c."status"::text AS claim_status, c."bankId" AS bank_id,
          c."origin"::text AS origin, fr."amountFen" AS amount_fen, e."region" AS region, fr."createdAt" AS created_at, c."deadlineAt" AS deadline_at, c."updatedAt" AS last_change
        FROM "Claim" c JOIN "FinancingRequest" fr ON fr."id" = c."financingRequestId" JOIN "Enterprise" e ON e."id" = fr."enterpriseId"
        WHERE c."status" IN (${LIVE}) AND (c."deadlineAt" < ${now} OR c."updatedAt" < ${cutoff})
        UNION ALL
        SELECT fr."id"::text, fr."id"::text, fr."stage"::text, NULL, NULL, NULL, fr."amountFen", e."region", fr."createdAt", fr."poolClosesAt", fr."updatedAt"
        FROM "FinancingRequest" fr JOIN "Enterprise" e ON e."id" = fr."enterpriseId"
        WHERE fr."stage" IN (${OPEN_STAGES}) AND (fr."poolClosesAt" < ${now} OR fr."updatedAt" < ${cutoff})
          AND NOT EXISTS (SELECT 1 FROM "Claim" lc WHERE lc."financingRequestId" = fr."id" AND lc."status" IN (${LIVE}))
      ) s ${where}
    ) t ${after}
    ORDER BY t.sv ${dir}, t.key ${dir}
    LIMIT ${q.limit + 1}`;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    asOf: now.toISOString(),
    idleThresholdBusinessDays: cfg.stuck.idleBusinessDays,
    items: items.map((r) => {
      const overdueMs = r.deadline_at ? now.getTime() - r.deadline_at.getTime() : 0;
      const overdue = overdueMs > 0;
      const idle = r.last_change < cutoff;
      return {
        kind: r.claim_status ? ('claim' as const) : ('request' as const),
        requestId: r.request_id,
        stage: r.stage,
        claimStatus: r.claim_status,
        bankId: r.bank_id,
        origin: r.origin,
        amountFen: Number(r.amount_fen),
        region: r.region,
        createdAt: r.created_at.toISOString(),
        ageHours: round2((now.getTime() - r.created_at.getTime()) / HOUR_MS),
        deadlineAt: r.deadline_at?.toISOString() ?? null,
        overdueByHours: overdue ? round2(overdueMs / HOUR_MS) : 0,
        overdueByBusinessHours: overdue ? round2(businessHoursBetween(r.deadline_at!, now, cfg.calendar)) : 0,
        lastChangeAt: r.last_change.toISOString(),
        idleBusinessHours: round2(businessHoursBetween(r.last_change, now, cfg.calendar)),
        reasons: [...(overdue ? ['overdue'] : []), ...(idle ? ['idle'] : [])],
      };
    }),
    nextCursor: rows.length > q.limit && last ? encodeStuckCursor({ asOf: now.toISOString(), sv: String(last.sv), key: last.key }) : null,
  };
}

/**
 * Past-deadline items as the database has them vs as Temporal visibility has them (running
 * workflows whose LoanDeadline search attribute has passed), to catch a worker that fell behind
 * (database says live and overdue, no workflow is waiting) or rows an activity never wrote.
 * Claims started before the supervisor-actions patch carry no LoanDeadline and show as database-only.
 */
export async function crosscheck(prisma: PrismaClient, client: Client, limit: number) {
  const now = new Date();
  const before = new Date(now.getTime() - cfg.stuck.crosscheckGraceSeconds * 1000);
  const query = `ExecutionStatus = 'Running' AND LoanDeadline < '${before.toISOString()}'`;
  const temporal = new Map<string, { workflowId: string; type: string; loanDeadline: string | null }>();
  let temporalTruncated = false;
  for await (const wf of client.workflow.list({ query })) {
    if (temporal.size >= limit) {
      temporalTruncated = true;
      break;
    }
    temporal.set(wf.workflowId, { workflowId: wf.workflowId, type: wf.type, loanDeadline: wf.typedSearchAttributes.get(LOAN_DEADLINE)?.toISOString() ?? null });
  }
  const [claims, pools] = await Promise.all([
    prisma.claim.findMany({
      where: { status: { in: [...LIVE_CLAIM_STATUSES] }, deadlineAt: { lt: before } },
      select: { financingRequestId: true, bankId: true, status: true, deadlineAt: true },
      orderBy: { deadlineAt: 'asc' },
      take: limit + 1,
    }),
    prisma.financingRequest.findMany({
      where: { stage: { not: 'closed' }, poolClosesAt: { lt: before } },
      select: { id: true, stage: true, poolClosesAt: true },
      orderBy: { poolClosesAt: 'asc' },
      take: limit + 1,
    }),
  ]);
  const database = new Map<string, { workflowId: string; requestId: string; bankId: string | null; status: string; deadlineAt: string }>();
  for (const c of claims.slice(0, limit))
    database.set(claimWorkflowId(c.financingRequestId, c.bankId), {
      workflowId: claimWorkflowId(c.financingRequestId, c.bankId),
      requestId: c.financingRequestId,
      bankId: c.bankId,
      status: c.status,
      deadlineAt: c.deadlineAt!.toISOString(),
    });
  for (const r of pools.slice(0, limit))
    database.set(financingRequestWorkflowId(r.id), {
      workflowId: financingRequestWorkflowId(r.id),
      requestId: r.id,
      bankId: null,
      status: r.stage,
      deadlineAt: r.poolClosesAt!.toISOString(),
    });
  return {
    asOf: now.toISOString(),
    deadlineBefore: before.toISOString(),
    visibilityQuery: query,
    temporal: { count: temporal.size, truncated: temporalTruncated },
    database: { count: database.size, truncated: claims.length > limit || pools.length > limit },
    agree: [...database.keys()].filter((k) => temporal.has(k)).length,
    onlyInTemporal: [...temporal.values()].filter((t) => !database.has(t.workflowId)),
    onlyInDatabase: [...database.values()].filter((d) => !temporal.has(d.workflowId)),
  };
}
