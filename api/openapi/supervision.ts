// OpenAPI paths of /v1/supervision: stuck orders and the visibility crosscheck, supervisors' actions
// on claims, per-bank assessment and ranking (the score is documented in domain/supervision.ts), reports.
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { SCORE_COMPONENTS, SUPERVISION_CONFIG } from '../../domain/supervision';
import { claimActionParams, crosscheckQuery, periodQuery, reportParams, reportsQuery, stuckQuery, SUPERVISOR_ACTIONS } from '../routes/supervision';
import { crosscheck, reportList, workflowState } from './answers';
import { authResponses, idempotencyParams, problemResponse } from './common';

const tags = ['supervisor'];
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const hours = z.number().nullable();

const stuckItem = z
  .object({
    kind: z.enum(['claim', 'request']).meta({ description: 'A bank’s live claim, or a request no bank is working on' }),
    requestId: z.uuid(),
    stage: z.string(),
    claimStatus: z.string().nullable(),
    bankId: z.string().nullable(),
    origin: z.string().nullable(),
    amountFen: z.number().int(),
    region: z.string(),
    createdAt: z.string(),
    ageHours: z.number().meta({ description: 'Hours since the request was published' }),
    deadlineAt: z.string().nullable().meta({ description: "The claim's step deadline, or the request's pool deadline" }),
    overdueByHours: z.number(),
    overdueByBusinessHours: z.number(),
    lastChangeAt: z.string(),
    idleBusinessHours: z.number(),
    reasons: z.array(z.enum(['overdue', 'idle'])),
  })
  .meta({ id: 'StuckItem' });

const duration = z
  .object({ median: hours, p90: hours, n: z.number().int() })
  .meta({ id: 'DurationHours', description: 'Elapsed hours: median, 90th percentile, count' });
const bankFigures = z
  .object({
    bankId: z.string(),
    bankName: z.string(),
    acceptHours: duration,
    decideHours: duration,
    disburseHours: duration,
    claimsEnded: z.number().int(),
    expired: z.number().int(),
    released: z.number().int(),
    missedShare: z.number().nullable(),
    poolEligible: z.number().int(),
    grabs: z.number().int(),
    grabWinRate: z.number().nullable(),
    approvals: z.number().int(),
    declines: z.number().int(),
    approvalRate: z.number().nullable(),
    rating: z.object({ n: z.number().int(), meetsNeed: hours, cost: hours, speed: hours, communication: hours }),
    loans: z.object({ count: z.number().int(), amountFen: z.number().int(), firstLoans: z.number().int(), creditLoans: z.number().int() }),
  })
  .meta({ id: 'BankFigures' });
const rankingRow = z
  .object({
    rank: z.number().int().nullable(),
    bankId: z.string(),
    bankName: z.string(),
    score: z.number().nullable().meta({ description: '0–100; null without activity in the period (unranked)' }),
    components: z.object(Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, z.number().nullable()]))),
    figures: bankFigures,
  })
  .meta({ id: 'RankingRow' });
const period = {
  periodStart: z.string(),
  periodEnd: z.string(),
  asOf: z.string().meta({ description: 'When the pre-aggregated figures were last refreshed (at most a minute or two behind, 15 at worst)' }),
};
const ranking = z
  .object({ ...period, configVersion: z.string(), weights: z.record(z.string(), z.number()), rankedBanks: z.number().int(), rows: z.array(rankingRow) })
  .meta({ id: 'Ranking' });

const scoreDescription = `Score = 100 · Σ wᵢ·cᵢ / Σ wᵢ over the components the bank has figures for; components on [0, 1]: speeds 1 − median hours / reference (${Object.values(
  SUPERVISION_CONFIG.ranking.referenceHours,
).join(
  ' / ',
)} h), onTime 1 − missed share, grab win rate, approval rate, (average 4C rating − 1) / 4, volume relative to the busiest bank. Weights: ${Object.entries(
  SUPERVISION_CONFIG.ranking.weights,
)
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')}.`;

export const supervisionPaths: ZodOpenApiPathsObject = {
  '/v1/supervision/stuck': {
    get: {
      summary: `Stuck orders: live claims past their deadline or idle for ${SUPERVISION_CONFIG.stuck.idleBusinessDays}+ business days, and open requests nobody works on`,
      tags,
      requestParams: { query: stuckQuery },
      responses: {
        '200': json(
          'A page of stuck items',
          z.object({ asOf: z.string(), idleThresholdBusinessDays: z.number(), items: z.array(stuckItem), nextCursor: z.string().nullable() }),
        ),
        '400': problemResponse('Invalid query or cursor'),
        ...authResponses,
      },
    },
  },
  '/v1/supervision/stuck/crosscheck': {
    get: {
      summary: 'Past-deadline items in the database vs running workflows whose LoanDeadline search attribute has passed (Temporal visibility)',
      tags,
      requestParams: { query: crosscheckQuery },
      responses: { '200': json('Counts and mismatches on either side', crosscheck), ...authResponses },
    },
  },
  ...Object.fromEntries(
    SUPERVISOR_ACTIONS.map((a) => [
      `/v1/supervision/claims/{requestId}/{bankId}/${a.path}`,
      {
        post: {
          summary: a.summary,
          description:
            'A Temporal update on the claim workflow; the Idempotency-Key is its update id. Recorded on the timeline with the supervisor as actor; the bank is notified.',
          tags,
          requestParams: { path: claimActionParams, ...idempotencyParams },
          requestBody: { content: { 'application/json': { schema: a.body } } },
          responses: {
            '200': json("The claim's state after the action", workflowState('claim')),
            '400': problemResponse('Invalid body or headers'),
            ...authResponses,
            '404': problemResponse('This bank holds no claim on the request'),
            '409': problemResponse('claim-closed, already-extended (once per step), invalid-transition (e.g. releasing an unanswered offer)'),
          },
        },
      },
    ]),
  ),
  '/v1/supervision/assessment': {
    get: {
      summary:
        'Per-bank service figures for a period: hours to accept / decide / disburse (median, p90), deadlines missed, grab win rate, approval rate, 4C ratings, loans',
      tags,
      requestParams: { query: periodQuery },
      responses: {
        '200': json('Figures per bank', z.object({ ...period, banks: z.array(bankFigures) })),
        '400': problemResponse('Invalid period'),
        ...authResponses,
      },
    },
  },
  '/v1/supervision/ranking': {
    get: {
      summary: 'Composite score and rank per bank for a period',
      description: scoreDescription,
      tags,
      requestParams: { query: periodQuery },
      responses: { '200': json('The ranking', ranking), '400': problemResponse('Invalid period'), ...authResponses },
    },
  },
  '/v1/supervision/ranking/me': {
    get: {
      summary: "A bank's own row and rank for a period, and how many banks were ranked",
      tags: ['bank'],
      requestParams: { query: periodQuery },
      responses: {
        '200': json(
          'The caller bank’s row',
          z.object({
            ...period,
            configVersion: z.string(),
            weights: z.record(z.string(), z.number()),
            rankedBanks: z.number().int(),
            row: rankingRow.nullable(),
          }),
        ),
        '400': problemResponse('Invalid period'),
        ...authResponses,
      },
    },
  },
  '/v1/supervision/reports': {
    get: {
      summary: `The periodic reports (built ${SUPERVISION_CONFIG.report.dayOfWeek} ${SUPERVISION_CONFIG.report.hour}:00 ${SUPERVISION_CONFIG.report.timezone}), newest first`,
      tags,
      requestParams: { query: reportsQuery },
      responses: { '200': json('Reports with links to HTML and PDF', reportList), ...authResponses },
    },
  },
  '/v1/supervision/reports/{id}.html': {
    get: {
      summary: 'A report as HTML',
      tags,
      requestParams: { path: reportParams },
      responses: {
        '200': { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
        '404': problemResponse('No such report'),
        ...authResponses,
      },
    },
  },
  '/v1/supervision/reports/{id}.pdf': {
    get: {
      summary: 'A report as PDF',
      tags,
      requestParams: { path: reportParams },
      responses: {
        '200': { description: 'PDF', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
        '404': problemResponse('No such report'),
        ...authResponses,
      },
    },
  },
};
