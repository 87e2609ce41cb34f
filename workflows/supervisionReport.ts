// The periodic service-assessment report (线上办理考核通报), started by a Temporal Schedule
// (worker/reportSchedule.ts; Mondays 09:00 Asia/Shanghai by default, domain/supervision.ts):
// rank the banks for the last period, store the report as HTML and PDF once per period, and
// e-mail supervisors through the notification outbox. Deterministic: workflow time only.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { reportPeriodBefore } from '../domain/supervision';
import { Deliveries } from './notify';

// Aggregates over a whole period and a PDF: minutes at most on 100k requests; retried, since every step is idempotent.
const a = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface SupervisionReportInput {
  /** An explicit period (backfills, tests); default: the last whole period before the run. */
  periodStart?: string;
  periodEnd?: string;
}

export interface SupervisionReportResult {
  reportId: string;
  /** False when the period's report already existed (a re-run stores nothing new). */
  created: boolean;
  periodStart: string;
  periodEnd: string;
  rankedBanks: number;
  notificationIds: string[];
}

export async function supervisionReportWorkflow(input: SupervisionReportInput = {}): Promise<SupervisionReportResult> {
  const period =
    input.periodStart && input.periodEnd ? { periodStart: input.periodStart, periodEnd: input.periodEnd } : reportPeriodBefore(new Date(Date.now()));
  const ranking = await a.buildSupervisionRanking(period);
  const report = await a.storeSupervisionReport({ ...period, ranking });
  const notificationIds = await a.notifySupervisorsOfReport({ reportId: report.id });
  const deliveries = new Deliveries();
  deliveries.start(notificationIds);
  await deliveries.drain();
  return { reportId: report.id, created: report.created, ...period, rankedBanks: ranking.rankedBanks, notificationIds };
}
