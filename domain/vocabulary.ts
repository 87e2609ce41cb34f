// The one domain vocabulary, shared by the API schemas, the workflows and the database enums
// (prisma/schema.prisma uses the same strings). Pure code: safe to import from workflows.

export const STAGES = ['published', 'accepted', 'under_review', 'approved', 'disbursed', 'closed'] as const;
/** The six public stages of a financing request's timeline (受理 accepted, 审核 under review, 审批 approved, 放款 disbursed). */
export type Stage = (typeof STAGES)[number];

export const CLOSE_REASONS = ['completed', 'withdrawn', 'expired', 'unmatched', 'all_declined'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const GUARANTEE_METHODS = ['credit', 'guarantee', 'mortgage', 'combination', 'pledge', 'other'] as const;
/** 信用 credit (unsecured), 保证 guarantee, 抵押 mortgage, 组合 combination, 质押 pledge, other. */
export type GuaranteeMethod = (typeof GUARANTEE_METHODS)[number];

export const ROUTINGS = ['directed', 'pool'] as const;
/** directed: sent to banks the enterprise names (定向发布); pool: open to every eligible bank to grab (抢单). */
export type Routing = (typeof ROUTINGS)[number];

export const OFFER_SELECTIONS = ['enterprise_choice', 'first_approval'] as const;
export type OfferSelection = (typeof OFFER_SELECTIONS)[number];

export const CLAIM_ORIGINS = ['directed', 'grab', 'product'] as const;
export type ClaimOrigin = (typeof CLAIM_ORIGINS)[number];

export const CLAIM_STATUSES = [
  'offered',
  'accepted',
  'under_review',
  'approved',
  'guarantee_pending',
  'disbursed',
  'declined',
  'rejected',
  'expired',
  'withdrawn',
  'not_chosen',
  'released',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Claim statuses after which the bank no longer works on the request. */
export const TERMINAL_CLAIM_STATUSES: readonly ClaimStatus[] = ['disbursed', 'declined', 'rejected', 'expired', 'withdrawn', 'not_chosen', 'released'];
export const isTerminalClaim = (s: ClaimStatus): boolean => TERMINAL_CLAIM_STATUSES.includes(s);
/** Claim statuses in which the bank is still working on the request. */
export const LIVE_CLAIM_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter((s) => !isTerminalClaim(s));

export const REPAYMENT_METHODS = ['equal_installment', 'equal_principal', 'interest_first', 'bullet'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

/** Who did something: `enterprise:<id>`, `bank:<id>`, `guaranteeInstitution:<id>`, `supervisor:<id>` or `system`. */
