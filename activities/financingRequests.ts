// Activities that persist the lifecycle: the request row, its timeline and its claims, each
// transition with its outbox rows in one transaction. Idempotent: every write is keyed by the
// request id or the transition's eventKey, so retries change nothing.
import { endsConsent } from '../domain/stages';
import type { PrismaClient } from '../generated/prisma/client';
import { claimId } from '../domain/ids';
import { planOutboxRows } from '../notifications/outbox';
import { withTemplateParams } from './notificationParams';
import { loadPlanningContext } from '../notifications/planning-context';
import { SqlPreferenceStore, SqlWebhookEndpointStore } from '../notifications/sql-stores';
import type { NotificationDeps } from './notifications';
import type { FinancingRequestInput } from '../workflows/state';
import type { RecordResult, TransitionRecord } from './types';

export interface FinancingRequestActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  /** Preferences and webhook endpoints the planner consults (absent: recipient-type defaults, no webhook rows). */
  notifications?: Pick<NotificationDeps, 'preferences' | 'webhooks' | 'supervisorEmails'>;
}

export function createFinancingRequestActivities({ prisma, now = () => new Date(), notifications }: FinancingRequestActivityDeps) {
  async function recordTransitionIn(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], r: TransitionRecord): Promise<RecordResult> {
    const inserted = await tx.stageEvent.createMany({
      data: [
        {
          eventKey: r.eventKey,
          financingRequestId: r.financingRequestId,
          claimId: r.claim ? claimId(r.financingRequestId, r.claim.bankId) : null,
          event: r.claim ? `claim:${r.claim.status}` : (r.stage ?? r.event ?? 'note'),
          actor: r.actor,
          at: new Date(r.at),
          detail: (r.detail ?? undefined) as object | undefined,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) {
      // Already recorded: answer the rows the first attempt wrote (preferences may have changed since).
      const written = await tx.notification.findMany({ where: { id: { startsWith: `${r.eventKey}|` } }, select: { id: true }, orderBy: { id: 'asc' } });
      return { notificationIds: written.map((x) => x.id) };
    }
    const notify = await withTemplateParams(tx, r.financingRequestId, r.notify ?? []);
    const context = notify.length > 0 ? await planningContext(tx, notify, notifications) : undefined;
    const rows = planOutboxRows(r.eventKey, r.financingRequestId, notify, now(), context);
    if (r.stage) {
      await tx.financingRequest.update({
        where: { id: r.financingRequestId },
        data: { stage: r.stage, closeReason: r.closeReason ?? null },
      });
    }
    if (r.pool) {
      await tx.financingRequest.update({
        where: { id: r.financingRequestId },
        data: { poolClosesAt: new Date(r.pool.closesAt), eligibleBankIds: r.pool.eligibleBankIds },
      });
    }
    if (r.claim) {
      const id = claimId(r.financingRequestId, r.claim.bankId);
      const fields = {
        status: r.claim.status,
        ...(r.claim.deadlineAt !== undefined ? { deadlineAt: r.claim.deadlineAt ? new Date(r.claim.deadlineAt) : null } : {}),
        ...(r.claim.reason !== undefined ? { reason: r.claim.reason } : {}),
        ...(r.claim.offer
          ? {
              approvedAmountFen: BigInt(r.claim.offer.approvedAmountFen),
              annualRateBp: r.claim.offer.annualRateBp,
              offerTermMonths: r.claim.offer.termMonths,
              repaymentMethod: r.claim.offer.repaymentMethod,
              needsGuarantee: Boolean(r.claim.offer.guaranteeInstitutionId),
            }
          : {}),
      };
      await tx.claim.upsert({
        where: { id },
        create: { id, financingRequestId: r.financingRequestId, bankId: r.claim.bankId, origin: r.claim.origin, ...fields },
        update: fields,
      });
      // Consent given with the request covers the bank while it works on it: the grant ends with
      // the claim (a lending bank keeps it until it expires, for the loan's monitoring).
      if (endsConsent(r.claim.status))
        await tx.portraitGrant.updateMany({
          where: { financingRequestId: r.financingRequestId, bankId: r.claim.bankId, revokedAt: null },
          data: { revokedAt: new Date(r.at) },
        });
    }
    if (rows.length > 0) await tx.notification.createMany({ data: rows, skipDuplicates: true });
    return { notificationIds: rows.map((x) => x.id) };
  }

  return {
    /** Writes the request row (stage published) and its first timeline entry. */
    async persistFinancingRequest(input: FinancingRequestInput & { workflowId: string; publishedAt: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await tx.financingRequest.upsert({
          where: { id: input.id },
          update: {},
          create: {
            id: input.id,
            enterpriseId: input.enterpriseId,
            idempotencyKey: input.idempotencyKey,
            amountFen: BigInt(input.amountFen),
            termMonths: input.termMonths,
            purpose: input.purpose,
            guaranteeMethod: input.guaranteeMethod,
            routing: input.routing,
            directedBankIds: input.directedBankIds,
            fallbackToPool: input.fallbackToPool,
            dataConsent: input.dataConsent,
            offerSelection: input.offerSelection,
            policyVersion: input.policyVersion,
            productId: input.productId ?? null,
            workflowId: input.workflowId,
            createdAt: new Date(input.publishedAt),
          },
        });
        await tx.stageEvent.createMany({
          data: [
            {
              eventKey: `${input.id}:published`,
              financingRequestId: input.id,
              event: 'published',
              actor: `enterprise:${input.enterpriseId}`,
              at: new Date(input.publishedAt),
            },
          ],
          skipDuplicates: true,
        });
      });
    },

    /** Records one transition (timeline, request stage, claim) and its notifications, atomically. */
    async recordTransition(r: TransitionRecord): Promise<RecordResult> {
      return prisma.$transaction((tx) => recordTransitionIn(tx, r));
    },
  };
}

/** Recipients' addresses, preferences and webhook endpoints for the planner (notifications/planning-context.ts). */
export function planningContext(
  tx: Parameters<typeof loadPlanningContext>[0],
  requests: Parameters<typeof loadPlanningContext>[1],
  notifications: FinancingRequestActivityDeps['notifications'],
) {
  // SQL-backed stores read through the caller's transaction: on a one-connection database (PGlite)
  // a read on the base client would wait for this very transaction and time it out.
  const db = tx as unknown as ConstructorParameters<typeof SqlPreferenceStore>[0];
  const preferences = notifications?.preferences instanceof SqlPreferenceStore ? new SqlPreferenceStore(db) : notifications?.preferences;
  const webhooks = notifications?.webhooks?.endpoints instanceof SqlWebhookEndpointStore ? new SqlWebhookEndpointStore(db) : notifications?.webhooks?.endpoints;
  return loadPlanningContext(tx, requests, { preferences, webhooks, supervisorEmails: notifications?.supervisorEmails });
}

export type FinancingRequestActivities = ReturnType<typeof createFinancingRequestActivities>;
