// The weekly supervision report's activities: build the period's ranking, render and store the
// report once per period, and e-mail supervisors through the outbox.
// Idempotent: reports are keyed by period, outbox rows by report id.
import type { PrismaClient } from '../generated/prisma/client';
import { reportId } from '../domain/supervision';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';
import { buildRanking, countStuckClaims, type Period, type RankingReport } from '../queries/assessment';
import { periodLabel, renderReportHtml, renderReportPdf } from '../reports/supervisionReport';

export interface SupervisionActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  /** Recipients' preferences and addresses for the outbox planner; supervisorEmails also receive the report. */
  notifications?: PlanningDeps & { publicUrl?: string };
}

export function createSupervisionReportActivities({ prisma, now = () => new Date(), notifications }: SupervisionActivityDeps) {
  return {
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
