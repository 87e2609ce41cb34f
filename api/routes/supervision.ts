// /v1/supervision: what supervisors (人民银行 / 金融办) watch and do — stuck orders (from the database,
// cross-checked with Temporal visibility), actions on a bank's claim (nudge, extend the deadline,
// release; Temporal updates on the claim workflow), per-bank service figures and the ranking for a
// period, and the stored periodic reports. Supervisors and admins only; a bank sees its own ranking row.
import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client';
import { businessHoursBetween } from '../../domain/calendar';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import { idleCutoff, reportPeriodBefore, SUPERVISION_CONFIG } from '../../domain/supervision';
import { LIVE_CLAIM_STATUSES, STAGES } from '../../domain/vocabulary';
import { assessBanks, buildRanking } from '../../queries/assessment';
import { AssessmentView } from '../../queries/assessmentView';
import * as m from '../../workflows/messages';
import { LOAN_DEADLINE } from '../../workflows/searchAttributes';
import type { ClaimState } from '../../workflows/state';
import { requireRole } from '../auth/access';
import type { ApiDeps } from '../deps';
import { afterCursor, CURSOR_ORDER, decodeCursor, page } from '../pagination';
import { HttpProblem } from '../problem';
import { bankId, MAX_AMOUNT_FEN, reason, uuid } from '../schemas/financingRequests';
import { mapTemporalError } from '../temporalErrors';
import { idempotencyKey, parseBody, parseParams, parseQuery } from '../validate';

const cfg = SUPERVISION_CONFIG;
const HOUR_MS = 3_600_000;

// ---- schemas (also the OpenAPI entries, api/openapi/supervision.ts) ----

export const STUCK_SORTS = ['overdue', 'age', 'amount', 'deadline', 'idle'] as const;
export const stuckQuery = z.strictObject({
  bankId: bankId.optional(),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .meta({ description: "The enterprise's administrative division code (GB/T 2260), e.g. 330400" }),
  stage: z.enum(STAGES).optional(),
  minAmountFen: z.coerce.number().int().min(0).max(MAX_AMOUNT_FEN).optional(),
  overdueOnly: z.enum(['true', 'false']).optional().meta({ description: 'Only items past their deadline (not merely idle)' }),
  sort: z.enum(STUCK_SORTS).default('overdue').meta({
    description: 'overdue (most overdue first), age (oldest request first), amount (largest first), deadline (earliest first), idle (longest idle first)',
  }),
  order: z.enum(['asc', 'desc']).optional().meta({ description: "Reverses the sort's natural order" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
export const crosscheckQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(5000).default(1000) });

const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .meta({ description: 'An ISO instant, or a date meaning 00:00 Asia/Shanghai of that day' });
export const periodQuery = z.strictObject({
  from: instant.optional().meta({ description: 'Start of the period (inclusive); default: start of the last whole report period' }),
  to: instant.optional().meta({ description: 'End of the period (exclusive); default: end of the last whole report period' }),
});
export const claimActionParams = z.strictObject({ requestId: uuid, bankId });
export const nudgeBody = z.strictObject({ reason: reason.optional().meta({ description: 'A note to the bank' }) }).meta({ id: 'SupervisorNudge' });
export const extendDeadlineBody = z
  .strictObject({
    reason,
    businessDays: z
      .number()
      .int()
      .min(1)
      .max(cfg.extension.maxBusinessDays)
      .optional()
      .meta({ description: `Business days added to the current deadline (default ${cfg.extension.defaultBusinessDays})` }),
  })
  .meta({ id: 'SupervisorExtendDeadline' });
export const releaseBody = z.strictObject({ reason }).meta({ id: 'SupervisorRelease' });
export const reportsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(200).optional() });
export const reportParams = z.strictObject({ id: z.string().regex(/^report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}$/) });

export const SUPERVISOR_ACTIONS: { path: string; name: string; summary: string; update: UpdateDefinition<ClaimState, [any], string>; body: z.ZodType }[] = [
  {
    path: 'nudge',
    name: 'nudge',
    summary: 'Prompt the bank to act on its claim now (督办; timeline entry, notification)',
    update: m.nudgeUpdate,
    body: nudgeBody,
  },
  {
    path: 'extend-deadline',
    name: 'extendDeadline',
    summary: "Extend the deadline of the claim's current step, once per step, with a reason",
    update: m.extendDeadlineUpdate,
    body: extendDeadlineBody,
  },
  {
    path: 'release',
    name: 'releaseClaim',
    summary: "Release the bank's claim (status released); a grab claim's slot opens again to the pool",
    update: m.releaseClaimUpdate,
    body: releaseBody,
  },
];

// ---- period ----

function periodOf(req: Request): { from: Date; to: Date } {
  const q = parseQuery(periodQuery, req);
  const at = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s);
  const d = reportPeriodBefore(new Date());
  const from = q.from ? at(q.from) : new Date(d.periodStart);
  const to = q.to ? at(q.to) : q.from ? new Date(from.getTime() + cfg.report.periodDays * 24 * HOUR_MS) : new Date(d.periodEnd);
  if (!(from < to)) throw new HttpProblem(400, 'invalid-period', 'The period is empty', '`from` must be before `to`');
  if (to.getTime() - from.getTime() > 366 * 24 * HOUR_MS) throw new HttpProblem(400, 'invalid-period', 'The period is too long', 'At most 366 days');
  return { from, to };
}

// ---- stuck orders ----

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
interface StuckCursor {
  asOf: string;
  sv: string;
  key: string;
}
const encodeStuckCursor = (c: StuckCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeStuckCursor(s: string | undefined): StuckCursor | undefined {
  if (!s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as StuckCursor;
    if (Number.isNaN(Date.parse(c.asOf)) || !/^-?\d+$/.test(c.sv) || typeof c.key !== 'string') throw new Error('bad cursor');
    return c;
  } catch {
    throw new HttpProblem(400, 'invalid-cursor', 'The cursor is not one this API returned');
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
async function listStuck(deps: ApiDeps, q: z.output<typeof stuckQuery>) {
  const cursor = decodeStuckCursor(q.cursor);
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
  const rows = await deps.prisma.$queryRaw<StuckRow[]>`
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
async function crosscheck(deps: ApiDeps, limit: number) {
  const now = new Date();
  const before = new Date(now.getTime() - cfg.stuck.crosscheckGraceSeconds * 1000);
  const query = `ExecutionStatus = 'Running' AND LoanDeadline < '${before.toISOString()}'`;
  const temporal = new Map<string, { workflowId: string; type: string; loanDeadline: string | null }>();
  let temporalTruncated = false;
  for await (const wf of deps.temporal.workflow.list({ query })) {
    if (temporal.size >= limit) {
      temporalTruncated = true;
      break;
    }
    temporal.set(wf.workflowId, { workflowId: wf.workflowId, type: wf.type, loanDeadline: wf.typedSearchAttributes.get(LOAN_DEADLINE)?.toISOString() ?? null });
  }
  const [claims, pools] = await Promise.all([
    deps.prisma.claim.findMany({
      where: { status: { in: [...LIVE_CLAIM_STATUSES] }, deadlineAt: { lt: before } },
      select: { financingRequestId: true, bankId: true, status: true, deadlineAt: true },
      orderBy: { deadlineAt: 'asc' },
      take: limit + 1,
    }),
    deps.prisma.financingRequest.findMany({
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

// ---- router ----

const overseer = (req: Request, res: Response, deps: ApiDeps) => requireRole(req, res, deps.prisma, 'supervisor', 'admin');

export function supervisionRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  // Durations and pool figures from the pre-aggregated view (assessmentView.ts): answers carry its asOf.
  const assessment = new AssessmentView(prisma);
  const prepared = () => assessment.prepare({ onBackgroundError: (err) => deps.log.warn({ err }, 'assessment refresh failed') });

  r.get('/stuck', async (req, res) => {
    overseer(req, res, deps);
    res.json(await listStuck(deps, parseQuery(stuckQuery, req)));
  });

  r.get('/stuck/crosscheck', async (req, res) => {
    overseer(req, res, deps);
    res.json(await crosscheck(deps, parseQuery(crosscheckQuery, req).limit));
  });

  for (const a of SUPERVISOR_ACTIONS) {
    r.post(`/claims/:requestId/:bankId/${a.path}`, async (req, res) => {
      const p = overseer(req, res, deps);
      const key = idempotencyKey(req);
      const { requestId, bankId: bank } = parseParams(claimActionParams, req);
      const body = parseBody(a.body, req) as { reason?: string; businessDays?: number };
      const handle = deps.temporal.workflow.getHandle(claimWorkflowId(requestId, bank));
      try {
        // The Idempotency-Key is the update id: a retried action runs once.
        const state = await handle.executeUpdate(a.update, { args: [{ ...body, supervisorId: p.id }], updateId: `supervisor:${a.name}:${key}` });
        res.json({ requestId, ...(state as object) });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          const status = await handle.describe().then(
            (d) => d.status.name,
            () => undefined,
          );
          if (status) throw new HttpProblem(409, 'claim-closed', 'The claim has ended', `workflow status ${status}`);
          throw new HttpProblem(404, 'no-claim', 'This bank holds no claim on this request');
        }
        mapTemporalError(err);
      }
    });
  }

  r.get('/assessment', async (req, res) => {
    overseer(req, res, deps);
    const { from, to } = periodOf(req);
    const asOf = await prepared();
    res.json({
      periodStart: from.toISOString(),
      periodEnd: to.toISOString(),
      asOf: asOf.toISOString(),
      banks: await assessBanks(prisma, from, to, assessment),
    });
  });

  r.get('/ranking', async (req, res) => {
    overseer(req, res, deps);
    const { from, to } = periodOf(req);
    const asOf = await prepared();
    res.json({ ...(await buildRanking(prisma, { periodStart: from.toISOString(), periodEnd: to.toISOString() }, assessment)), asOf: asOf.toISOString() });
  });

  // A bank sees its own row and rank among the ranked banks, never the others'.
  r.get('/ranking/me', async (req, res) => {
    const p = requireRole(req, res, prisma, 'bank');
    if (!p.bankId) throw new HttpProblem(403, 'forbidden', 'This principal belongs to no bank');
    const { from, to } = periodOf(req);
    const asOf = await prepared();
    const ranking = await buildRanking(prisma, { periodStart: from.toISOString(), periodEnd: to.toISOString() }, assessment);
    const row = ranking.rows.find((x) => x.bankId === p.bankId) ?? null;
    res.json({
      periodStart: ranking.periodStart,
      periodEnd: ranking.periodEnd,
      configVersion: ranking.configVersion,
      weights: ranking.weights,
      rankedBanks: ranking.rankedBanks,
      asOf: asOf.toISOString(),
      row,
    });
  });

  r.get('/reports', async (req, res) => {
    overseer(req, res, deps);
    const q = parseQuery(reportsQuery, req);
    const rows = await prisma.supervisionReport.findMany({
      where: afterCursor(decodeCursor(q.cursor)),
      select: { id: true, periodStart: true, periodEnd: true, createdAt: true },
      orderBy: CURSOR_ORDER,
      take: q.limit + 1,
    });
    const pg = page(rows, q.limit);
    res.json({
      items: pg.items.map((x) => ({
        id: x.id,
        periodStart: x.periodStart.toISOString(),
        periodEnd: x.periodEnd.toISOString(),
        createdAt: x.createdAt.toISOString(),
        html: `/v1/supervision/reports/${x.id}.html`,
        pdf: `/v1/supervision/reports/${x.id}.pdf`,
      })),
      nextCursor: pg.nextCursor,
    });
  });

  r.get('/reports/:id.html', async (req, res) => {
    overseer(req, res, deps);
    const { id } = parseParams(reportParams, req);
    const report = await prisma.supervisionReport.findUnique({ where: { id }, select: { html: true } });
    if (!report) throw new HttpProblem(404, 'not-found', 'No such report');
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").type('html').send(report.html);
  });

  r.get('/reports/:id.pdf', async (req, res) => {
    overseer(req, res, deps);
    const { id } = parseParams(reportParams, req);
    const report = await prisma.supervisionReport.findUnique({ where: { id }, select: { pdf: true } });
    if (!report) throw new HttpProblem(404, 'not-found', 'No such report');
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${id}.pdf"`).send(Buffer.from(report.pdf));
  });

  return r;
}
