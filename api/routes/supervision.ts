// /v1/supervision: what supervisors (人民银行 / 金融办) watch and do — stuck orders (from the database,
// cross-checked with Temporal visibility), actions on a bank's claim (nudge, extend the deadline,
// release; Temporal updates on the claim workflow), per-bank service figures and the ranking for a
// period, and the stored periodic reports. Supervisors and admins only; a bank sees its own ranking row.
import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { claimWorkflowId } from '../../domain/ids';
import { reportPeriodBefore, SUPERVISION_CONFIG } from '../../domain/supervision';
import { STAGES } from '../../domain/vocabulary';
import { assessBanks, buildRanking } from '../../queries/assessment';
import { AssessmentView } from '../../queries/assessmentView';
import { crosscheck, decodeStuckCursor, listStuck, STUCK_SORTS } from '../../queries/stuck';
import * as m from '../../workflows/messages';
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
    const q = parseQuery(stuckQuery, req);
    const cursor = decodeStuckCursor(q.cursor);
    if (cursor === null) throw new HttpProblem(400, 'invalid-cursor', 'The cursor is not one this API returned');
    res.json(await listStuck(deps.prisma, q, cursor));
  });

  r.get('/stuck/crosscheck', async (req, res) => {
    overseer(req, res, deps);
    res.json(await crosscheck(deps.prisma, deps.temporal, parseQuery(crosscheckQuery, req).limit));
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
