// Supervision activities and the queries behind them: per-bank service figures for a period (SQL
// aggregates on indexed columns), the weekly report (ranking, HTML, PDF, stored once per period,
// e-mailed to supervisors through the outbox), and the claim notes of supervisors' actions.
// Idempotent: notes are keyed by event key, reports by period, outbox rows by report id.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { claimId } from '../domain/ids';
import { shanghaiDate } from '../domain/calendar';
import { idleCutoff, rankBanks, reportId, SUPERVISION_CONFIG, type BankFigures, type DurationFigures, type RankingRow } from '../domain/supervision';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import { escapeHtml } from '../notifications/render';
import type { NotificationRequest } from '../notifications/types';
import { amountWan, shanghaiLocal } from '../notifications/templateParams';
import type { RecordResult } from './types';

export interface SupervisionActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  /** Recipients' preferences and addresses for the outbox planner; supervisorEmails also receive the report. */
  notifications?: PlanningDeps & { publicUrl?: string };
}

export interface Period {
  periodStart: string;
  periodEnd: string;
}

// ---- per-bank figures ----

const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(typeof x === 'object' ? String(x) : x));
const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : num(x));
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const round = (x: number | null, digits = 2): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** Live claim statuses as SQL literals (the column is an enum; literals need no cast, bound text would). */
const LIVE_SQL = Prisma.raw(LIVE_CLAIM_STATUSES.map((s) => `'${s}'`).join(','));
const ENDED_SQL = Prisma.raw(['disbursed', 'declined', 'rejected', 'expired', 'not_chosen', 'released'].map((s) => `'${s}'::"ClaimStatus"`).join(','));

export interface DurationRow {
  bank: string;
  accept_median: number | null;
  accept_p90: number | null;
  accept_n: bigint;
  decide_median: number | null;
  decide_p90: number | null;
  decide_n: bigint;
  disburse_median: number | null;
  disburse_p90: number | null;
  disburse_n: bigint;
}

/**
 * The two expensive parts of a bank's figures — step durations (percentiles over claims' timelines)
 * and pool eligibility / grabs — from a source: computed exactly from the base tables (the weekly
 * report), or from the pre-aggregated assessment view (the API, api/routes/assessmentView.ts).
 */
export interface AssessmentSource {
  durations(from: Date, to: Date): Promise<DurationRow[]>;
  pools(from: Date, to: Date): Promise<PoolRow[]>;
}

export interface PoolRow {
  bank: string;
  eligible: bigint;
  grabs: bigint;
}

/** Figures computed from the base tables, exact at the moment of the query. */
export function exactAssessment(prisma: PrismaClient): AssessmentSource {
  return {
    durations: (from, to) =>
      prisma.$queryRaw<DurationRow[]>`
      WITH touched AS (
        SELECT DISTINCT "claimId" FROM "StageEvent"
        WHERE "event" IN ('claim:accepted', 'claim:approved', 'claim:declined', 'claim:disbursed') AND "at" >= ${from} AND "at" < ${to} AND "claimId" IS NOT NULL
      ), ev AS (
        SELECT e."claimId",
          MIN(e."at") FILTER (WHERE e."event" = 'claim:offered') AS offered,
          MIN(e."at") FILTER (WHERE e."event" = 'claim:accepted') AS accepted,
          MIN(e."at") FILTER (WHERE e."event" IN ('claim:approved', 'claim:declined')) AS decided,
          MIN(e."at") FILTER (WHERE e."event" = 'claim:disbursed') AS disbursed,
          MAX(e."at") FILTER (WHERE e."event" = 'claim:approved') AS last_approved
        FROM "StageEvent" e JOIN touched t ON t."claimId" = e."claimId"
        WHERE e."event" IN ('claim:offered', 'claim:accepted', 'claim:approved', 'claim:declined', 'claim:disbursed')
        GROUP BY e."claimId"
      ), d AS (
        SELECT split_part("claimId", ':', 2) AS bank,
          CASE WHEN accepted >= ${from} AND accepted < ${to} AND offered IS NOT NULL THEN EXTRACT(EPOCH FROM accepted - offered)::float8 / 3600 END AS accept_h,
          CASE WHEN decided >= ${from} AND decided < ${to} AND accepted IS NOT NULL THEN EXTRACT(EPOCH FROM decided - accepted)::float8 / 3600 END AS decide_h,
          CASE WHEN disbursed >= ${from} AND disbursed < ${to} AND last_approved IS NOT NULL THEN EXTRACT(EPOCH FROM disbursed - last_approved)::float8 / 3600 END AS disburse_h
        FROM ev
      )
      SELECT bank,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY accept_h) AS accept_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY accept_h) AS accept_p90, COUNT(accept_h) AS accept_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY decide_h) AS decide_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY decide_h) AS decide_p90, COUNT(decide_h) AS decide_n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY disburse_h) AS disburse_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY disburse_h) AS disburse_p90, COUNT(disburse_h) AS disburse_n
      FROM d GROUP BY bank`,
    pools: (from, to) =>
      prisma.$queryRaw<PoolRow[]>`
      WITH pools AS (
        SELECT DISTINCT "financingRequestId" AS id FROM "StageEvent" WHERE "event" = 'pool:opened' AND "at" >= ${from} AND "at" < ${to}
      )
      SELECT b.bank, COUNT(*) AS eligible, COUNT(c."id") AS grabs
      FROM pools p JOIN "FinancingRequest" fr ON fr."id" = p.id
      CROSS JOIN LATERAL unnest(fr."eligibleBankIds") AS b(bank)
      LEFT JOIN "Claim" c ON c."financingRequestId" = fr."id" AND c."bankId" = b.bank AND c."origin" = 'grab'
      GROUP BY b.bank`,
  };
}

/**
 * Service figures of every bank for [from, to). A step counts in the period in which it was completed
 * (accepted, decided, disbursed); ended claims are those that reached a terminal status in the period
 * (the enterprise's withdrawals aside); pool eligibility counts requests whose pool opened in the period.
 * Durations are elapsed hours between timeline entries (StageEvent), median and p90 by percentile_cont.
 */
export async function assessBanks(prisma: PrismaClient, from: Date, to: Date, source: AssessmentSource = exactAssessment(prisma)): Promise<BankFigures[]> {
  const [banks, durations, ended, pools, ratings, loans] = await Promise.all([
    prisma.bank.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } }),
    source.durations(from, to),
    prisma.$queryRaw<{ bank: string; ended: bigint; expired: bigint; released: bigint; approvals: bigint; declines: bigint }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS ended,
        COUNT(*) FILTER (WHERE "status" = 'expired') AS expired,
        COUNT(*) FILTER (WHERE "status" = 'released') AS released,
        COUNT(*) FILTER (WHERE "approvedAmountFen" IS NOT NULL) AS approvals,
        COUNT(*) FILTER (WHERE "status" = 'declined' AND "approvedAmountFen" IS NULL) AS declines
      FROM "Claim"
      WHERE "status" IN (${ENDED_SQL}) AND "updatedAt" >= ${from} AND "updatedAt" < ${to}
      GROUP BY "bankId"`,
    source.pools(from, to),
    prisma.$queryRaw<{ bank: string; n: bigint; meets_need: number; cost: number; speed: number; communication: number }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS n, AVG("meetsNeed")::float8 AS meets_need, AVG("cost")::float8 AS cost, AVG("speed")::float8 AS speed,
        AVG("communication")::float8 AS communication
      FROM "Rating" WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY "bankId"`,
    // Disbursement dates are Shanghai calendar dates: the period's local dates bound them.
    prisma.$queryRaw<{ bank: string; n: bigint; amount: unknown; first_loans: bigint; credit_loans: bigint }[]>`
      SELECT "bankId" AS bank, COUNT(*) AS n, COALESCE(SUM("amountFen"), 0) AS amount,
        COUNT(*) FILTER (WHERE "firstLoan") AS first_loans, COUNT(*) FILTER (WHERE "creditLoan") AS credit_loans
      FROM "Loan" WHERE "disbursedOn" >= ${shanghaiDate(from)}::date AND "disbursedOn" < ${shanghaiDate(to)}::date
      GROUP BY "bankId"`,
  ]);
  const by = <T extends { bank: string }>(rows: T[]) => new Map(rows.map((r) => [r.bank, r]));
  const [d, e, p, r, l] = [by(durations), by(ended), by(pools), by(ratings), by(loans)];
  const dur = (median: number | null | undefined, p90: number | null | undefined, n: bigint | undefined): DurationFigures => ({
    median: round(numOrNull(median)),
    p90: round(numOrNull(p90)),
    n: num(n),
  });
  const ids = new Set([...banks.map((b) => b.id), ...d.keys(), ...e.keys(), ...l.keys()]);
  const names = new Map(banks.map((b) => [b.id, b.name]));
  return [...ids].sort().map((bankId) => {
    const dd = d.get(bankId);
    const ee = e.get(bankId);
    const pp = p.get(bankId);
    const rr = r.get(bankId);
    const ll = l.get(bankId);
    const claimsEnded = num(ee?.ended);
    const expired = num(ee?.expired);
    const approvals = num(ee?.approvals);
    const declines = num(ee?.declines);
    const poolEligible = num(pp?.eligible);
    const grabs = num(pp?.grabs);
    return {
      bankId,
      bankName: names.get(bankId) ?? bankId,
      acceptHours: dur(dd?.accept_median, dd?.accept_p90, dd?.accept_n),
      decideHours: dur(dd?.decide_median, dd?.decide_p90, dd?.decide_n),
      disburseHours: dur(dd?.disburse_median, dd?.disburse_p90, dd?.disburse_n),
      claimsEnded,
      expired,
      released: num(ee?.released),
      missedShare: round(ratio(expired, claimsEnded), 4),
      poolEligible,
      grabs,
      grabWinRate: round(ratio(grabs, poolEligible), 4),
      approvals,
      declines,
      approvalRate: round(ratio(approvals, approvals + declines), 4),
      rating: {
        n: num(rr?.n),
        meetsNeed: round(numOrNull(rr?.meets_need)),
        cost: round(numOrNull(rr?.cost)),
        speed: round(numOrNull(rr?.speed)),
        communication: round(numOrNull(rr?.communication)),
      },
      loans: { count: num(ll?.n), amountFen: num(ll?.amount), firstLoans: num(ll?.first_loans), creditLoans: num(ll?.credit_loans) },
    };
  });
}

/** The ranking of a period, as the API answers it and the report stores it. */
export interface RankingReport {
  periodStart: string;
  periodEnd: string;
  configVersion: string;
  weights: Record<string, number>;
  /** Banks with a rank (activity in the period). */
  rankedBanks: number;
  rows: RankingRow[];
}

export async function buildRanking(prisma: PrismaClient, period: Period, source?: AssessmentSource): Promise<RankingReport> {
  const rows = rankBanks(await assessBanks(prisma, new Date(period.periodStart), new Date(period.periodEnd), source));
  return {
    ...period,
    configVersion: SUPERVISION_CONFIG.version,
    weights: { ...SUPERVISION_CONFIG.ranking.weights },
    rankedBanks: rows.filter((r) => r.rank !== null).length,
    rows,
  };
}

/** Live claims past their deadline or idle beyond the threshold now (the report's one-line stuck figure). */
export async function countStuckClaims(prisma: PrismaClient, now: Date): Promise<number> {
  const cutoff = idleCutoff(now, SUPERVISION_CONFIG.stuck.idleBusinessDays, SUPERVISION_CONFIG.calendar);
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*) AS n FROM "Claim" WHERE "status" IN (${LIVE_SQL}) AND ("deadlineAt" < ${now} OR "updatedAt" < ${cutoff})`;
  return num(row?.n);
}

// ---- rendering ----

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
const hours = (d: DurationFigures) => (d.median === null ? '–' : `${d.median.toFixed(1)} / ${d.p90!.toFixed(1)}`);
const avgRating = (r: BankFigures['rating']) => {
  const xs = [r.meetsNeed, r.cost, r.speed, r.communication].filter((x): x is number => x !== null);
  return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2) : '–';
};
const periodLabel = (p: Period) => `${shanghaiDate(new Date(p.periodStart))} – ${shanghaiDate(new Date(new Date(p.periodEnd).getTime() - 1))}`;

/** The report as an HTML page (what GET /v1/supervision/reports/:id.html serves and the e-mail links to). */
export function renderReportHtml(r: RankingReport, generatedAt: Date): string {
  const w = SUPERVISION_CONFIG.ranking.weights;
  const rows = r.rows
    .map((x) => {
      const f = x.figures;
      return `<tr><td>${x.rank ?? '–'}</td><td>${escapeHtml(x.bankName)}<br><small>${escapeHtml(x.bankId)}</small></td><td><b>${x.score ?? '–'}</b></td><td>${hours(f.acceptHours)}</td><td>${hours(f.decideHours)}</td><td>${hours(f.disburseHours)}</td><td>${pct(f.missedShare)} (${f.expired}/${f.claimsEnded})</td><td>${pct(f.grabWinRate)}</td><td>${pct(f.approvalRate)}</td><td>${avgRating(f.rating)}</td><td>${f.loans.count}</td><td>${amountWan(f.loans.amountFen)}</td><td>${f.loans.firstLoans}</td><td>${f.loans.creditLoans}</td></tr>`;
    })
    .join('\n');
  const weights = Object.entries(w)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>线上办理考核通报 Service assessment ${escapeHtml(periodLabel(r))}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:nth-child(2){text-align:left}th{background:#f4f4f4}small{color:#777}</style></head>
<body>
<h1>线上办理考核通报 · Bank service assessment</h1>
<p>考核期间 Period (Asia/Shanghai): <b>${escapeHtml(periodLabel(r))}</b> · 参评机构 Ranked banks: ${r.rankedBanks} · 生成 Generated ${escapeHtml(shanghaiLocal(generatedAt.toISOString()))}</p>
<table>
<thead><tr><th>排名 Rank</th><th>机构 Bank</th><th>得分 Score</th><th>受理 h to accept<br>median / p90</th><th>审批 h to decide<br>median / p90</th><th>放款 h to disburse<br>median / p90</th><th>超时 Missed deadlines</th><th>抢单 Grab win</th><th>通过率 Approval</th><th>评价 Rating</th><th>放款笔数 Loans</th><th>金额(万元) Amount</th><th>首贷 First</th><th>信用贷 Credit</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><small>Score = 100 × Σ wᵢ·cᵢ / Σ wᵢ over the components a bank has figures for (domain/supervision.ts, version ${escapeHtml(r.configVersion)}). Weights: ${escapeHtml(weights)}.
Speeds: 1 − median hours / reference (${SUPERVISION_CONFIG.ranking.referenceHours.accept} h, ${SUPERVISION_CONFIG.ranking.referenceHours.decide} h, ${SUPERVISION_CONFIG.ranking.referenceHours.disburse} h); rating: (average − 1) / 4; volume relative to the busiest bank.</small></p>
</body></html>
`;
}

/** CJK fonts looked for on disk (Chinese bank names in the PDF); REPORT_CJK_FONT may name another (.ttf/.otf, or .ttc with REPORT_CJK_FONT_FAMILY). */
const CJK_FONTS: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

export function findCjkFont(env: Record<string, string | undefined> = process.env): { path: string; family?: string } | undefined {
  const configured = env.REPORT_CJK_FONT ? [{ path: env.REPORT_CJK_FONT, family: env.REPORT_CJK_FONT_FAMILY }] : [];
  return [...configured, ...CJK_FONTS].find((f) => fs.existsSync(f.path));
}

/** Without a CJK font the PDF keeps the Latin part of a name ("禾城农商银行 Hecheng RCB" → "Hecheng RCB"), else the bank id. */
function latinName(name: string, fallback: string): string {
  const latin = name
    .replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return latin.length >= 2 ? latin : fallback;
}

/** The report as a PDF (pdfkit): one table row per bank, the score formula at the foot. */
export async function renderReportPdf(r: RankingReport, generatedAt: Date, font = findCjkFont()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: `Bank service assessment ${periodLabel(r)}`, CreationDate: generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) doc.registerFont('body', font.path, font.family);
  doc.font(font ? 'body' : 'Helvetica');
  const name = (x: RankingRow) => (font ? x.bankName : latinName(x.bankName, x.bankId));
  doc.fontSize(16).text(font ? '线上办理考核通报 · Bank service assessment' : 'Bank service assessment');
  doc
    .fontSize(10)
    .text(`Period (Asia/Shanghai): ${periodLabel(r)}    Ranked banks: ${r.rankedBanks}    Generated: ${shanghaiLocal(generatedAt.toISOString())}`);
  if (!font)
    doc
      .fontSize(8)
      .fillColor('#666')
      .text('No CJK font on this server: Chinese names are shown by their Latin part or bank id; the HTML report has them in full.')
      .fillColor('black');
  doc.moveDown();
  const cols: [string, number][] = [
    ['Rank', 34],
    ['Bank', 190],
    ['Score', 44],
    ['h accept med/p90', 76],
    ['h decide med/p90', 76],
    ['h disburse med/p90', 80],
    ['Missed', 50],
    ['Grab win', 50],
    ['Approval', 50],
    ['Rating', 38],
    ['Loans', 36],
    ['Amount (10k CNY)', 66],
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.fontSize(bold ? 8 : 8);
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: cols[i]![1] - 4, lineBreak: false, ellipsis: true });
      x += cols[i]![1];
    });
    doc.x = doc.page.margins.left;
    doc.y = y + 14;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
  };
  row(
    cols.map((c) => c[0]),
    true,
  );
  for (const x of r.rows) {
    const f = x.figures;
    row([
      String(x.rank ?? '-'),
      name(x),
      x.score === null ? '-' : x.score.toFixed(2),
      hours(f.acceptHours).replace('–', '-'),
      hours(f.decideHours).replace('–', '-'),
      hours(f.disburseHours).replace('–', '-'),
      pct(f.missedShare).replace('–', '-'),
      pct(f.grabWinRate).replace('–', '-'),
      pct(f.approvalRate).replace('–', '-'),
      avgRating(f.rating).replace('–', '-'),
      String(f.loans.count),
      amountWan(f.loans.amountFen),
    ]);
  }
  doc.moveDown();
  doc
    .fontSize(7)
    .fillColor('#444')
    .text(
      `Score = 100 x sum(w_i c_i) / sum(w_i) over the components a bank has figures for (config ${r.configVersion}). Weights: ${Object.entries(r.weights)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      doc.page.margins.left,
      doc.y,
    );
  doc.end();
  return ended;
}

// ---- activities ----

/** A claim timeline entry that is not a status change (supervisors' nudge and extension), or a step's new deadline. */
export interface ClaimNote {
  financingRequestId: string;
  bankId: string;
  eventKey: string;
  /** Timeline label (e.g. supervision:nudged); absent: only the deadline is written. */
  event?: string;
  actor: string;
  at: string;
  /** The claim's current step's deadline, written to the claim row. */
  deadlineAt?: string;
  detail?: Record<string, unknown>;
  notify?: NotificationRequest[];
}

export function createSupervisionReportActivities({ prisma, now = () => new Date(), notifications }: SupervisionActivityDeps) {
  return {
    /**
     * Records a note on a claim: the timeline entry (with the claim id, so only that bank, the
     * enterprise and supervisors see it), the claim's deadline, and the outbox rows, in one
     * transaction. The deadline is written without touching updatedAt, which keeps meaning "last
     * status change" for the stuck list's idle test.
     */
    async recordClaimNote(n: ClaimNote): Promise<RecordResult> {
      return prisma.$transaction(async (tx) => {
        const id = claimId(n.financingRequestId, n.bankId);
        if (n.deadlineAt !== undefined) await tx.$executeRaw`UPDATE "Claim" SET "deadlineAt" = ${new Date(n.deadlineAt)} WHERE "id" = ${id}`;
        if (!n.event) return { notificationIds: [] };
        const timeline = { financingRequestId: n.financingRequestId, claimId: id, event: n.event, actor: n.actor, at: n.at, detail: n.detail };
        const { notificationIds } = await recordEvent(
          tx,
          { eventKey: n.eventKey, financingRequestId: n.financingRequestId, timeline, notify: n.notify ?? [], now: now() },
          notifications,
        );
        return { notificationIds };
      });
    },

    /** The ranking of the period (figures, components, score, rank per bank). */
    async buildSupervisionRanking(period: Period): Promise<RankingReport> {
      return buildRanking(prisma, period);
    },

    /** Renders and stores the period's report once; a second run for the period finds it and keeps the first. */
    async storeSupervisionReport(i: Period & { ranking: RankingReport }): Promise<{ id: string; created: boolean }> {
      const id = reportId(i);
      if (await prisma.supervisionReport.findUnique({ where: { id }, select: { id: true } })) return { id, created: false };
      const generatedAt = now();
      const html = renderReportHtml(i.ranking, generatedAt);
      const pdf = await renderReportPdf(i.ranking, generatedAt);
      const created = await prisma.supervisionReport.createMany({
        data: [
          {
            id,
            periodStart: new Date(i.periodStart),
            periodEnd: new Date(i.periodEnd),
            ranking: i.ranking as unknown as object,
            html,
            pdf: new Uint8Array(pdf),
          },
        ],
        skipDuplicates: true,
      });
      return { id, created: created.count === 1 };
    },

    /**
     * E-mails (and puts in the inbox of) every supervisor: addresses of active supervisor principals
     * and SUPERVISOR_EMAILS, each its own outbox row keyed by the report id, with links to the report.
     */
    async notifySupervisorsOfReport(i: { reportId: string }): Promise<string[]> {
      const report = await prisma.supervisionReport.findUniqueOrThrow({
        where: { id: i.reportId },
        select: { id: true, periodStart: true, periodEnd: true, ranking: true },
      });
      const ranking = report.ranking as unknown as RankingReport;
      const principals = await prisma.principal.findMany({ where: { role: 'supervisor', active: true, email: { not: null } }, select: { email: true } });
      const addresses = [...new Set([...(notifications?.supervisorEmails ?? []), ...principals.map((p) => p.email!)])].sort();
      const base = `${notifications?.publicUrl ?? ''}/v1/supervision/reports/${report.id}`;
      const top = ranking.rows
        .filter((r) => r.rank !== null)
        .slice(0, 3)
        .map((r) => `${r.rank}. ${r.bankName} — ${r.score}`);
      const summary = [
        ...top,
        `参评机构 ranked banks: ${ranking.rankedBanks}`,
        `当前超时或停滞的对接 claims overdue or idle now: ${await countStuckClaims(prisma, now())}`,
        `HTML: ${base}.html`,
        `PDF: ${base}.pdf`,
      ].join('\n');
      const params = { period: periodLabel({ periodStart: report.periodStart.toISOString(), periodEnd: report.periodEnd.toISOString() }), summary };
      const requests: NotificationRequest[] = (addresses.length > 0 ? addresses : ['all']).map((id) => ({
        templateId: 'periodicReport',
        recipient: { type: 'supervisor', id },
        params,
      }));
      const event = { eventKey: `supervision-report:${i.reportId}`, financingRequestId: null, notify: requests, now: now() };
      const { notificationIds } = await prisma.$transaction((tx) => recordEvent(tx, event, notifications));
      return notificationIds;
    },
  };
}

export type SupervisionReportActivities = ReturnType<typeof createSupervisionReportActivities>;
