// Who is calling: the authenticated principal every route checks role and ownership against.
export const ROLES = ['enterprise', 'bank', 'guaranteeInstitution', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  role: Role;
  name: string;
  enterpriseId: string | null;
  bankId: string | null;
  /** A bank user limited to one branch / region; null = the whole institution. */
  branch: string | null;
  region: string | null;
  guaranteeInstitutionId: string | null;
  /** How this call authenticated. */
  via: 'apiKey' | 'token';
}

/** Platform-wide readers: they see every request, claim and statistic. */
export const OVERSEERS: readonly Role[] = ['supervisor', 'admin'];

export function isOverseer(p: Principal): boolean {
  return OVERSEERS.includes(p.role);
}
