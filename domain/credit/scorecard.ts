// The transparent credit scorecard: features → points per characteristic → score 0–1000, grade,
// probability of default and the reasons that lowered the score. All figures live in
// scorecard-config.ts. Pure.
import { extractFeatures, type CreditFeatures } from './features';
import type { SourceRecords } from './records';
import {
  CHARACTERISTICS,
  DIMENSIONS,
  GRADES,
  REASON_CODES,
  SCORECARD_CONFIG,
  type Characteristic,
  type Dimension,
  type Grade,
  type ReasonCode,
} from './scorecard-config';

export interface ScoreReason {
  code: ReasonCode;
  en: string;
  zh: string;
  /** Points lost against the characteristic's best bin. */
  pointsLost: number;
  feature: keyof CreditFeatures;
}

export interface CharacteristicScore {
  feature: keyof CreditFeatures;
  dimension: Dimension;
  /** Bin label, or 'missing'. */
  bin: string;
  points: number;
}

export interface DimensionScore {
  dimension: Dimension;
  points: number;
  /** Best and worst points the dimension can give, to show where the enterprise stands. */
  maxPoints: number;
  minPoints: number;
}

export interface CreditScore {
  scorecardVersion: string;
  score: number;
  grade: Grade;
  /** 12-month probability of default from the logistic mapping, 0–1. */
  probabilityOfDefault: number;
  /** Score ≥ the incentive threshold (600). */
  incentiveEligible: boolean;
  reasons: ScoreReason[];
  dimensions: DimensionScore[];
  characteristics: CharacteristicScore[];
}

interface Evaluated {
  bin: string;
  points: number;
  reason?: ReasonCode;
}

function evaluate(c: Characteristic, value: unknown): Evaluated {
  if (value === undefined || value === null) return { bin: 'missing', points: c.missingPoints };
  if (c.kind === 'numeric') {
    const v = value as number;
    for (const b of c.bins) {
      if (b.below === undefined || v < b.below) return { bin: b.label, points: b.points, reason: b.reason };
    }
    // Config guarantees a last open bin; fall back to neutral if someone breaks that.
    return { bin: 'unbinned', points: c.missingPoints };
  }
  const v = String(value);
  for (const b of c.bins) if (b.values.includes(v)) return { bin: b.label, points: b.points, reason: b.reason };
  return { bin: 'other', points: c.otherPoints };
}

function pointsRange(c: Characteristic): { max: number; min: number } {
  const pts = c.bins.map((b) => b.points);
  pts.push(c.missingPoints);
  if (c.kind === 'category') pts.push(c.otherPoints);
  return { max: Math.max(...pts), min: Math.min(...pts) };
}

/** The grade for a score: the first grade whose minScore the score reaches. */
export function gradeForScore(score: number): Grade {
  for (const g of GRADES) if (score >= g.minScore) return g.grade;
  return 'C';
}

/** Documented logistic mapping from score to 12-month probability of default. */
export function probabilityOfDefault(score: number): number {
  return 1 / (1 + Math.exp((score - SCORECARD_CONFIG.pdOffset) / SCORECARD_CONFIG.pdFactor));
}

export function scoreFeatures(features: CreditFeatures): CreditScore {
  let total = SCORECARD_CONFIG.basePoints;
  const characteristics: CharacteristicScore[] = [];
  const losses: ScoreReason[] = [];
  const dims = new Map<Dimension, DimensionScore>(DIMENSIONS.map((d) => [d, { dimension: d, points: 0, maxPoints: 0, minPoints: 0 }]));

  for (const c of CHARACTERISTICS) {
    const e = evaluate(c, features[c.feature]);
    const range = pointsRange(c);
    total += e.points;
    characteristics.push({ feature: c.feature, dimension: c.dimension, bin: e.bin, points: e.points });
    const d = dims.get(c.dimension);
    if (d) {
      d.points += e.points;
      d.maxPoints += range.max;
      d.minPoints += range.min;
    }
    const lost = range.max - e.points;
    if (e.reason && lost > 0) {
      const text = REASON_CODES[e.reason];
      losses.push({ code: e.reason, en: text.en, zh: text.zh, pointsLost: lost, feature: c.feature });
    }
  }

  const score = Math.round(Math.min(SCORECARD_CONFIG.maxScore, Math.max(SCORECARD_CONFIG.minScore, total)));
  // Biggest loss first; ties broken by code so the order is stable across runs.
  losses.sort((a, b) => b.pointsLost - a.pointsLost || a.code.localeCompare(b.code));
  const reasons: ScoreReason[] = [];
  for (const l of losses) {
    if (reasons.length >= SCORECARD_CONFIG.topReasons) break;
    if (!reasons.some((r) => r.code === l.code)) reasons.push(l);
  }
  return {
    scorecardVersion: SCORECARD_CONFIG.version,
    score,
    grade: gradeForScore(score),
    probabilityOfDefault: probabilityOfDefault(score),
    incentiveEligible: score >= SCORECARD_CONFIG.incentiveThreshold,
    reasons,
    dimensions: [...dims.values()],
    characteristics,
  };
}

/** Score whatever source records were obtained, as of a given time. */
export function scoreRecords(records: SourceRecords, asOf: Date): CreditScore {
  return scoreFeatures(extractFeatures(records, asOf));
}

/**
 * Percentile (0–100) of `score` among the scores of enterprises in the same industry: the share
 * scoring below plus half the share scoring the same (mid-rank, so ties do not flatter anyone).
 * Undefined when the population has nobody in that industry.
 */
export function industryPercentile(score: number, industry: string, population: ReadonlyArray<{ industry: string; score: number }>): number | undefined {
  let below = 0;
  let same = 0;
  let n = 0;
  for (const p of population) {
    if (p.industry !== industry) continue;
    n++;
    if (p.score < score) below++;
    else if (p.score === score) same++;
  }
  if (n === 0) return undefined;
  return (100 * (below + same / 2)) / n;
}
