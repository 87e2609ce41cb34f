// Supervision (线上办理考核): what counts as a stuck order, how far a supervisor may extend a
// deadline, how banks are scored and ranked for the periodic service-assessment report, and when
// that report runs. Pure code and configuration: the API, the activities and the report workflow
// all read this one object, so a changed weight or threshold changes every figure consistently.
import { addBusinessDays, isBusinessDay, shanghaiDate, type BusinessCalendar } from './calendar';
import { CN_CALENDAR_2026 } from './policy';

/** The components of the composite score; each is a figure mapped onto [0, 1], 1 being best. */
export const SCORE_COMPONENTS = ['acceptSpeed', 'decideSpeed', 'disburseSpeed', 'onTime', 'grabWin', 'approval', 'rating', 'volume'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

export interface SupervisionConfig {
  version: string;
  calendar: BusinessCalendar;
  stuck: {
    /** A live claim (or an unserved request) with no change for this many business days is stuck even before its deadline. */
    idleBusinessDays: number;
    /** Crosscheck: deadlines younger than this are left out, since the workflow may be expiring them right now. */
    crosscheckGraceSeconds: number;
  };
  extension: {
    /** A supervisor's extension, when the request names no number of days. */
    defaultBusinessDays: number;
    maxBusinessDays: number;
  };
  ranking: {
    /** Weights of the composite score (they need not add up to 1: the score divides by the weights used). */
    weights: Record<ScoreComponent, number>;
    /**
     * Median elapsed hours at which a speed component reaches 0: the policy's deadline for the
     * step in calendar hours (1 business day ≈ 24 h; 5 business days ≈ one week = 168 h).
     */
    referenceHours: { accept: number; decide: number; disburse: number };
  };
  report: {
    scheduleId: string;
    /** Workflow id of each run (the schedule appends the run's time). */
    workflowId: string;
    /** When the report runs, local time in `timezone`. */
    dayOfWeek: 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
    hour: number;
    minute: number;
    timezone: 'Asia/Shanghai';
    /** The assessed period: this many days, ending at local midnight of the run's day. */
    periodDays: number;
  };
}

export const SUPERVISION_CONFIG: SupervisionConfig = {
  version: 's1',
  calendar: CN_CALENDAR_2026,
  stuck: { idleBusinessDays: 2, crosscheckGraceSeconds: 60 },
  extension: { defaultBusinessDays: 2, maxBusinessDays: 5 },
  ranking: {
    weights: {
      acceptSpeed: 0.15,
      decideSpeed: 0.15,
      disburseSpeed: 0.1,
      onTime: 0.2,
      grabWin: 0.05,
      approval: 0.1,
      rating: 0.15,
      volume: 0.1,
    },
    referenceHours: { accept: 24, decide: 168, disburse: 168 },
  },
  report: {
    scheduleId: 'supervision-report-weekly',
    workflowId: 'supervision-report',
    dayOfWeek: 'MONDAY',
    hour: 9,
    minute: 0,
    timezone: 'Asia/Shanghai',
    periodDays: 7,
  },
};

// ---- percentiles ----

/**
 * The p-quantile (0 ≤ p ≤ 1) with linear interpolation between closest ranks, the definition of
 * PostgreSQL's percentile_cont, so figures computed in SQL and in code agree. null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}
export const median = (values: readonly number[]) => percentile(values, 0.5);
export const p90 = (values: readonly number[]) => percentile(values, 0.9);

// ---- business time for stuck orders and extensions ----

const HOUR_MS = 3_600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
const localHour = (localDate: string, hour: number) => Date.parse(`${localDate}T00:00:00Z`) + hour * HOUR_MS - SHANGHAI_OFFSET_MS;
const previousDate = (localDate: string) => new Date(Date.parse(`${localDate}T00:00:00Z`) - 24 * HOUR_MS).toISOString().slice(0, 10);

/**
 * The instant `businessDays` of working time before `now`: anything whose last change is older
 * is idle for longer than that. Inverse of addBusinessDays (walks the calendar backwards).
 */
export function idleCutoff(now: Date, businessDays: number, cal: BusinessCalendar): Date {
  let remaining = businessDays * (cal.endHour - cal.startHour) * HOUR_MS;
  let t = now.getTime();
  let day = shanghaiDate(now);
  for (let i = 0; i < 366 * 2; i++) {
    if (isBusinessDay(day, cal)) {
      const open = localHour(day, cal.startHour);
      const to = Math.min(t, localHour(day, cal.endHour));
      if (to > open) {
        const available = to - open;
        if (remaining <= available) return new Date(to - remaining);
        remaining -= available;
      }
    }
    day = previousDate(day);
    t = localHour(day, 24);
  }
  throw new Error('idleCutoff: no business days found within two years; check the holiday calendar');
}

/**
 * A supervisor's extension: `businessDays` more working time after the current deadline, or after
 * now when the deadline has already passed (an overdue claim still gets the full extension).
 */
export function extendedDeadline(current: Date, now: Date, businessDays: number, cal: BusinessCalendar): Date {
  return addBusinessDays(current > now ? current : now, businessDays, cal);
}

// ---- per-bank figures, score and rank ----

/** Median and 90th percentile of a duration in hours, and how many durations they summarise. */
export interface DurationFigures {
  median: number | null;
  p90: number | null;
  n: number;
}

/** One bank's service figures for a period (what GET /v1/supervision/assessment returns per bank). */
export interface BankFigures {
  bankId: string;
  bankName: string;
  /** Offer (claim:offered) → first claim:accepted, for accepts in the period. */
  acceptHours: DurationFigures;
  /** claim:accepted (directed accept or won grab) → first claim:approved or claim:declined, for decisions in the period. */
  decideHours: DurationFigures;
  /** Last claim:approved (offer chosen, guarantee settled) → claim:disbursed, for disbursements in the period. */
  disburseHours: DurationFigures;
  /** Claims that ended in the period (any terminal status but withdrawn by the enterprise). */
  claimsEnded: number;
  /** ...of which cancelled at a deadline. */
  expired: number;
  /** ...of which released by a supervisor (shown, not scored). */
  released: number;
  /** expired / claimsEnded; null without ended claims. */
  missedShare: number | null;
  /** Pool requests opened in the period the bank was eligible for, and how many of them it won a grab on. */
  poolEligible: number;
  grabs: number;
  grabWinRate: number | null;
  /** Ended claims that reached an approval, and those declined without one. */
  approvals: number;
  declines: number;
  approvalRate: number | null;
  /** Average enterprise rating (1–5) per 4C dimension, for ratings given in the period. */
  rating: { n: number; meetsNeed: number | null; cost: number | null; speed: number | null; communication: number | null };
  /** Loans disbursed in the period (Shanghai dates). */
  loans: { count: number; amountFen: number; firstLoans: number; creditLoans: number };
}

export interface RankingRow {
  rank: number | null;
  bankId: string;
  bankName: string;
  /** 0–100, two decimals; null when the bank had no activity to assess in the period. */
  score: number | null;
  /** Each component on [0, 1], null when the bank has no figure for it (left out of its score). */
  components: Record<ScoreComponent, number | null>;
  figures: BankFigures;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const speed = (d: DurationFigures, refHours: number) => (d.median === null ? null : clamp01(1 - d.median / refHours));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Average of the 4C dimension averages, or null without ratings. */
export function averageRating(r: BankFigures['rating']): number | null {
  const dims = [r.meetsNeed, r.cost, r.speed, r.communication].filter((x): x is number => x !== null);
  return r.n === 0 || dims.length === 0 ? null : dims.reduce((a, b) => a + b, 0) / dims.length;
}

/** True when the bank did anything assessable in the period; idle banks are listed but not ranked. */
export function hasActivity(f: BankFigures): boolean {
  return f.claimsEnded > 0 || f.poolEligible > 0 || f.loans.count > 0 || f.acceptHours.n + f.decideHours.n + f.disburseHours.n > 0 || f.rating.n > 0;
}

/**
 * Component scores of one bank, each on [0, 1] (1 best), null when the bank has no figure for it:
 *
 *   acceptSpeed   = 1 − min(1, median hours to accept   / referenceHours.accept)
 *   decideSpeed   = 1 − min(1, median hours to decide   / referenceHours.decide)
 *   disburseSpeed = 1 − min(1, median hours to disburse / referenceHours.disburse)
 *   onTime        = 1 − share of deadlines missed (expired / ended claims)
 *   grabWin       = grab win rate (grabs won / pool requests the bank was eligible for)
 *   approval      = approval rate (approved / approved + declined)
 *   rating        = (average 4C rating − 1) / 4
 *   volume        = ½ · loans / most loans of any bank + ½ · amount / largest amount of any bank
 *
 * Speeds use the median (robust to one forgotten claim; p90 is reported beside it); volume is the
 * only relative component, since "many loans" has no absolute yardstick.
 */
export function scoreComponents(
  f: BankFigures,
  max: { loans: number; amountFen: number },
  cfg: SupervisionConfig = SUPERVISION_CONFIG,
): Record<ScoreComponent, number | null> {
  const ref = cfg.ranking.referenceHours;
  const avg = averageRating(f.rating);
  return {
    acceptSpeed: speed(f.acceptHours, ref.accept),
    decideSpeed: speed(f.decideHours, ref.decide),
    disburseSpeed: speed(f.disburseHours, ref.disburse),
    onTime: f.missedShare === null ? null : clamp01(1 - f.missedShare),
    grabWin: f.grabWinRate === null ? null : clamp01(f.grabWinRate),
    approval: f.approvalRate === null ? null : clamp01(f.approvalRate),
    rating: avg === null ? null : clamp01((avg - 1) / 4),
    volume: max.loans > 0 && max.amountFen > 0 ? clamp01(0.5 * (f.loans.count / max.loans) + 0.5 * (f.loans.amountFen / max.amountFen)) : null,
  };
}

/**
 * The composite score: 100 · Σ wᵢ·cᵢ / Σ wᵢ over the components the bank has a figure for, so a
 * bank that received no directed offer is not punished (nor rewarded) for its acceptance speed.
 */
export function compositeScore(components: Record<ScoreComponent, number | null>, cfg: SupervisionConfig = SUPERVISION_CONFIG): number | null {
  let sum = 0;
  let weights = 0;
  for (const k of SCORE_COMPONENTS) {
    const c = components[k];
    const w = cfg.ranking.weights[k];
    if (c === null || w <= 0) continue;
    sum += w * c;
    weights += w;
  }
  return weights === 0 ? null : round((100 * sum) / weights, 2);
}

/**
 * Scores and ranks banks: highest score first; ties go to the bank that missed fewer deadlines,
 * then by bank id (a stable order). Banks without activity in the period come last, unranked.
 */
export function rankBanks(figures: readonly BankFigures[], cfg: SupervisionConfig = SUPERVISION_CONFIG): RankingRow[] {
  const max = {
    loans: Math.max(0, ...figures.map((f) => f.loans.count)),
    amountFen: Math.max(0, ...figures.map((f) => f.loans.amountFen)),
  };
  const rows: RankingRow[] = figures.map((f) => {
    const components = scoreComponents(f, max, cfg);
    return { rank: null, bankId: f.bankId, bankName: f.bankName, score: hasActivity(f) ? compositeScore(components, cfg) : null, components, figures: f };
  });
  rows.sort((a, b) => {
    if (a.score === null || b.score === null) return a.score === null && b.score === null ? a.bankId.localeCompare(b.bankId) : a.score === null ? 1 : -1;
    return b.score - a.score || (a.figures.missedShare ?? 0) - (b.figures.missedShare ?? 0) || a.bankId.localeCompare(b.bankId);
  });
  let rank = 0;
  for (const r of rows) if (r.score !== null) r.rank = ++rank;
  return rows;
}

// ---- the report's period and schedule ----

const DAYS: SupervisionConfig['report']['dayOfWeek'][] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/**
 * The period a report run at `at` assesses: `periodDays` days ending at local (Shanghai) midnight of
 * the latest configured report day on or before `at`. A Monday 09:00 run covers the previous
 * Monday 00:00 to this Monday 00:00; a late or manual run mid-week still reports the last whole week.
 */
export function reportPeriodBefore(at: Date, cfg: SupervisionConfig = SUPERVISION_CONFIG): { periodStart: string; periodEnd: string } {
  const want = DAYS.indexOf(cfg.report.dayOfWeek);
  let day = shanghaiDate(at);
  for (let i = 0; i < 7 && new Date(`${day}T00:00:00Z`).getUTCDay() !== want; i++) day = previousDate(day);
  const end = localHour(day, 0);
  return { periodStart: new Date(end - cfg.report.periodDays * 24 * HOUR_MS).toISOString(), periodEnd: new Date(end).toISOString() };
}

/** A report's id, from its period's local dates: one report per period. */
export function reportId(period: { periodStart: string; periodEnd: string }): string {
  return `report-${shanghaiDate(new Date(period.periodStart))}-${shanghaiDate(new Date(period.periodEnd))}`;
}

/** The schedule's calendar spec, as the Temporal client takes it. */
export function reportScheduleSpec(cfg: SupervisionConfig = SUPERVISION_CONFIG) {
  return {
    calendars: [{ dayOfWeek: cfg.report.dayOfWeek, hour: cfg.report.hour, minute: cfg.report.minute }],
    timezone: cfg.report.timezone,
  };
}
