// Risk warnings (red / yellow / blue): a new portrait is compared with the enterprise's previous
// one (domain/credit/warnings.ts); each warning reaches every bank holding a live claim on the
// enterprise, through the outbox. Idempotent: outbox ids derive from the portrait id.
import type { PrismaClient } from '../generated/prisma/client';
import type { CreditPortrait } from '../domain/credit/portrait';
import { highestLevel, riskWarnings, type RiskWarning } from '../domain/credit/warnings';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';
import { planOutboxRows } from '../notifications/outbox';
import type { NotificationRequest } from '../notifications/types';
import { planningContext, type FinancingRequestActivityDeps } from './financingRequests';
import { withTemplateParams } from '../notifications/templateParams';

const LEVEL_LABEL = { red: '红色', yellow: '黄色', blue: '蓝色' } as const;

export interface RiskWarningResult {
  warnings: RiskWarning[];
  notificationIds: string[];
}

export async function raiseRiskWarnings(
  prisma: PrismaClient,
  portraitId: string,
  now: Date,
  notifications?: FinancingRequestActivityDeps['notifications'],
): Promise<RiskWarningResult> {
  const current = await prisma.creditPortrait.findUnique({ where: { id: portraitId } });
  if (!current) return { warnings: [], notificationIds: [] };
  const previous = await prisma.creditPortrait.findFirst({
    where: { creditCode: current.creditCode, id: { not: current.id }, asOf: { lt: current.asOf } },
    orderBy: { asOf: 'desc' },
  });
  const warnings = riskWarnings(previous?.body as unknown as CreditPortrait | undefined, current.body as unknown as CreditPortrait);
  const level = highestLevel(warnings);
  if (!level) return { warnings, notificationIds: [] };
  const claims = await prisma.claim.findMany({
    where: { status: { in: [...LIVE_CLAIM_STATUSES] }, financingRequest: { enterprise: { creditCode: current.creditCode } } },
    select: { bankId: true, financingRequestId: true },
  });
  const summary = warnings.map((w) => w.zh).join('；');
  const ids: string[] = [];
  await prisma.$transaction(async (tx) => {
    for (const c of claims) {
      const requests: NotificationRequest[] = await withTemplateParams(tx, c.financingRequestId, [
        {
          templateId: 'riskWarning',
          recipient: { type: 'bank', id: c.bankId },
          params: { levelLabel: LEVEL_LABEL[level], level, summary, bankId: c.bankId },
          urgent: level === 'red',
        },
      ]);
      // Same planning as the lifecycle: the bank's addresses, preferences and webhook endpoint.
      const rows = planOutboxRows(
        `riskWarning:${portraitId}:${c.financingRequestId}`,
        c.financingRequestId,
        requests,
        now,
        await planningContext(tx, requests, notifications),
      );
      await tx.notification.createMany({ data: rows, skipDuplicates: true });
      ids.push(...rows.map((r) => r.id));
    }
  });
  return { warnings, notificationIds: ids };
}
