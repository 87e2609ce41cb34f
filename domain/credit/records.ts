// The shapes of the records each source returns, as the portrait and the scorecard consume them.
// The HTTP clients validate responses against zod schemas of these same shapes
// (datasources/schemas.ts). Money is integer fen; dates are ISO 'YYYY-MM-DD'; months 'YYYY-MM'.
// Pure types only.
import type { SourceName } from './sources';

/** GB/T 4754 section letter (A–T); C = manufacturing. */
export type IndustrySection = string;

/** 存续 active; 经营异常 abnormal operations list; 吊销 revoked; 注销 deregistered. */
export type RegistrationStatus = 'active' | 'abnormal' | 'revoked' | 'deregistered';

export interface Shareholder {
  name: string;
  kind: 'person' | 'enterprise';
  /** Present when the shareholder is itself an enterprise. */
  creditCode?: string;
  /** Share of subscribed capital in basis points (10000 = 100 %). */
  shareBp: number;
}

export interface Affiliate {
  creditCode: string;
  name: string;
  /** investee: this enterprise holds shares in it; sharedLegalRepresentative: same 法定代表人. */
  relation: 'investee' | 'sharedLegalRepresentative';
}

export interface MarketRegistrationRecord {
  creditCode: string;
  name: string;
  legalRepresentative: string;
  /** Legal-representative changes in the last 24 months (frequent changes are a management signal). */
  legalRepresentativeChanges24m: number;
  registeredCapitalFen: number;
  industry: IndustrySection;
  region: string;
  status: RegistrationStatus;
  foundedOn: string;
  shareholders: Shareholder[];
  affiliates: Affiliate[];
}

/** 纳税信用等级: A best, D worst, M = newly established (no full assessment year yet). */
export type TaxCreditGrade = 'A' | 'B' | 'C' | 'D' | 'M';

export interface MonthlyAmount {
  month: string;
  amountFen: number;
}

export interface TaxRecord {
  creditCode: string;
  taxCreditGrade: TaxCreditGrade;
  /** Most recent last; up to 24 months. */
  monthlyTaxesPaid: MonthlyAmount[];
  arrearsFen: number;
}

export interface MonthlyQuantity {
  month: string;
  quantity: number;
}

export interface UtilitiesRecord {
  creditCode: string;
  /** kWh per month, most recent last; up to 24 months. */
  electricityKwh: MonthlyQuantity[];
  /** Cubic metres per month, most recent last; up to 24 months. */
  waterM3: MonthlyQuantity[];
  arrearsFen: number;
}

export interface SocialSecurityRecord {
  creditCode: string;
  /** Insured employees per month, most recent last; up to 24 months. */
  insuredEmployees: MonthlyQuantity[];
  /** Contributions owed and unpaid (欠缴). */
  arrearsFen: number;
}

export interface Lawsuit {
  caseNumber: string;
  filedOn: string;
  role: 'plaintiff' | 'defendant';
  cause: string;
  amountFen: number;
  status: 'pending' | 'closed';
}

export interface EnforcementCase {
  caseNumber: string;
  filedOn: string;
  amountFen: number;
  status: 'ongoing' | 'concluded';
}

export interface DishonestDebtorListing {
  caseNumber: string;
  listedOn: string;
  /** Set when the enterprise has been removed from the list. */
  delistedOn?: string;
}

export interface CourtsRecord {
  creditCode: string;
  lawsuits: Lawsuit[];
  enforcements: EnforcementCase[];
  dishonestDebtor: DishonestDebtorListing[];
}

export interface Licence {
  name: string;
  issuedOn: string;
  expiresOn?: string;
}

export interface Penalty {
  decisionNumber: string;
  decidedOn: string;
  authority: string;
  reason: string;
  amountFen: number;
}

export interface ListEntry {
  list: string;
  listedOn: string;
  removedOn?: string;
}

export interface AdministrativeRecord {
  creditCode: string;
  licences: Licence[];
  penalties: Penalty[];
  redList: ListEntry[];
  blackList: ListEntry[];
}

export interface BureauLoan {
  lender: string;
  principalFen: number;
  outstandingFen: number;
  openedOn: string;
  maturesOn: string;
  guaranteeMethod: 'credit' | 'guarantee' | 'mortgage' | 'combination' | 'pledge' | 'other';
}

export interface OverdueEntry {
  /** Month in which the overdue was reported. */
  month: string;
  /** Longest days past due in that month. */
  daysPastDue: number;
  amountFen: number;
}

export interface Mortgage {
  asset: string;
  appraisedFen: number;
  securedFen: number;
  registeredOn: string;
}

export interface CreditBureauRecord {
  creditCode: string;
  loans: BureauLoan[];
  /** Up to 60 months of reported overdues. */
  overdueHistory: OverdueEntry[];
  mortgages: Mortgage[];
  /** Guarantees this enterprise has given for others (contingent liabilities). */
  guaranteesGivenFen: number;
}

export const HONOUR_CODES = [
  'HIGH_TECH', // 高新技术企业
  'SPECIALISED_INNOVATIVE', // 专精特新
  'LITTLE_GIANT', // 专精特新"小巨人"
  'TECH_SME', // 科技型中小企业
  'TAX_GRADE_A', // A级纳税人 (also derived from the tax source)
] as const;
export type HonourCode = (typeof HONOUR_CODES)[number];

export interface HonourTag {
  code: HonourCode;
  name: string;
  grantedOn: string;
  expiresOn?: string;
}

export interface HonoursRecord {
  creditCode: string;
  tags: HonourTag[];
}

/** Which record each source yields. */
export interface SourceRecordMap {
  marketRegulation: MarketRegistrationRecord;
  tax: TaxRecord;
  utilities: UtilitiesRecord;
  socialSecurity: SocialSecurityRecord;
  courts: CourtsRecord;
  administrative: AdministrativeRecord;
  creditBureau: CreditBureauRecord;
  honours: HonoursRecord;
}

/** Whatever records were obtained; a missing key means the source is missing. */
export type SourceRecords = { [S in SourceName]?: SourceRecordMap[S] };
