// Every tunable figure of the credit scorecard, the grades, the probability-of-default mapping,
// the portrait and the risk warnings — in one place, so that a model review reads one file.
// Version the whole object: a stored score records the SCORECARD_CONFIG.version it was made with.
//
// How the score works (a classic additive points scorecard, chosen because every point is
// explainable to an enterprise and a bank): score = basePoints + Σ points of the bin each
// characteristic falls in, clamped to [0, 1000]. Characteristics are grouped into Suzhou's six
// dimensions. A characteristic whose source is missing scores `missingPoints` (neutral, 0), so a
// missing source neither rewards nor punishes; the portrait's completeness tells the bank how much
// of the picture it has. Reason codes: for each characteristic the points lost against its best
// bin; the largest losses whose bin carries a reason code are reported, biggest first.
import type { CreditFeatures } from './features';

export const DIMENSIONS = [
  'businessEnvironment', // 经营环境
  'management', // 经营管理
  'operatingCapability', // 经营能力
  'financialCondition', // 财务状况
  'creditRecord', // 信用记录
  'socialResponsibility', // 社会责任
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const REASON_CODES = {
  OVERDUE_12M: { en: 'overdue in the last 12 months', zh: '近12个月有逾期' },
  OVERDUE_90D_12M: { en: 'overdue more than 90 days in the last 12 months', zh: '近12个月逾期超过90天' },
  OVERDUE_36M: { en: 'overdue 13 to 36 months ago', zh: '13至36个月前有逾期' },
  TAX_GRADE_C: { en: 'tax grade C', zh: '纳税信用等级C级' },
  TAX_GRADE_D: { en: 'tax grade D', zh: '纳税信用等级D级' },
  TAX_GRADE_M: { en: 'tax grade M (newly established taxpayer)', zh: '纳税信用等级M级（新设立）' },
  TAX_ARREARS: { en: 'tax arrears', zh: '存在欠税' },
  COURT_ENFORCEMENT: { en: 'court enforcement', zh: '存在被执行案件' },
  DISHONEST_DEBTOR: { en: 'listed as dishonest debtor', zh: '列入失信被执行人名单' },
  LAWSUIT_DEFENDANT: { en: 'defendant in lawsuits in the last 24 months', zh: '近24个月作为被告涉诉' },
  BLACK_LIST: { en: 'on a black list', zh: '列入黑名单' },
  ADMIN_PENALTY: { en: 'administrative penalties in the last 24 months', zh: '近24个月有行政处罚' },
  REGISTRATION_ABNORMAL: { en: 'on the abnormal operations list', zh: '列入经营异常名录' },
  REGISTRATION_REVOKED: { en: 'business licence revoked or deregistered', zh: '营业执照吊销或注销' },
  YOUNG_ENTERPRISE: { en: 'founded less than 3 years ago', zh: '成立不满3年' },
  HIGH_RISK_INDUSTRY: { en: 'industry with elevated default rates', zh: '所属行业风险较高' },
  SMALL_CAPITAL: { en: 'registered capital at most CNY 1 million', zh: '注册资本不超过100万元' },
  LEGAL_REP_CHANGES: { en: 'legal representative changed in the last 24 months', zh: '近24个月法定代表人变更' },
  ELECTRICITY_DECLINE: { en: 'electricity use falling year on year', zh: '用电量同比下降' },
  HEADCOUNT_DECLINE: { en: 'insured employees falling year on year', zh: '参保人数同比下降' },
  LOW_TAX_CONTRIBUTION: { en: 'low taxes paid in the last 12 months', zh: '近12个月纳税额较低' },
  TAX_PAID_DECLINE: { en: 'taxes paid falling year on year', zh: '纳税额同比下降' },
  HIGH_LEVERAGE: { en: 'loans outstanding high relative to registered capital', zh: '贷款余额相对注册资本偏高' },
  SOCIAL_SECURITY_ARREARS: { en: 'social security contributions in arrears', zh: '社保欠缴' },
  FEW_INSURED_EMPLOYEES: { en: 'fewer than 5 insured employees', zh: '参保人数少于5人' },
} as const;
export type ReasonCode = keyof typeof REASON_CODES;

/** Numeric bins are tried in order; a value falls in the first bin with value < below (last bin: no `below`). */
export interface NumericBin {
  below?: number;
  points: number;
  reason?: ReasonCode;
  label: string;
}
export interface CategoryBin {
  values: readonly string[];
  points: number;
  reason?: ReasonCode;
  label: string;
}

interface CharacteristicBase {
  feature: keyof CreditFeatures;
  dimension: Dimension;
  /** Points when the feature could not be computed (source missing, too little history). */
  missingPoints: number;
}
export type Characteristic =
  | (CharacteristicBase & { kind: 'numeric'; bins: readonly NumericBin[] })
  | (CharacteristicBase & { kind: 'category'; bins: readonly CategoryBin[]; otherPoints: number });

const FEN_PER_CNY = 100;
const CNY_MILLION = 1_000_000 * FEN_PER_CNY;
const CNY_THOUSAND = 1_000 * FEN_PER_CNY;

/** Registered capital bands used across the product (≤1 M / 1–5 M / 5–20 M / >20 M CNY), upper bounds in fen. */
export const CAPITAL_BANDS_FEN = { small: 1 * CNY_MILLION, medium: 5 * CNY_MILLION, large: 20 * CNY_MILLION } as const;

export const CHARACTERISTICS: readonly Characteristic[] = [
  // ——— businessEnvironment: what the enterprise cannot change quickly ———
  {
    feature: 'industry',
    dimension: 'businessEnvironment',
    kind: 'category',
    missingPoints: 0,
    otherPoints: 0,
    bins: [
      // Manufacturing, IT, R&D services, utilities, health: historically lower SME default rates.
      { values: ['C', 'D', 'I', 'M', 'Q'], points: 15, label: 'lower-risk industry' },
      // Construction, hospitality, real estate, entertainment: cyclical, thin margins.
      { values: ['E', 'H', 'K', 'R'], points: -25, reason: 'HIGH_RISK_INDUSTRY', label: 'higher-risk industry' },
    ],
  },
  {
    feature: 'registrationStatus',
    dimension: 'businessEnvironment',
    kind: 'category',
    missingPoints: 0,
    otherPoints: 0,
    bins: [
      { values: ['active'], points: 10, label: 'active (存续)' },
      { values: ['abnormal'], points: -80, reason: 'REGISTRATION_ABNORMAL', label: 'abnormal operations list' },
      { values: ['revoked', 'deregistered'], points: -300, reason: 'REGISTRATION_REVOKED', label: 'revoked or deregistered' },
    ],
  },
  {
    feature: 'ageYears',
    dimension: 'businessEnvironment',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: -60, reason: 'YOUNG_ENTERPRISE', label: '< 1 year' },
      { below: 3, points: -30, reason: 'YOUNG_ENTERPRISE', label: '1–3 years' },
      { below: 5, points: 0, label: '3–5 years' },
      { below: 10, points: 20, label: '5–10 years' },
      { points: 35, label: '≥ 10 years' },
    ],
  },
  // ——— management ———
  {
    feature: 'registeredCapitalFen',
    dimension: 'management',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: CAPITAL_BANDS_FEN.small + 1, points: -20, reason: 'SMALL_CAPITAL', label: '≤ 1 M CNY' },
      { below: CAPITAL_BANDS_FEN.medium + 1, points: 0, label: '1–5 M CNY' },
      { below: CAPITAL_BANDS_FEN.large + 1, points: 15, label: '5–20 M CNY' },
      { points: 25, label: '> 20 M CNY' },
    ],
  },
  {
    feature: 'legalRepresentativeChanges24m',
    dimension: 'management',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 10, label: 'no change' },
      { below: 2, points: -10, reason: 'LEGAL_REP_CHANGES', label: 'one change' },
      { points: -40, reason: 'LEGAL_REP_CHANGES', label: 'two or more changes' },
    ],
  },
  {
    feature: 'penalties24m',
    dimension: 'management',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 15, label: 'none' },
      { below: 2, points: -15, reason: 'ADMIN_PENALTY', label: 'one' },
      { points: -50, reason: 'ADMIN_PENALTY', label: 'two or more' },
    ],
  },
  // ——— operatingCapability: is the business growing or shrinking ———
  {
    feature: 'electricityYoY',
    dimension: 'operatingCapability',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 0.7, points: -60, reason: 'ELECTRICITY_DECLINE', label: 'down > 30 %' },
      { below: 0.9, points: -25, reason: 'ELECTRICITY_DECLINE', label: 'down 10–30 %' },
      { below: 1.1, points: 0, label: 'stable' },
      { points: 25, label: 'up ≥ 10 %' },
    ],
  },
  {
    feature: 'employeeTrend12m',
    dimension: 'operatingCapability',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 0.8, points: -50, reason: 'HEADCOUNT_DECLINE', label: 'down > 20 %' },
      { below: 0.95, points: -20, reason: 'HEADCOUNT_DECLINE', label: 'down 5–20 %' },
      { below: 1.1, points: 0, label: 'stable' },
      { points: 20, label: 'up ≥ 10 %' },
    ],
  },
  // ——— financialCondition ———
  {
    feature: 'taxesPaid12mFen',
    dimension: 'financialCondition',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 50 * CNY_THOUSAND, points: -40, reason: 'LOW_TAX_CONTRIBUTION', label: '< 50 k CNY' },
      { below: 200 * CNY_THOUSAND, points: -10, reason: 'LOW_TAX_CONTRIBUTION', label: '50–200 k CNY' },
      { below: 1 * CNY_MILLION, points: 10, label: '200 k–1 M CNY' },
      { below: 5 * CNY_MILLION, points: 25, label: '1–5 M CNY' },
      { points: 40, label: '≥ 5 M CNY' },
    ],
  },
  {
    feature: 'taxTrendYoY',
    dimension: 'financialCondition',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 0.7, points: -50, reason: 'TAX_PAID_DECLINE', label: 'down > 30 %' },
      { below: 0.9, points: -20, reason: 'TAX_PAID_DECLINE', label: 'down 10–30 %' },
      { below: 1.1, points: 0, label: 'stable' },
      { points: 20, label: 'up ≥ 10 %' },
    ],
  },
  {
    feature: 'leverage',
    dimension: 'financialCondition',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 0.5, points: 10, label: '< 0.5× capital' },
      { below: 1.5, points: 0, label: '0.5–1.5× capital' },
      { below: 3, points: -30, reason: 'HIGH_LEVERAGE', label: '1.5–3× capital' },
      { points: -60, reason: 'HIGH_LEVERAGE', label: '≥ 3× capital' },
    ],
  },
  // ——— creditRecord: the heaviest dimension, as in every bank scorecard ———
  {
    feature: 'taxCreditGrade',
    dimension: 'creditRecord',
    kind: 'category',
    missingPoints: 0,
    otherPoints: 0,
    bins: [
      { values: ['A'], points: 50, label: 'A' },
      { values: ['B'], points: 15, label: 'B' },
      { values: ['M'], points: -10, reason: 'TAX_GRADE_M', label: 'M (new)' },
      { values: ['C'], points: -70, reason: 'TAX_GRADE_C', label: 'C' },
      { values: ['D'], points: -150, reason: 'TAX_GRADE_D', label: 'D' },
    ],
  },
  {
    feature: 'maxDaysPastDue12m',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 40, label: 'never overdue' },
      { below: 31, points: -60, reason: 'OVERDUE_12M', label: '1–30 days' },
      { below: 91, points: -120, reason: 'OVERDUE_12M', label: '31–90 days' },
      { points: -200, reason: 'OVERDUE_90D_12M', label: '> 90 days' },
    ],
  },
  {
    feature: 'overdueMonths13to36m',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 10, label: 'none' },
      { points: -30, reason: 'OVERDUE_36M', label: 'one or more months' },
    ],
  },
  {
    feature: 'ongoingEnforcements',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 10, label: 'none' },
      { points: -120, reason: 'COURT_ENFORCEMENT', label: 'one or more ongoing' },
    ],
  },
  {
    feature: 'dishonestDebtorActive',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 0, label: 'not listed' },
      { points: -250, reason: 'DISHONEST_DEBTOR', label: 'listed' },
    ],
  },
  {
    feature: 'defendantLawsuits24m',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 10, label: 'none' },
      { below: 2, points: -25, reason: 'LAWSUIT_DEFENDANT', label: 'one' },
      { points: -60, reason: 'LAWSUIT_DEFENDANT', label: 'two or more' },
    ],
  },
  {
    feature: 'blackListActive',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 0, label: 'not listed' },
      { points: -200, reason: 'BLACK_LIST', label: 'listed' },
    ],
  },
  {
    feature: 'taxArrears',
    dimension: 'creditRecord',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 0, label: 'none' },
      { points: -50, reason: 'TAX_ARREARS', label: 'in arrears' },
    ],
  },
  // ——— socialResponsibility: employment, contributions, recognition ———
  {
    feature: 'socialSecurityArrears',
    dimension: 'socialResponsibility',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 10, label: 'paid up' },
      { points: -50, reason: 'SOCIAL_SECURITY_ARREARS', label: 'in arrears' },
    ],
  },
  {
    feature: 'insuredEmployees',
    dimension: 'socialResponsibility',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 5, points: -20, reason: 'FEW_INSURED_EMPLOYEES', label: '< 5' },
      { below: 20, points: 0, label: '5–19' },
      { below: 100, points: 10, label: '20–99' },
      { points: 20, label: '≥ 100' },
    ],
  },
  {
    feature: 'honours',
    dimension: 'socialResponsibility',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 0, label: 'none' },
      { below: 2, points: 25, label: 'one' },
      { points: 40, label: 'two or more' },
    ],
  },
  {
    feature: 'redListActive',
    dimension: 'socialResponsibility',
    kind: 'numeric',
    missingPoints: 0,
    bins: [
      { below: 1, points: 0, label: 'not listed' },
      { points: 20, label: 'on a red list' },
    ],
  },
];

/** Grades, best first; an enterprise gets the first grade whose `minScore` it reaches (boundary inclusive). */
export const GRADES = [
  { grade: 'AAA', minScore: 850 },
  { grade: 'AA', minScore: 760 },
  { grade: 'A', minScore: 680 },
  // DOMAIN: Suzhou splits incentives at score 600 — BBB and above qualify.
  { grade: 'BBB', minScore: 600 },
  { grade: 'BB', minScore: 520 },
  { grade: 'B', minScore: 440 },
  { grade: 'C', minScore: 0 },
] as const;
export type Grade = (typeof GRADES)[number]['grade'];

export const SCORECARD_CONFIG = {
  version: 'scorecard-v1',
  /** Points every enterprise starts with; chosen so a clean, average enterprise lands near 700. */
  basePoints: 560,
  minScore: 0,
  maxScore: 1000,
  /** Score from which Suzhou-style incentives (interest subsidy, risk compensation) apply. */
  incentiveThreshold: 600,
  /** How many reason codes to report. */
  topReasons: 4,
  /**
   * Probability of default (12 months): PD = 1 / (1 + exp((score − pdOffset) / pdFactor)).
   * pdFactor = 75 / ln 2 ≈ 108.2: every 75 points halves the odds of default ("points to double
   * the odds" = 75). pdOffset = 350 is the score at which PD = 50 %; together they give PD ≈ 9 %
   * at the 600 incentive line and ≈ 1 % at 850. Fitted to the grade default rates of the synthetic
   * bench population (`npm run bench:credit` prints predicted against observed per grade);
   * refit on the platform's own default history before relying on it for pricing.
   */
  pdOffset: 350,
  pdFactor: 75 / Math.LN2,
} as const;

/** Portrait settings. */
export const PORTRAIT_CONFIG = {
  /**
   * Weight of each source in the completeness figure; equal weights keep the figure readable
   * ("6 of 8 sources" = 0.75). Missing counts 0, stale counts `staleCredit` of its weight.
   */
  sourceWeights: {
    marketRegulation: 1,
    tax: 1,
    utilities: 1,
    socialSecurity: 1,
    courts: 1,
    administrative: 1,
    creditBureau: 1,
    honours: 1,
  },
  staleCredit: 1,
} as const;

/** Red / yellow / blue warning thresholds (risk warnings between two portraits). */
export const WARNING_CONFIG = {
  /** A score drop of at least this many points raises a blue warning. */
  blueScoreDrop: 50,
  /** Blue also when the grade falls below this one (e.g. crossing the 600 incentive line). */
  blueGradeFloor: 'BBB' as Grade,
  /** Overdues at or beyond this many days past due are red rather than yellow. */
  redDaysPastDue: 90,
} as const;
