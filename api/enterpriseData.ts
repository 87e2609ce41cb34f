// The profile columns of a new enterprise, the same from a supervisor's registration and from the
// enterprise's own: one place, so the two paths cannot drift.
export interface EnterpriseProfileInput {
  creditCode: string;
  name: string;
  contactName: string;
  contactMobile: string;
  email?: string | null;
  industry: string;
  region: string;
  registeredCapitalFen: number;
}

export function enterpriseProfileData(body: EnterpriseProfileInput) {
  return {
    creditCode: body.creditCode,
    name: body.name,
    contactName: body.contactName,
    contactMobile: body.contactMobile,
    email: body.email ?? null,
    industry: body.industry,
    region: body.region,
    registeredCapitalFen: BigInt(body.registeredCapitalFen),
  };
}
