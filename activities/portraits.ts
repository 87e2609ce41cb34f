// Portrait persistence: scored portraits (CreditPortrait rows), and the grants a request's data
// consent gives (queries/grants.ts). Idempotent: ids derive from the portrait and the grant.
import { endsConsent } from '../domain/stages';
import { consentBlocker } from '../domain/identity';
import { v5 as uuidv5 } from 'uuid';
import type { PrismaClient } from '../generated/prisma/client';
import type { CreditPortrait } from '../domain/credit/portrait';
import type { FinancingRequestActivityDeps } from './financingRequests';
import { raiseRiskWarnings, type RiskWarningResult } from './riskWarnings';
import { requestGrantId, upsertGrant } from '../queries/grants';

/** Namespaces for deterministic ids: a retried write finds its row instead of adding another. */
const PORTRAIT_ID_NAMESPACE = '3b0f7f0e-52a5-4a0e-9a53-1f7b5f2c9d41';

export function portraitId(p: Pick<CreditPortrait, 'creditCode' | 'asOf' | 'portraitVersion'>): string {
  return uuidv5(`${p.portraitVersion}:${p.creditCode}:${p.asOf}`, PORTRAIT_ID_NAMESPACE);
}

export async function storePortrait(prisma: PrismaClient, portrait: CreditPortrait): Promise<{ id: string }> {
  const id = portraitId(portrait);
  await prisma.creditPortrait.createMany({
    data: [
      {
        id,
        creditCode: portrait.creditCode,
        asOf: new Date(portrait.asOf),
        score: portrait.score.score,
        grade: portrait.score.grade,
        probabilityOfDefault: portrait.score.probabilityOfDefault.toFixed(6),
        completeness: portrait.completeness.toFixed(4),
        missing: portrait.missing,
        stale: portrait.stale,
        body: portrait as unknown as object,
      },
    ],
    skipDuplicates: true,
  });
  return { id };
}

export interface PortraitActivityDeps {
  prisma: PrismaClient;
  /** Preferences and webhook stores for planning risk-warning notifications. */
  notifications?: FinancingRequestActivityDeps['notifications'];
}

export function createPortraitActivities({ prisma, notifications }: PortraitActivityDeps) {
  return {
    /** Stores a scored portrait; idempotent (the id derives from credit code, asOf and version). */
    async savePortrait(portrait: CreditPortrait): Promise<{ id: string }> {
      return storePortrait(prisma, portrait);
    },

    /** Compares the stored portrait with the previous one and warns the banks with live claims. */
    async raiseRiskWarnings(i: { portraitId: string }): Promise<RiskWarningResult> {
      return raiseRiskWarnings(prisma, i.portraitId, new Date(), notifications);
    },

    /** The enterprise consented to share its portrait with a bank on this request; idempotent per (request, bank). */
    async grantPortraitAccess(input: {
      financingRequestId: string;
      enterpriseId: string;
      bankId: string;
      sections: string[];
      expiresAt: string;
    }): Promise<{ grantId: string | null; created: boolean }> {
      const id = requestGrantId(input.financingRequestId, input.bankId);
      // A claim that ended before this grant got written gives none (its end revoked nothing yet).
      const claim = await prisma.claim.findFirst({ where: { financingRequestId: input.financingRequestId, bankId: input.bankId }, select: { status: true } });
      if (claim && endsConsent(claim.status)) return { grantId: id, created: false };
      // Consent given at publishing counts only while the enterprise may still grant it (a supervisor
      // may have taken a squatted record back since): checked again when the bank gets access.
      const identity = await prisma.enterprise.findUnique({
        where: { id: input.enterpriseId },
        select: { status: true, source: true, mobileVerifiedAt: true },
      });
      if (!identity || consentBlocker(identity)) return { grantId: null, created: false };
      const { grant, created } = await upsertGrant(prisma, { ...input, id });
      return { grantId: grant.id, created };
    },
  };
}

export type PortraitActivities = ReturnType<typeof createPortraitActivities>;
