// Turns whatever source records were obtained into the scorecard's characteristics. A feature is
// undefined when the source it needs is missing, so the scorecard can score it as "no data"
// rather than as a good or bad value. Pure: time comes in as `asOf`.
import type { SourceRecords, MonthlyAmount, MonthlyQuantity } from './records';

export interface CreditFeatures {
  // businessEnvironment
  industry?: string;
  registrationStatus?: string;
  ageYears?: number;
  // management
  registeredCapitalFen?: number;
  legalRepresentativeChanges24m?: number;
  penalties24m?: number;
  // operatingCapability
  electricityYoY?: number;
  employeeTrend12m?: number;
  // financialCondition
  taxesPaid12mFen?: number;
  taxTrendYoY?: number;
  leverage?: number;
  // creditRecord
  taxCreditGrade?: string;
  maxDaysPastDue12m?: number;
  overdueMonths13to36m?: number;
  ongoingEnforcements?: number;
  dishonestDebtorActive?: number;
  defendantLawsuits24m?: number;
  blackListActive?: number;
  taxArrears?: number;
  // socialResponsibility
  socialSecurityArrears?: number;
  insuredEmployees?: number;
  honours?: number;
  redListActive?: number;
}

const DAY_MS = 86_400_000;

/** Whole months between a 'YYYY-MM' (or 'YYYY-MM-DD') and asOf's month; 0 = same month. */
export function monthsBefore(monthOrDate: string, asOf: Date): number {
  const y = Number(monthOrDate.slice(0, 4));
  const m = Number(monthOrDate.slice(5, 7));
  return (asOf.getUTCFullYear() - y) * 12 + (asOf.getUTCMonth() + 1 - m);
}

function daysBefore(date: string, asOf: Date): number {
  return (asOf.getTime() - Date.parse(`${date.slice(0, 10)}T00:00:00Z`)) / DAY_MS;
}

function withinDays(date: string, asOf: Date, days: number): boolean {
  const d = daysBefore(date, asOf);
  return d >= 0 && d <= days;
}

/** Sum of the series over months that lie `fromBack`..`toBack` months before asOf (1 = last month). */
function sumMonths(series: ReadonlyArray<MonthlyAmount | MonthlyQuantity>, asOf: Date, fromBack: number, toBack: number): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (const p of series) {
    const back = monthsBefore(p.month, asOf);
    if (back >= fromBack && back <= toBack) {
      sum += 'amountFen' in p ? p.amountFen : p.quantity;
      n++;
    }
  }
  return { sum, n };
}

/** Ratio of the recent window to the same window a year earlier; undefined without both halves. */
function yearOnYear(series: ReadonlyArray<MonthlyAmount | MonthlyQuantity>, asOf: Date, months: number): number | undefined {
  const recent = sumMonths(series, asOf, 1, months);
  const prior = sumMonths(series, asOf, 13, 12 + months);
  if (recent.n < months || prior.n < months || prior.sum <= 0) return undefined;
  return recent.sum / prior.sum;
}

function latest(series: readonly MonthlyQuantity[]): MonthlyQuantity | undefined {
  let best: MonthlyQuantity | undefined;
  for (const p of series) if (!best || p.month > best.month) best = p;
  return best;
}

const bool = (b: boolean): number => (b ? 1 : 0);

export function extractFeatures(records: SourceRecords, asOf: Date): CreditFeatures {
  const f: CreditFeatures = {};
  const { marketRegulation: mr, tax, utilities, socialSecurity: ss, courts, administrative: adm, creditBureau: cb, honours } = records;

  if (mr) {
    f.industry = mr.industry;
    f.registrationStatus = mr.status;
    f.ageYears = daysBefore(mr.foundedOn, asOf) / 365.25;
    f.registeredCapitalFen = mr.registeredCapitalFen;
    f.legalRepresentativeChanges24m = mr.legalRepresentativeChanges24m;
  }
  if (adm) {
    f.penalties24m = adm.penalties.filter((p) => withinDays(p.decidedOn, asOf, 730)).length;
    f.blackListActive = bool(adm.blackList.some((e) => !e.removedOn));
    f.redListActive = bool(adm.redList.some((e) => !e.removedOn));
  }
  if (utilities) {
    // Six months against the same six months a year earlier: cancels the seasonality.
    f.electricityYoY = yearOnYear(utilities.electricityKwh, asOf, 6);
  }
  if (ss) {
    const now = latest(ss.insuredEmployees);
    const yearAgo = now ? ss.insuredEmployees.find((p) => monthsBefore(p.month, asOf) === monthsBefore(now.month, asOf) + 12) : undefined;
    if (now) f.insuredEmployees = now.quantity;
    if (now && yearAgo && yearAgo.quantity > 0) f.employeeTrend12m = now.quantity / yearAgo.quantity;
    f.socialSecurityArrears = bool(ss.arrearsFen > 0);
  }
  if (tax) {
    f.taxCreditGrade = tax.taxCreditGrade;
    f.taxesPaid12mFen = sumMonths(tax.monthlyTaxesPaid, asOf, 1, 12).sum;
    f.taxTrendYoY = yearOnYear(tax.monthlyTaxesPaid, asOf, 12);
    f.taxArrears = bool(tax.arrearsFen > 0);
  }
  if (cb) {
    let maxDpd = 0;
    let older = 0;
    for (const o of cb.overdueHistory) {
      const back = monthsBefore(o.month, asOf);
      if (back >= 0 && back <= 12) maxDpd = Math.max(maxDpd, o.daysPastDue);
      else if (back > 12 && back <= 36) older++;
    }
    f.maxDaysPastDue12m = maxDpd;
    f.overdueMonths13to36m = older;
    if (mr && mr.registeredCapitalFen > 0) {
      const outstanding = cb.loans.reduce((s, l) => s + l.outstandingFen, 0);
      f.leverage = outstanding / mr.registeredCapitalFen;
    }
  }
  if (courts) {
    f.ongoingEnforcements = courts.enforcements.filter((e) => e.status === 'ongoing').length;
    f.dishonestDebtorActive = bool(courts.dishonestDebtor.some((d) => !d.delistedOn));
    f.defendantLawsuits24m = courts.lawsuits.filter((l) => l.role === 'defendant' && withinDays(l.filedOn, asOf, 730)).length;
  }
  if (honours) {
    // TAX_GRADE_A is already scored through the tax grade; do not count it twice.
    f.honours = honours.tags.filter((t) => t.code !== 'TAX_GRADE_A' && (!t.expiresOn || daysBefore(t.expiresOn, asOf) < 0)).length;
  }
  return f;
}
