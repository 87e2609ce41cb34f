// Activities that persist the lifecycle: the request row, its timeline and its claims, each
// transition with its outbox rows in one transaction. Idempotent: every write is keyed by the
// request id or the transition's eventKey, so retries change nothing.
import { endsConsent } from '../domain/stages';
import type { PrismaClient } from '../generated/prisma/client';
import { claimId } from '../domain/ids';
import { recordEvent, type Tx } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { FinancingRequestInput } from '../workflows/state';
import type { ClaimNote, RecordResult, TransitionRecord } from './types';

export interface FinancingRequestActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  notifications?: PlanningDeps;
}

export function createFinancingRequestActivities({ prisma, now = () => new Date(), notifications }: FinancingRequestActivityDeps) {
  async function recordTransitionIn(tx: Tx, r: TransitionRecord): Promise<RecordResult> {
    const event = await recordEvent(
      tx,
      {
        eventKey: r.eventKey,
        financingRequestId: r.financingRequestId,
        timeline: {
          financingRequestId: r.financingRequestId,
          claimId: r.claim ? claimId(r.financingRequestId, r.claim.bankId) : null,
          event: r.claim ? `claim:${r.claim.status}` : (r.stage ?? r.event ?? 'note'),
          actor: r.actor,
          at: r.at,
          detail: r.detail,
        },
        notify: r.notify ?? [],
        now: now(),
      },
      notifications,
    );
    // Already recorded: the request and claim rows were written with it.
    if (!event.inserted) return { notificationIds: event.notificationIds };
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
    return { notificationIds: event.notificationIds };
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
  };
}

export type FinancingRequestActivities = ReturnType<typeof createFinancingRequestActivities>;
