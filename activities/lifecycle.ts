// Activities for the later lifecycle steps: pool eligibility, guarantees, loans and ratings.
// Each is idempotent: keyed by claim or request id, a retry finds its row and writes nothing new.
import type { PrismaClient } from '../generated/prisma/client';
import type { RatingInput } from '../workflows/messages';
import type { GuaranteeInput, GuaranteeState } from '../workflows/state';
import { recordEvent } from '../notifications/eventOutbox';
import type { PlanningDeps } from '../notifications/planning-context';
import type { NotificationRequest } from '../notifications/types';
import type { RecordResult } from './types';
import { poolEligibilityInputs, profileFor } from '../queries/catalogue';
import { checkEligibility } from '../domain/matching';

export interface LifecycleActivityDeps {
  prisma: PrismaClient;
  now?: () => Date;
  notifications?: PlanningDeps;
}

export interface LoanRecordInput {
  financingRequestId: string;
  claimId: string;
  bankId: string;
  enterpriseId: string;
  amountFen: number;
  annualRateBp: number;
  termMonths: number;
  repaymentMethod: string;
  disbursedOn: string;
  withGuarantee: boolean;
  guaranteeMethod: string;
}

export function createLifecycleActivities({ prisma, now = () => new Date(), notifications }: LifecycleActivityDeps) {
  return {
    /**
     * Banks eligible for an open-pool request: active banks with at least one active product that
     * fits the request and its enterprise (domain/matching.ts), minus those already on the request.
     */
    async listEligibleBanks(i: { financingRequestId: string; excludeBankIds: string[] }): Promise<string[]> {
      const { request, products } = await poolEligibilityInputs(prisma, i.financingRequestId, i.excludeBankIds);
      if (!request) return [];
      const profile = await profileFor(prisma, request.enterprise, {
        score: products.some((p) => p.rules.minScore !== null),
        loans: products.some((p) => p.rules.firstLoanOnly),
      });
      const banks = new Set(products.filter((p) => checkEligibility(p.rules, profile, request.need).fit).map((p) => p.bankId));
      return [...banks].sort();
    },

    /** Records the loan once per claim; first loan = the enterprise had no loan on the platform before. */
    async recordLoan(i: LoanRecordInput): Promise<{ loanId: string; firstLoan: boolean; creditLoan: boolean }> {
      return prisma.$transaction(async (tx) => {
        const existing = await tx.loan.findUnique({ where: { claimId: i.claimId } });
        if (existing) return { loanId: existing.id, firstLoan: existing.firstLoan, creditLoan: existing.creditLoan };
        const earlier = await tx.loan.count({ where: { enterpriseId: i.enterpriseId } });
        const creditLoan = i.guaranteeMethod === 'credit' && !i.withGuarantee;
        const loan = await tx.loan.create({
          data: {
            id: `loan-${i.claimId}`,
            claimId: i.claimId,
            financingRequestId: i.financingRequestId,
            bankId: i.bankId,
            enterpriseId: i.enterpriseId,
            amountFen: BigInt(i.amountFen),
            annualRateBp: i.annualRateBp,
            termMonths: i.termMonths,
            repaymentMethod: i.repaymentMethod,
            disbursedOn: new Date(`${i.disbursedOn}T00:00:00Z`),
            firstLoan: earlier === 0,
            creditLoan,
          },
        });
        return { loanId: loan.id, firstLoan: loan.firstLoan, creditLoan };
      });
    },

    /** Upserts the guarantee row; on the first call also prompts the guarantee institution. */
    async recordGuarantee(i: GuaranteeInput & { state: GuaranteeState; actor: string; at: string; notifyRequested?: boolean }): Promise<RecordResult> {
      const g = i.state;
      const fields = {
        status: g.status,
        feeFen: g.feeFen !== undefined ? BigInt(g.feeFen) : null,
        fundShareBp: g.riskShares?.fundBp ?? null,
        bankShareBp: g.riskShares?.bankBp ?? null,
        guarantorShareBp: g.riskShares?.guarantorBp ?? null,
        reason: g.reason ?? null,
        deadlineAt: g.deadlineAt ? new Date(g.deadlineAt) : null,
      };
      return prisma.$transaction(async (tx) => {
        await tx.guarantee.upsert({
          where: { claimId: i.claimId },
          create: { id: `guarantee-${i.claimId}`, claimId: i.claimId, guaranteeInstitutionId: i.guaranteeInstitutionId, ...fields },
          update: fields,
        });
        const requested: NotificationRequest = {
          templateId: 'guaranteeRequested',
          recipient: { type: 'guaranteeInstitution', id: i.guaranteeInstitutionId },
          params: { financingRequestId: i.financingRequestId, bankId: i.bankId, amountFen: i.amountFen },
        };
        const { notificationIds } = await recordEvent(
          tx,
          {
            eventKey: `${i.claimId}:guarantee:${i.notifyRequested ? 'requested' : g.status}`,
            financingRequestId: i.financingRequestId,
            timeline: { financingRequestId: i.financingRequestId, claimId: i.claimId, event: `guarantee:${g.status}`, actor: i.actor, at: i.at },
            notify: i.notifyRequested ? [requested] : [],
            now: now(),
          },
          notifications,
        );
        return { notificationIds };
      });
    },

    async recordRating(i: { financingRequestId: string; bankId: string; rating: RatingInput }): Promise<void> {
      await prisma.rating.upsert({
        where: { financingRequestId: i.financingRequestId },
        update: {},
        create: {
          id: `rating-${i.financingRequestId}`,
          financingRequestId: i.financingRequestId,
          bankId: i.bankId,
          ...i.rating,
          comment: i.rating.comment ?? null,
        },
      });
    },
  };
}
