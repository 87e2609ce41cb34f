// Portrait assembly: from whatever each source returned (or why it did not) to the Jiaxing-style
// sections, the list of missing and stale sources, a completeness figure and the score. A pure
// function, so the workflow, the bench and the API can all build the same portrait.
import type {
  Affiliate,
  BureauLoan,
  DishonestDebtorListing,
  EnforcementCase,
  HonourTag,
  Lawsuit,
  Licence,
  ListEntry,
  MonthlyAmount,
  MonthlyQuantity,
  Mortgage,
  OverdueEntry,
  Penalty,
  RegistrationStatus,
  Shareholder,
  SourceRecordMap,
  SourceRecords,
  TaxCreditGrade,
} from './records';
import { CAPITAL_BANDS_FEN, PORTRAIT_CONFIG } from './scorecard-config';
import { scoreRecords, type CreditScore } from './scorecard';
import { isStale } from './source-policy';
import { SOURCE_NAMES, type SourceName } from './sources';
import { monthsBefore } from './features';

export const PORTRAIT_VERSION = 'portrait-v1';

/** The sections a bank can be authorised to read; `creditScore` is the score, grade, PD and reasons. */
export const PORTRAIT_SECTIONS = [
  'registration',
  'relationshipNetwork',
  'operations',
  'assetsAndMortgages',
  'riskInformation',
  'honourTags',
  'creditScore',
] as const;
export type PortraitSection = (typeof PORTRAIT_SECTIONS)[number];

/** Why a source is missing: not_found is permanent; the others are transient. */
export type MissingReason = 'not_found' | 'unavailable' | 'timeout' | 'deadline' | 'unauthorized' | 'invalid_response';

export type SourceOutcome<S extends SourceName = SourceName> =
  { status: 'ok'; data: SourceRecordMap[S]; fetchedAt: string; fromCache?: boolean } | { status: 'missing'; reason: MissingReason; message?: string };

export type SourceOutcomes = { [S in SourceName]?: SourceOutcome<S> };

export interface SourceStatus {
  status: 'fresh' | 'stale' | 'missing';
  fetchedAt?: string;
  fromCache?: boolean;
  reason?: MissingReason;
}

export type CapitalBand = 'upTo1M' | '1to5M' | '5to20M' | 'over20M';

export interface PortraitSections {
  registration: null | {
    creditCode: string;
    name: string;
    legalRepresentative: string;
    registeredCapitalFen: number;
    capitalBand: CapitalBand;
    industry: string;
    region: string;
    status: RegistrationStatus;
    foundedOn: string;
  };
  relationshipNetwork: null | { shareholders: Shareholder[]; affiliates: Affiliate[] };
  operations: {
    tax: null | { taxCreditGrade: TaxCreditGrade; taxesPaid12mFen: number; monthlyTaxesPaid: MonthlyAmount[] };
    utilities: null | { electricityKwh: MonthlyQuantity[]; waterM3: MonthlyQuantity[] };
    employment: null | { latestInsuredEmployees: number | null; insuredEmployees: MonthlyQuantity[] };
    licences: null | Licence[];
  };
  assetsAndMortgages: null | {
    loans: BureauLoan[];
    loansOutstandingFen: number;
    mortgages: Mortgage[];
    guaranteesGivenFen: number;
  };
  riskInformation: {
    courts: null | { lawsuits: Lawsuit[]; enforcements: EnforcementCase[]; dishonestDebtor: DishonestDebtorListing[] };
    administrative: null | { penalties: Penalty[]; blackList: ListEntry[] };
    overdueHistory: null | OverdueEntry[];
    arrearsFen: { tax: number | null; socialSecurity: number | null; utilities: number | null };
  };
  honourTags: { tags: null | HonourTag[]; redList: null | ListEntry[] };
}

export interface CreditPortrait {
  portraitVersion: string;
  creditCode: string;
  asOf: string;
  sections: PortraitSections;
  sources: Record<SourceName, SourceStatus>;
  missing: SourceName[];
  stale: SourceName[];
  /** Weighted share of sources present, 0–1 (see PORTRAIT_CONFIG). */
  completeness: number;
  /** True when any source is missing. */
  partial: boolean;
  score: CreditScore;
}

export function capitalBand(fen: number): CapitalBand {
  if (fen <= CAPITAL_BANDS_FEN.small) return 'upTo1M';
  if (fen <= CAPITAL_BANDS_FEN.medium) return '1to5M';
  if (fen <= CAPITAL_BANDS_FEN.large) return '5to20M';
  return 'over20M';
}

/** Completeness from per-source statuses: weighted share present; stale counts `staleCredit`. */
export function completeness(sources: Record<SourceName, SourceStatus>): number {
  let total = 0;
  let got = 0;
  for (const s of SOURCE_NAMES) {
    const w = PORTRAIT_CONFIG.sourceWeights[s];
    total += w;
    const st = sources[s].status;
    if (st === 'fresh') got += w;
    else if (st === 'stale') got += w * PORTRAIT_CONFIG.staleCredit;
  }
  return total === 0 ? 0 : Math.round((got / total) * 10_000) / 10_000;
}

export interface AssembleInput {
  creditCode: string;
  /** When the portrait is made; staleness and "last 12 months" windows count back from here. */
  asOf: Date | string;
  outcomes: SourceOutcomes;
}

export function assemblePortrait(input: AssembleInput): CreditPortrait {
  const asOf = typeof input.asOf === 'string' ? new Date(input.asOf) : input.asOf;
  const records: SourceRecords = {};
  const sources = {} as Record<SourceName, SourceStatus>;
  for (const s of SOURCE_NAMES) {
    const o = input.outcomes[s];
    if (!o) {
      sources[s] = { status: 'missing', reason: 'unavailable' };
    } else if (o.status === 'missing') {
      sources[s] = { status: 'missing', reason: o.reason };
    } else {
      (records as Record<string, unknown>)[s] = o.data;
      sources[s] = { status: isStale(s, o.fetchedAt, asOf) ? 'stale' : 'fresh', fetchedAt: o.fetchedAt, ...(o.fromCache ? { fromCache: true } : {}) };
    }
  }
  const missing = SOURCE_NAMES.filter((s) => sources[s].status === 'missing');
  const stale = SOURCE_NAMES.filter((s) => sources[s].status === 'stale');
  return {
    portraitVersion: PORTRAIT_VERSION,
    creditCode: input.creditCode,
    asOf: asOf.toISOString(),
    sections: buildSections(records, asOf),
    sources,
    missing,
    stale,
    completeness: completeness(sources),
    partial: missing.length > 0,
    score: scoreRecords(records, asOf),
  };
}

function buildSections(r: SourceRecords, asOf: Date): PortraitSections {
  const { marketRegulation: mr, tax, utilities, socialSecurity: ss, courts, administrative: adm, creditBureau: cb, honours } = r;
  const latestEmployees = ss && ss.insuredEmployees.length ? ss.insuredEmployees.reduce((a, b) => (b.month > a.month ? b : a)) : undefined;
  return {
    registration: mr
      ? {
          creditCode: mr.creditCode,
          name: mr.name,
          legalRepresentative: mr.legalRepresentative,
          registeredCapitalFen: mr.registeredCapitalFen,
          capitalBand: capitalBand(mr.registeredCapitalFen),
          industry: mr.industry,
          region: mr.region,
          status: mr.status,
          foundedOn: mr.foundedOn,
        }
      : null,
    relationshipNetwork: mr ? { shareholders: mr.shareholders, affiliates: mr.affiliates } : null,
    operations: {
      tax: tax
        ? {
            taxCreditGrade: tax.taxCreditGrade,
            taxesPaid12mFen: tax.monthlyTaxesPaid
              .filter((p) => monthsBefore(p.month, asOf) >= 1 && monthsBefore(p.month, asOf) <= 12)
              .reduce((s, p) => s + p.amountFen, 0),
            monthlyTaxesPaid: tax.monthlyTaxesPaid,
          }
        : null,
      utilities: utilities ? { electricityKwh: utilities.electricityKwh, waterM3: utilities.waterM3 } : null,
      employment: ss ? { latestInsuredEmployees: latestEmployees?.quantity ?? null, insuredEmployees: ss.insuredEmployees } : null,
      licences: adm ? adm.licences : null,
    },
    assetsAndMortgages: cb
      ? {
          loans: cb.loans,
          loansOutstandingFen: cb.loans.reduce((s, l) => s + l.outstandingFen, 0),
          mortgages: cb.mortgages,
          guaranteesGivenFen: cb.guaranteesGivenFen,
        }
      : null,
    riskInformation: {
      courts: courts ? { lawsuits: courts.lawsuits, enforcements: courts.enforcements, dishonestDebtor: courts.dishonestDebtor } : null,
      administrative: adm ? { penalties: adm.penalties, blackList: adm.blackList } : null,
      overdueHistory: cb ? cb.overdueHistory : null,
      arrearsFen: { tax: tax ? tax.arrearsFen : null, socialSecurity: ss ? ss.arrearsFen : null, utilities: utilities ? utilities.arrearsFen : null },
    },
    honourTags: {
      // The tax grade A tag is derived from the tax source when the honours source lacks it.
      tags: honours
        ? honours.tags
        : tax?.taxCreditGrade === 'A'
          ? [{ code: 'TAX_GRADE_A', name: 'A级纳税人', grantedOn: `${asOf.getUTCFullYear() - 1}-04-30` }]
          : null,
      redList: adm ? adm.redList : null,
    },
  };
}

/** Why a source is missing, from a data-source error type (also the ApplicationFailure type). */
export function missingReasonForErrorType(type: string | undefined | null): MissingReason {
  switch (type) {
    case 'SourceNotFound':
      return 'not_found';
    case 'SourceTimeout':
      return 'timeout';
    case 'SourceUnauthorized':
      return 'unauthorized';
    case 'SourceInvalidResponse':
      return 'invalid_response';
    default:
      return 'unavailable';
  }
}
