// The lifecycle policy: every deadline, limit, reminder and guarantee rule of the domain, in one
// place. A request keeps the policy version it started with (stored on the request and passed to
// its workflow), so changing the policy never changes a running request's rules.
import type { BusinessCalendar } from './calendar';

/**
 * Mainland China public holidays and make-up working days (调休), per the State Council's notice
 * for 2026. Extend every December when the next year's notice is published.
 */
export const CN_CALENDAR_2026: BusinessCalendar = {
  startHour: 9,
  endHour: 17,
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** Risk shares in basis points of the loan amount: fund : bank : guarantor. */
export interface RiskShares {
  fundBp: number;
  bankBp: number;
  guarantorBp: number;
}

export interface LifecyclePolicy {
  version: string;
  /** Most banks one directed request may name. */
  directedBankLimit: number;
  /** Suzhou rule: at most 3 institutions may follow one open-pool request; first grabs win. */
  grabLimit: number;
  deadlines: {
    /** A directed bank must accept or reject within this many business days. */
    acceptanceBusinessDays: number;
    /** From accept/grab to approve or decline (Suzhou: 1–5 days, else cancelled automatically). */
    decisionBusinessDays: number;
    /** From approval (offer chosen) to disbursement. */
    disbursementBusinessDays: number;
    /** A guarantee institution's decision. */
    guaranteeBusinessDays: number;
    /** The enterprise rates the bank within this many calendar days, then the request auto-closes. */
    ratingCalendarDays: number;
    /** An open-pool request waits this long for grabs; with no live claim after it, it closes as expired. */
    poolOpenBusinessDays: number;
  };
  reminders: {
    /** Remind when this fraction of the allowed time has passed. */
    atFraction: number;
    /** ...and again this many business hours before expiry. */
    businessHoursBefore: number;
  };
  calendar: BusinessCalendar;
  guarantee: {
    /** Policy products: the guarantee fee is at most 1 % of the amount. */
    policyFeeCapBp: number;
    /** Credit guarantee fund default 65 : 20 : 15; may vary with the credit grade. */
    riskSharesByGrade: Record<string, RiskShares>;
    defaultRiskShares: RiskShares;
  };
  /** Guarantee methods that need a guarantee institution's approval before disbursement. */
  guaranteeMethodsNeedingGuarantor: readonly string[];
}

export const LIFECYCLE_POLICY_V1: LifecyclePolicy = {
  version: 'v1',
  directedBankLimit: 5,
  grabLimit: 3,
  deadlines: {
    acceptanceBusinessDays: 1,
    decisionBusinessDays: 5,
    disbursementBusinessDays: 5,
    guaranteeBusinessDays: 3,
    ratingCalendarDays: 7,
    poolOpenBusinessDays: 10,
  },
  reminders: { atFraction: 0.5, businessHoursBefore: 2 },
  calendar: CN_CALENDAR_2026,
  guarantee: {
    policyFeeCapBp: 100,
    defaultRiskShares: { fundBp: 6500, bankBp: 2000, guarantorBp: 1500 },
    riskSharesByGrade: {
      AAA: { fundBp: 6000, bankBp: 2500, guarantorBp: 1500 },
      AA: { fundBp: 6500, bankBp: 2000, guarantorBp: 1500 },
      A: { fundBp: 6500, bankBp: 2000, guarantorBp: 1500 },
      B: { fundBp: 7000, bankBp: 1500, guarantorBp: 1500 },
    },
  },
  guaranteeMethodsNeedingGuarantor: ['guarantee', 'combination'],
};

/** Policies by version: a running request looks its version up here, so old versions must stay. */
export const LIFECYCLE_POLICIES: Record<string, LifecyclePolicy> = { [LIFECYCLE_POLICY_V1.version]: LIFECYCLE_POLICY_V1 };

export const CURRENT_LIFECYCLE_POLICY = LIFECYCLE_POLICY_V1;

export function lifecyclePolicy(version: string): LifecyclePolicy {
  const p = LIFECYCLE_POLICIES[version];
  if (!p) throw new Error(`unknown lifecycle policy version ${version}`);
  return p;
}
