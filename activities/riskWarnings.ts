// Risk warnings (red / yellow / blue): a new portrait is compared with the enterprise's previous
// one (domain/credit/warnings.ts); each warning reaches every bank holding a live claim on the
// enterprise, through the outbox. Idempotent: outbox ids derive from the portrait id.
import type { PrismaClient } from '../generated/prisma/client';
import type { CreditPortrait } from '../domain/credit/portrait';
import { highestLevel, riskWarnings, type RiskWarning } from '../domain/credit/warnings';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';

const LEVEL_LABEL = { red: '红色', yellow: '黄色', blue: '蓝色' } as const;

export interface RiskWarningResult {
  warnings: RiskWarning[];
  notificationIds: string[];
}

export async function raiseRiskWarnings(prisma: PrismaClient, portraitId: string, now: Date, notifications?: PlanningDeps): Promise<RiskWarningResult> {
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
  const params = { levelLabel: LEVEL_LABEL[level], level, summary };
  // One event per request: every bank with a live claim on it hears of the warning once.
  const banksByRequest = new Map<string, string[]>();
  for (const c of claims) banksByRequest.set(c.financingRequestId, [...(banksByRequest.get(c.financingRequestId) ?? []), c.bankId]);
  const ids: string[] = [];
  await prisma.$transaction(async (tx) => {
    for (const [financingRequestId, bankIds] of banksByRequest) {
      const notify: NotificationRequest[] = bankIds.map((bankId) => ({
        templateId: 'riskWarning',
        recipient: { type: 'bank', id: bankId },
        params: { ...params, bankId },
        urgent: level === 'red',
      }));
      const event = { eventKey: `riskWarning:${portraitId}:${financingRequestId}`, financingRequestId, notify, now };
      ids.push(...(await recordEvent(tx, event, notifications)).notificationIds);
    }
  });
  return { warnings, notificationIds: ids };
}
