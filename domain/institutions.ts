// Rules about banks and guarantee institutions as organisations: what a suspended institution may
// still do, and what each institution role may do inside its institution.

export const INSTITUTION_TYPES = ['bank', 'guaranteeInstitution'] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

export const INSTITUTION_KINDS = ['head_office', 'branch'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** officer: acts on claims; approver: may also approve and record disbursement; admin: also manages the institution's users. */
export const INSTITUTION_ROLES = ['officer', 'approver', 'admin'] as const;
export type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

export const INSTITUTION_PERMISSIONS = ['act', 'approve', 'disburse', 'manageUsers', 'reassignOfficer'] as const;
export type InstitutionPermission = (typeof INSTITUTION_PERMISSIONS)[number];

const GRANTS: Record<InstitutionRole, readonly InstitutionPermission[]> = {
  officer: ['act'],
  approver: ['act', 'approve', 'disburse'],
  admin: INSTITUTION_PERMISSIONS,
};

/**
 * Whether an institution user may do this. A user without an institution role (API clients and
 * users created before roles existed) keeps every right, as before roles existed.
 */
export function institutionMay(role: InstitutionRole | null | undefined, permission: InstitutionPermission): boolean {
  return role == null || GRANTS[role].includes(permission);
}

/** The permission a workflow action needs beyond acting at all (actions not listed need 'act'). */
export const ACTION_PERMISSIONS: Readonly<Record<string, InstitutionPermission>> = {
  approve: 'approve',
  disburse: 'disburse',
};

/**
 * What a suspended institution (Suzhou's exit, 退出) loses at once: new directed offers, pool
 * eligibility and grabs; being picked as guarantor for a new offer. Work already taken (live claims,
 * requested guarantees) runs to its end.
 */
export const SUSPENSION_STOPS = ['directedOffers', 'poolEligibility', 'grab', 'newGuarantees'] as const;

/** Actions that take on new work and so are refused to a suspended institution. */
export const NEW_WORK_ACTIONS: readonly string[] = ['grab'];
