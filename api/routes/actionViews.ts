// What an action answers: the caller's view of the object it acted on, built with the same
// visibility rules as GET (api/auth/requestAccess.ts), never the raw workflow state, which holds
// every bank's claim and offer, the request hash and the whole timeline.
import { z } from 'zod';
import type { ClaimState, FinancingRequestState, GuaranteeState } from '../../workflows/state';
import type { Principal } from '../auth/principal';
import { isOverseer } from '../auth/principal';
import { visibleClaimBanks } from '../auth/requestAccess';
import { CLOSE_REASONS, ROUTINGS, STAGES } from '../../domain/vocabulary';
import { claimView, timelineEntry, uuid } from '../schemas/financingRequests';

export const requestActionView = z
  .object({
    id: uuid,
    enterpriseId: uuid,
    stage: z.enum(STAGES),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    routing: z.enum(ROUTINGS),
    poolClosesAt: z.iso.datetime().nullable(),
    claims: z.array(claimView),
    timeline: z.array(timelineEntry),
  })
  .meta({ id: 'FinancingRequestAfterAction', description: "The request after the action, as the caller's GET would show it" });

export const guaranteeActionView = z
  .object({
    guaranteeInstitutionId: z.string(),
    status: z.enum(['requested', 'approved', 'declined', 'expired']),
    feeFen: z.number().int().nullable(),
    deadlineAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'GuaranteeAfterAction', description: "The caller's guarantee after its decision" });

export function claimActionView(c: ClaimState): z.output<typeof claimView> {
  return {
    bankId: c.bankId,
    origin: c.origin,
    status: c.status,
    deadlineAt: c.deadlineAt ?? null,
    reason: c.reason ?? null,
    offer: c.offer
      ? {
          approvedAmountFen: c.offer.approvedAmountFen,
          annualRateBp: c.offer.annualRateBp,
          termMonths: c.offer.termMonths,
          repaymentMethod: c.offer.repaymentMethod,
        }
      : null,
  };
}

export function requestStateView(p: Principal, s: FinancingRequestState): z.output<typeof requestActionView> {
  const seen = visibleClaimBanks(
    p,
    s.claims.map((c) => ({ bankId: c.bankId, guaranteeInstitutionId: c.guarantee?.guaranteeInstitutionId })),
  );
  const all = isOverseer(p) || p.role === 'enterprise';
  return {
    id: s.id,
    enterpriseId: s.enterpriseId,
    stage: s.stage,
    closeReason: s.closeReason ?? null,
    routing: s.routing,
    poolClosesAt: s.poolClosesAt ?? null,
    claims: s.claims.filter((c) => seen.has(c.bankId)).map(claimActionView),
    // Another bank's steps (and who was chosen) are that bank's business.
    timeline: s.timeline
      .filter((e) => all || (e.bankId ? seen.has(e.bankId) : !e.event.includes(':')))
      .map((e) => ({ event: e.event, actor: e.actor, at: e.at, ...(e.bankId ? { bankId: e.bankId } : {}) })),
  };
}

export function guaranteeStateView(g: GuaranteeState): z.output<typeof guaranteeActionView> {
  return {
    guaranteeInstitutionId: g.guaranteeInstitutionId,
    status: g.status,
    feeFen: g.feeFen ?? null,
    deadlineAt: g.deadlineAt ?? null,
    reason: g.reason ?? null,
  };
}
