// Risk warnings (red / yellow / blue): a new portrait is compared with the enterprise's previous
// one (domain/credit/warnings.ts); each warning reaches every bank holding a live claim on the
// enterprise, through the outbox. Idempotent: outbox ids derive from the portrait id.
import type { PrismaClient } from '../generated/prisma/client';
import type { CreditPortrait } from '../domain/credit/portrait';
import { canReadPortrait } from '../domain/credit/access';
import { highestLevel, riskWarnings, warningSection, type RiskWarning } from '../domain/credit/warnings';
import { LIVE_CLAIM_STATUSES } from '../domain/vocabulary';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';

const LEVEL_LABEL = { red: '红色', yellow: '黄色', blue: '蓝色' } as const;
/** What a bank without a grant for the warning's sections reads instead of the facts. */
const WITHOUT_GRANT = '风险等级发生变化，详情需经企业授权后在信用画像中查看';

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
  const detail = warnings.map((w) => w.zh).join('；');
  const sections = [...new Set(warnings.map(warningSection))];
  // Credit-bureau and court facts are portrait content: only a bank holding a live grant for the
  // sections they come from gets them; the others get the level and a pointer to the portrait.
  const grants = await prisma.portraitGrant.findMany({
    where: {
      enterpriseId: { in: (await prisma.enterprise.findMany({ where: { creditCode: current.creditCode }, select: { id: true } })).map((e) => e.id) },
      bankId: { in: claims.map((c) => c.bankId) },
    },
  });
  const mayRead = (bankId: string) => grants.some((g) => canReadPortrait(g, bankId, sections, now).reason === 'granted');
  // One event per request: every bank with a live claim on it hears of the warning once.
  const banksByRequest = new Map<string, string[]>();
  for (const c of claims) banksByRequest.set(c.financingRequestId, [...(banksByRequest.get(c.financingRequestId) ?? []), c.bankId]);
  const ids: string[] = [];
  await prisma.$transaction(async (tx) => {
    for (const [financingRequestId, bankIds] of banksByRequest) {
      const notify: NotificationRequest[] = bankIds.map((bankId) => ({
        templateId: 'riskWarning',
        recipient: { type: 'bank', id: bankId },
        params: { levelLabel: LEVEL_LABEL[level], level, summary: mayRead(bankId) ? detail : WITHOUT_GRANT, bankId },
        urgent: level === 'red',
      }));
      const event = { eventKey: `riskWarning:${portraitId}:${financingRequestId}`, financingRequestId, notify, now };
      ids.push(...(await recordEvent(tx, event, notifications)).notificationIds);
    }
  });
  return { warnings, notificationIds: ids };
}
