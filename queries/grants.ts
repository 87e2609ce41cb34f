// Portrait grants: which bank may read which enterprise's portrait sections, until when. Written by
// the request workflow (data consent) and by the API (the enterprise's own grants), with the same
// idempotent upsert.
import { v5 as uuidv5 } from 'uuid';
import type { PrismaClient } from '../generated/prisma/client';

/** Namespace for deterministic grant ids: a retried write finds its row instead of adding another. */
const GRANT_ID_NAMESPACE = 'c7a1d3e2-6f4b-4c8e-8d2a-5e9b0a7c4f13';

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
