// Credit supermarket matching (信贷超市 / smart recommendation): does a product fit an enterprise and
// its need, why or why not, and how products rank for it. Pure: the callers load products,
// enterprises and popularity counts; every weight is below, in MATCHING_CONFIG.
import type { GuaranteeMethod } from './vocabulary';

/** A product's eligibility rules (prisma Product, money as number fen). Empty lists and nulls mean "any". */
export interface ProductRules {
  minAmountFen: number;
  maxAmountFen: number;
  minTermMonths: number;
  maxTermMonths: number;
  guaranteeMethods: readonly GuaranteeMethod[];
  /** GB/T 4754 section letters. */
  industries: readonly string[];
  /** GB/T 2260 division codes; 330000 covers the province, 330400 the city, 330402 one district. */
  regions: readonly string[];
  minScore: number | null;
  minRegisteredCapitalFen: number | null;
  maxRegisteredCapitalFen: number | null;
  firstLoanOnly: boolean;
  requiredTags: readonly string[];
}

/** What the rules look at about an enterprise. */
export interface EnterpriseProfile {
  industry: string;
  region: string;
  registeredCapitalFen: number;
  tags: readonly string[];
  /** Latest scorecard score (0–1000); null when no portrait has been built yet. */
  score: number | null;
  /** It already had a loan on the platform (so it is not a first-loan enterprise). */
  hasLoan: boolean;
}

/** The financing need; a missing field is not checked (e.g. browsing products without a request). */
export interface Need {
  amountFen?: number;
  termMonths?: number;
  guaranteeMethod?: GuaranteeMethod;
}

export const RULE_IDS = ['amount', 'term', 'guaranteeMethod', 'industry', 'region', 'score', 'registeredCapital', 'firstLoan', 'tags'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleCheck {
  rule: RuleId;
  ok: boolean;
  /** Human-readable, e.g. "amount CNY 3,000,000 is within CNY 100,000–30,000,000". */
  reason: string;
}

export interface Eligibility {
  fit: boolean;
  /** Only the rules the product constrains (or the need names): "any industry" is not a reason. */
  met: RuleCheck[];
  failed: RuleCheck[];
}

export interface Popularity {
  /** Financing requests that applied for the product. */
  applications: number;
  /** Of those, the ones that ended in a disbursed loan. */
  loans: number;
}

/**
 * Ranking weights. rank = 100 × (fit × fitScore + popularity × popularityScore); fitScore is the
 * weighted mean of its parts, each 0–1. Fit dominates: a popular product that barely fits should
 * not bury one cut for the need; popularity breaks near-ties ("popular products rank first").
 */
export const MATCHING_CONFIG = {
  weights: { fit: 0.7, popularity: 0.3 },
  fitParts: {
    /** How central the amount sits in the product's range (log scale): banks lend most easily mid-range. */
    amount: 0.3,
    /** Same for the term. */
    term: 0.15,
    /** A product that names the need's guarantee method fits better than one open to any. */
    guarantee: 0.2,
    /** How far the score clears the product's minimum (or the 600 incentive line when it sets none). */
    scoreMargin: 0.35,
  },
  /** Part of a fit part at the edge of a range (1 at its geometric centre). */
  rangeEdgeFit: 0.5,
  /** Guarantee part when the product accepts any method rather than naming this one. */
  anyGuaranteeFit: 0.7,
  /** docs/domain.md: Suzhou splits incentives at 600; the reference when a product sets no minimum. */
  referenceScore: 600,
  /** Points above the minimum at which the score margin is full. */
  scoreMarginSpan: 200,
  /** Score margin when the enterprise has no score yet (only products without a minimum fit it). */
  unknownScoreFit: 0.3,
  /** A successful loan counts as this many applications: it shows the product really lends. */
  loanWeight: 3,
  /** Weighted applications at which popularity is full (log scale, so the first few count most). */
  popularitySaturation: 200,
} as const;

const FEN_PER_CNY = 100;
// One formatter: toLocaleString builds a new one per call, which dominated ranking time.
const YUAN = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const yuan = (fen: number) => YUAN.format(fen / FEN_PER_CNY);
const cny = (fen: number) => `CNY ${yuan(fen)}`;
const cnyRange = (lo: number, hi: number) => `CNY ${yuan(lo)}–${yuan(hi)}`;
const months = (n: number) => `${n} month${n === 1 ? '' : 's'}`;

/** Division code → the prefix it covers: 330000 → "33", 330400 → "3304", 330402 → "330402". */
export function regionPrefix(code: string): string {
  let p = code;
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
  return p;
}

export function inRegions(region: string, regions: readonly string[]): boolean {
  return regions.some((r) => region.startsWith(regionPrefix(r)));
}

/** Checks every rule the product sets (and the need's amount, term and method) and says why. */
export function checkEligibility(p: ProductRules, e: EnterpriseProfile, need: Need = {}): Eligibility {
  const checks: RuleCheck[] = [];
  const add = (rule: RuleId, ok: boolean, reason: string) => checks.push({ rule, ok, reason });

  if (need.amountFen !== undefined) {
    const ok = need.amountFen >= p.minAmountFen && need.amountFen <= p.maxAmountFen;
    add('amount', ok, `amount ${cny(need.amountFen)} is ${ok ? 'within' : 'outside'} ${cnyRange(p.minAmountFen, p.maxAmountFen)}`);
  }
  if (need.termMonths !== undefined) {
    const ok = need.termMonths >= p.minTermMonths && need.termMonths <= p.maxTermMonths;
    add('term', ok, `term ${months(need.termMonths)} is ${ok ? 'within' : 'outside'} ${p.minTermMonths}–${p.maxTermMonths} months`);
  }
  if (need.guaranteeMethod !== undefined) {
    const ok = p.guaranteeMethods.length === 0 || p.guaranteeMethods.includes(need.guaranteeMethod);
    add(
      'guaranteeMethod',
      ok,
      p.guaranteeMethods.length === 0
        ? `guarantee method ${need.guaranteeMethod}: any method accepted`
        : `guarantee method ${need.guaranteeMethod} is ${ok ? '' : 'not '}among ${p.guaranteeMethods.join(', ')}`,
    );
  }
  if (p.industries.length > 0) {
    const ok = p.industries.includes(e.industry);
    add('industry', ok, `industry ${e.industry} is ${ok ? '' : 'not '}among ${p.industries.join(', ')}`);
  }
  if (p.regions.length > 0) {
    const ok = inRegions(e.region, p.regions);
    add('region', ok, `region ${e.region} is ${ok ? '' : 'not '}in ${p.regions.join(', ')}`);
  }
  if (p.minScore !== null) {
    if (e.score === null) add('score', false, `no credit score on record; the product needs at least ${p.minScore}`);
    else add('score', e.score >= p.minScore, `credit score ${e.score} ${e.score >= p.minScore ? 'meets' : 'is below'} the minimum ${p.minScore}`);
  }
  if (p.minRegisteredCapitalFen !== null || p.maxRegisteredCapitalFen !== null) {
    const lo = p.minRegisteredCapitalFen ?? 0;
    const hi = p.maxRegisteredCapitalFen ?? Infinity;
    const ok = e.registeredCapitalFen >= lo && e.registeredCapitalFen <= hi;
    const range = hi === Infinity ? `at least ${cny(lo)}` : p.minRegisteredCapitalFen === null ? `at most ${cny(hi)}` : cnyRange(lo, hi);
    add('registeredCapital', ok, `registered capital ${cny(e.registeredCapitalFen)} is ${ok ? 'within' : 'outside'} ${range}`);
  }
  if (p.firstLoanOnly) add('firstLoan', !e.hasLoan, e.hasLoan ? 'first loans only, and the enterprise already had a loan' : 'first loan on the platform');
  if (p.requiredTags.length > 0) {
    const missing = p.requiredTags.filter((t) => !e.tags.includes(t));
    add('tags', missing.length === 0, missing.length === 0 ? `has the tags ${p.requiredTags.join(', ')}` : `lacks the tags ${missing.join(', ')}`);
  }
  const failed = checks.filter((c) => !c.ok);
  return { fit: failed.length === 0, met: checks.filter((c) => c.ok), failed };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** 1 at the geometric centre of [lo, hi], rangeEdgeFit at its edges, 0 outside. */
export function rangeFit(x: number, lo: number, hi: number): number {
  if (x < lo || x > hi) return 0;
  if (lo <= 0 || hi <= lo) return 1;
  const half = Math.log(hi / lo) / 2;
  const off = Math.abs(Math.log(x / Math.sqrt(lo * hi))) / half;
  return 1 - (1 - MATCHING_CONFIG.rangeEdgeFit) * clamp01(off);
}

export interface FitParts {
  amount: number;
  term: number;
  guarantee: number;
  scoreMargin: number;
}

/** The fit parts, each 0–1; a need field left out counts as a neutral 0.5. */
export function fitParts(p: ProductRules, e: EnterpriseProfile, need: Need = {}): FitParts {
  const c = MATCHING_CONFIG;
  const threshold = p.minScore ?? c.referenceScore;
  return {
    amount: need.amountFen === undefined ? 0.5 : rangeFit(need.amountFen, p.minAmountFen, p.maxAmountFen),
    term: need.termMonths === undefined ? 0.5 : rangeFit(need.termMonths, p.minTermMonths, p.maxTermMonths),
    guarantee:
      need.guaranteeMethod === undefined
        ? 0.5
        : p.guaranteeMethods.includes(need.guaranteeMethod)
          ? 1
          : p.guaranteeMethods.length === 0
            ? c.anyGuaranteeFit
            : 0,
    scoreMargin: e.score === null ? c.unknownScoreFit : clamp01((e.score - threshold) / c.scoreMarginSpan),
  };
}

/** 0–100: the weighted fit parts (the ProductMatch score). */
export function fitScore(parts: FitParts): number {
  const w = MATCHING_CONFIG.fitParts;
  return 100 * (w.amount * parts.amount + w.term * parts.term + w.guarantee * parts.guarantee + w.scoreMargin * parts.scoreMargin);
}

/** 0–100 on a log scale: a product's first applications and loans count most. */
export function popularityScore(pop: Popularity): number {
  const c = MATCHING_CONFIG;
  return 100 * clamp01(Math.log1p(pop.applications + c.loanWeight * pop.loans) / Math.log1p(c.popularitySaturation));
}

export interface Ranked<T> {
  item: T;
  eligibility: Eligibility;
  /** 0–100 each; rank combines them with MATCHING_CONFIG.weights. */
  fit: number;
  popularity: number;
  rank: number;
  /** Why it fits: the rules it meets, then its popularity. */
  reasons: string[];
}

/** Products that fit the enterprise and need, best first (rank, then fit, then input order). */
export function rankProducts<T>(
  items: readonly T[],
  rulesOf: (item: T) => ProductRules,
  popularityOf: (item: T) => Popularity,
  e: EnterpriseProfile,
  need: Need = {},
): Ranked<T>[] {
  const w = MATCHING_CONFIG.weights;
  const out: (Ranked<T> & { i: number })[] = [];
  items.forEach((item, i) => {
    const rules = rulesOf(item);
    const eligibility = checkEligibility(rules, e, need);
    if (!eligibility.fit) return;
    const fit = fitScore(fitParts(rules, e, need));
    const pop = popularityOf(item);
    const popularity = popularityScore(pop);
    const reasons = eligibility.met.map((c) => c.reason);
    if (pop.applications > 0 || pop.loans > 0) reasons.push(`popular: ${pop.applications} applications, ${pop.loans} loans`);
    out.push({ item, eligibility, fit, popularity, rank: w.fit * fit + w.popularity * popularity, reasons, i });
  });
  out.sort((a, b) => b.rank - a.rank || b.fit - a.fit || a.i - b.i);
  return out.map(({ i: _i, ...r }) => r);
}
