// Object-level access to financing requests, claims and offers (OWASP API1): one place that says
// who may see a request and which of its claims they may see.
import type { Prisma } from '../../generated/prisma/client';
import { isOverseer, type Principal } from './principal';

/** Prisma filter: the requests this principal may see. */
export function visibleRequests(p: Principal): Prisma.FinancingRequestWhereInput {
  if (isOverseer(p)) return {};
  if (p.role === 'enterprise') return { enterpriseId: p.enterpriseId ?? '-' };
  if (p.role === 'bank') {
    const bank = p.bankId ?? '-';
    return {
      OR: [{ directedBankIds: { has: bank } }, { claims: { some: { bankId: bank } } }, { eligibleBankIds: { has: bank } }],
      // A branch user sees its region's enterprises only.
      ...(p.region ? { enterprise: { region: p.region } } : {}),
    };
  }
  if (p.role === 'guaranteeInstitution') return { claims: { some: { guarantee: { guaranteeInstitutionId: p.guaranteeInstitutionId ?? '-' } } } };
  return { id: '00000000-0000-0000-0000-000000000000' };
}

/**
 * A branch user's region limit, for every bank path (reads, actions, profiles, portraits, loan
 * codes): true when the principal may deal with an enterprise (or code) of this region.
 */
export function inRegion(p: Principal, region: string | null | undefined): boolean {
  return !p.region || region === p.region;
}

/** Which banks' claims (and offers) this principal may see on a request it can see: all, or only its own. */
export function visibleClaimBanks(p: Principal, claims: { bankId: string; guaranteeInstitutionId?: string | null }[]): Set<string> {
  if (isOverseer(p) || p.role === 'enterprise') return new Set(claims.map((c) => c.bankId));
  if (p.role === 'bank') return new Set(claims.filter((c) => c.bankId === p.bankId).map((c) => c.bankId));
  if (p.role === 'guaranteeInstitution') return new Set(claims.filter((c) => c.guaranteeInstitutionId === p.guaranteeInstitutionId).map((c) => c.bankId));
  return new Set();
}
