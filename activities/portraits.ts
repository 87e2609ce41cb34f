// Portrait persistence: scored portraits (CreditPortrait rows) and the grants that let a bank read
// an enterprise's portrait. Used by the workflows (as activities) and by the API (directly), so the
// same idempotent writes back both paths.
import { consentBlocker } from '../domain/identity';
import { v5 as uuidv5 } from 'uuid';
import type { PrismaClient } from '../generated/prisma/client';
import type { CreditPortrait } from '../domain/credit/portrait';
import type { FinancingRequestActivityDeps } from './financingRequests';
import { raiseRiskWarnings, type RiskWarningResult } from './riskWarnings';

/** Namespaces for deterministic ids: a retried write finds its row instead of adding another. */
const PORTRAIT_ID_NAMESPACE = '3b0f7f0e-52a5-4a0e-9a53-1f7b5f2c9d41';
const GRANT_ID_NAMESPACE = 'c7a1d3e2-6f4b-4c8e-8d2a-5e9b0a7c4f13';

export function portraitId(p: Pick<CreditPortrait, 'creditCode' | 'asOf' | 'portraitVersion'>): string {
  return uuidv5(`${p.portraitVersion}:${p.creditCode}:${p.asOf}`, PORTRAIT_ID_NAMESPACE);
}

/** A grant made by a request's data consent: one per (request, bank). */
export function requestGrantId(financingRequestId: string, bankId: string): string {
  return uuidv5(`request:${financingRequestId}:${bankId}`, GRANT_ID_NAMESPACE);
}

/** A grant made through the API: derived from (enterprise, Idempotency-Key). */
export function apiGrantId(enterpriseId: string, idempotencyKey: string): string {
  return uuidv5(`api:${enterpriseId}:${idempotencyKey}`, GRANT_ID_NAMESPACE);
}

export interface GrantInput {
  /** Derived by the caller (requestGrantId / apiGrantId); defaults to requestGrantId for request grants. */
  id?: string;
  enterpriseId: string;
  bankId: string;
  sections: string[];
  /** ISO timestamp. */
  expiresAt: string;
  financingRequestId?: string | null;
}

export interface GrantRow {
  id: string;
  enterpriseId: string;
  bankId: string;
  sections: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  financingRequestId: string | null;
  createdAt: Date;
}

/**
 * Creates the grant if it is not there yet; returns the stored row either way (a retry, or a
 * request grant after a continue-as-new, finds the first one and changes nothing — not even a
 * revocation the enterprise made meanwhile).
 */
export async function upsertGrant(prisma: PrismaClient, g: GrantInput): Promise<{ grant: GrantRow; created: boolean }> {
  const id = g.id ?? (g.financingRequestId ? requestGrantId(g.financingRequestId, g.bankId) : undefined);
  if (!id) throw new Error('a grant needs an id or a financingRequestId');
  const inserted = await prisma.portraitGrant.createMany({
    data: [
      {
        id,
        enterpriseId: g.enterpriseId,
        bankId: g.bankId,
        sections: g.sections,
        expiresAt: new Date(g.expiresAt),
        financingRequestId: g.financingRequestId ?? null,
      },
    ],
    skipDuplicates: true,
  });
  const grant = await prisma.portraitGrant.findUniqueOrThrow({ where: { id } });
  return { grant, created: inserted.count === 1 };
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
      // Consent given at publishing counts only while the enterprise may still grant it (a supervisor
      // may have taken a squatted record back since): checked again when the bank gets access.
      const identity = await prisma.enterprise.findUnique({
        where: { id: input.enterpriseId },
        select: { status: true, source: true, mobileVerifiedAt: true },
      });
      if (!identity || consentBlocker(identity)) return { grantId: null, created: false };
      const { grant, created } = await upsertGrant(prisma, { ...input, id: requestGrantId(input.financingRequestId, input.bankId) });
      return { grantId: grant.id, created };
    },
  };
}

export type PortraitActivities = ReturnType<typeof createPortraitActivities>;
