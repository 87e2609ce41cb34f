// Discrimination and calibration statistics for a scorecard over a labelled population. Pure.
// Convention: a higher score means lower risk, so AUC is the probability that a random
// non-defaulter outscores a random defaulter (ties count half).
import { GRADES, type Grade } from './scorecard-config';

export interface Labelled {
  score: number;
  defaulted: boolean;
}

/** AUC by the rank-sum (Mann–Whitney) formula with mid-ranks for ties. */
export function auc(pop: readonly Labelled[]): number {
  const sorted = [...pop].sort((a, b) => a.score - b.score);
  let rankSumGood = 0;
  let nGood = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.score === sorted[i]!.score) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (!sorted[k]!.defaulted) {
        rankSumGood += midRank;
        nGood++;
      }
    }
    i = j + 1;
  }
  const nBad = pop.length - nGood;
  if (nGood === 0 || nBad === 0) return Number.NaN;
  return (rankSumGood - (nGood * (nGood + 1)) / 2) / (nGood * nBad);
}

/** Kolmogorov–Smirnov: largest gap between the cumulative score distributions of bads and goods. */
export function ks(pop: readonly Labelled[]): number {
  const sorted = [...pop].sort((a, b) => a.score - b.score);
  const nBad = pop.filter((p) => p.defaulted).length;
  const nGood = pop.length - nBad;
  if (nGood === 0 || nBad === 0) return Number.NaN;
  let bad = 0;
  let good = 0;
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.defaulted) bad++;
    else good++;
    // Only compare at the end of a run of equal scores.
    if (i + 1 < sorted.length && sorted[i + 1]!.score === p.score) continue;
    best = Math.max(best, Math.abs(bad / nBad - good / nGood));
  }
  return best;
}

export interface GradeRow {
  grade: Grade;
  count: number;
  defaults: number;
  defaultRate: number;
  meanPd: number;
}

/** Default rate and mean predicted PD per grade, best grade first. */
export function gradeTable(pop: ReadonlyArray<Labelled & { grade: Grade; pd: number }>): GradeRow[] {
  return GRADES.map(({ grade }) => {
    const members = pop.filter((p) => p.grade === grade);
    const defaults = members.filter((p) => p.defaulted).length;
    const meanPd = members.length ? members.reduce((s, p) => s + p.pd, 0) / members.length : Number.NaN;
    return { grade, count: members.length, defaults, defaultRate: members.length ? defaults / members.length : Number.NaN, meanPd };
  });
}

/** True if default rates never fall as the grade gets worse (empty grades are skipped). */
export function gradesMonotone(rows: readonly GradeRow[]): boolean {
  let prev = -1;
  for (const r of rows) {
    if (r.count === 0) continue;
    if (r.defaultRate < prev) return false;
    prev = r.defaultRate;
  }
  return true;
}
