// Matching bench: how well domain/matching.ts ranks products for enterprises, on a synthetic
// market whose generator knows which products truly fit. Pure: no stack, no database.
//
//   npx tsx bench/matching.ts [--enterprises 2000] [--products 300] [--seed S]
//
// The truth comes from the generator's own latent rules, written here independently of the
// matcher: a product truly fits when its stated rules pass (re-implemented below) AND the bank
// would really lend — the enterprise's latent quality clears the product's hidden bar (its
// minimum score plus a margin the bank does not publish), the amount lies in the bank's sweet
// zone of the range, and a product open to "any" guarantee method really prefers some. Banks
// that lend readily also attract applications and loans, so popularity carries signal too.
//
// Output: one figure per line as `name: value unit`, the headline (top-3 hit rate) last. Exit
// code 1 if the ranking does no better than a random order of the eligible products.
import seedrandom from 'seedrandom';
import { checkEligibility, rankProducts, type EnterpriseProfile, type Need, type Popularity, type ProductRules } from '../domain/matching';
import { ENTERPRISE_TAGS } from '../domain/enterprise';
import type { GuaranteeMethod } from '../domain/vocabulary';

const WAN = 1_000_000; // fen per 万元

function flag(name: string, fallback: number): number;
function flag(name: string, fallback: string): string;
function flag(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  if (raw === undefined) return fallback;
  if (typeof fallback === 'string') return raw;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive integer`);
  return v;
}

const line = (name: string, value: string | number, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
function weighted<T>(rng: Rng, xs: readonly (readonly [T, number])[]): T {
  let r = rng() * xs.reduce((s, [, w]) => s + w, 0);
  for (const [x, w] of xs) if ((r -= w) <= 0) return x;
  return xs.at(-1)![0];
}
const logUniform = (rng: Rng, lo: number, hi: number) => Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)));
function normal(rng: Rng, mean: number, sd: number): number {
  const u = Math.max(rng(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
/** Knuth's method: multiply uniforms until the product drops below e^-λ (λ stays small here). */
function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}
function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

// docs/domain.md: manufacturing is 62 % of requesters; Suzhou's guarantee mix.
const INDUSTRY_MIX = [
  ['C', 62],
  ['F', 10],
  ['I', 7],
  ['E', 6],
  ['A', 5],
  ['M', 4],
  ['G', 3],
  ['L', 3],
] as const;
const GUARANTEE_MIX = [
  ['mortgage', 44],
  ['guarantee', 24],
  ['credit', 21],
  ['pledge', 6],
  ['combination', 5],
] as const;
const CITIES = [
  ['330400', 50],
  ['330100', 15],
  ['330200', 10],
  ['320500', 15],
  ['320100', 10],
] as const;
const TERMS = [
  [3, 5],
  [6, 10],
  [12, 40],
  [24, 20],
  [36, 15],
  [60, 10],
] as const;

interface Firm {
  profile: EnterpriseProfile;
  need: Required<Need>;
  /** What a bank's own assessment would see: the score and what the score misses. */
  quality: number;
}

interface Offer {
  rules: ProductRules;
  popularity: Popularity;
  /** The bank's unpublished bar above the stated minimum score. */
  hiddenMargin: number;
  /** Centre (fen) and half-width (log scale) of the amounts the bank really lends. */
  sweetSpotFen: number;
  sweetLog: number;
  /** Methods a product open to "any" really takes. */
  reallyTakes: readonly GuaranteeMethod[];
}

function firm(rng: Rng): Firm {
  const city = weighted(rng, CITIES);
  const score = Math.round(Math.min(950, Math.max(300, normal(rng, 640, 90))));
  const capital = logUniform(rng, 50 * WAN, 5000 * WAN);
  const amount = Math.round(Math.min(5000 * WAN, Math.max(10 * WAN, capital * Math.exp(normal(rng, 0, 0.8)))));
  return {
    profile: {
      industry: weighted(rng, INDUSTRY_MIX),
      region: city.slice(0, 4) + String(1 + Math.floor(rng() * 30)).padStart(2, '0'),
      registeredCapitalFen: Math.round(capital),
      tags: ENTERPRISE_TAGS.filter(() => rng() < 0.15),
      // 15 % have no portrait yet.
      score: rng() < 0.15 ? null : score,
      hasLoan: rng() < 0.4,
    },
    need: { amountFen: amount, termMonths: weighted(rng, TERMS), guaranteeMethod: weighted(rng, GUARANTEE_MIX) },
    quality: score + normal(rng, 0, 40),
  };
}

function offer(rng: Rng): Offer {
  const appetite = rng(); // how readily the bank lends: lower hidden bar, more loans
  const minWan = pick(rng, [10, 50, 100, 300]);
  const maxWan = minWan * pick(rng, [5, 10, 20, 50, 100]);
  const methods =
    rng() < 0.3 ? [] : shuffled(rng, ['mortgage', 'guarantee', 'credit', 'pledge', 'combination'] as GuaranteeMethod[]).slice(0, 1 + Math.floor(rng() * 3));
  const province = pick(rng, ['330000', '320000']);
  const rules: ProductRules = {
    minAmountFen: minWan * WAN,
    maxAmountFen: maxWan * WAN,
    minTermMonths: pick(rng, [1, 3, 6, 12]),
    maxTermMonths: pick(rng, [12, 24, 36, 60, 120]),
    guaranteeMethods: methods,
    industries: rng() < 0.55 ? [] : shuffled(rng, ['C', 'C', 'F', 'I', 'E', 'A', 'M']).slice(0, 1 + Math.floor(rng() * 3)),
    regions: ((r) => (r < 0.5 ? [] : r < 0.8 ? [province] : [pick(rng, CITIES)[0]]))(rng()),
    minScore: rng() < 0.4 ? null : 550 + 10 * Math.floor(rng() * 21),
    minRegisteredCapitalFen: rng() < 0.2 ? pick(rng, [100, 300, 1000]) * WAN : null,
    maxRegisteredCapitalFen: rng() < 0.1 ? pick(rng, [500, 2000]) * WAN : null,
    firstLoanOnly: rng() < 0.08,
    requiredTags: rng() < 0.12 ? [pick(rng, ENTERPRISE_TAGS)] : [],
  };
  const applications = poisson(rng, 5 + 40 * rng());
  let loans = 0;
  for (let i = 0; i < applications; i++) if (rng() < 0.15 + 0.6 * appetite) loans++;
  const halfLog = Math.log(maxWan / minWan) / 2;
  return {
    rules,
    popularity: { applications, loans },
    hiddenMargin: (1 - appetite) * 100,
    sweetSpotFen: Math.sqrt(minWan * maxWan) * WAN * Math.exp(normal(rng, 0, 0.2)),
    sweetLog: halfLog * (0.5 + 0.4 * rng()),
    reallyTakes: shuffled(rng, ['mortgage', 'guarantee', 'credit', 'pledge', 'combination'] as GuaranteeMethod[]).slice(0, 2 + Math.floor(rng() * 2)),
  };
}

/** The stated rules, written from the product sheet, independently of domain/matching.ts. */
function statedRulesPass(o: Offer, f: Firm): boolean {
  const r = o.rules;
  const e = f.profile;
  const n = f.need;
  if (n.amountFen < r.minAmountFen || n.amountFen > r.maxAmountFen) return false;
  if (n.termMonths < r.minTermMonths || n.termMonths > r.maxTermMonths) return false;
  if (r.guaranteeMethods.length && !r.guaranteeMethods.includes(n.guaranteeMethod)) return false;
  if (r.industries.length && !r.industries.includes(e.industry)) return false;
  // Provinces end in 0000, cities in 00: compare the significant digits.
  if (r.regions.length && !r.regions.some((code) => e.region.startsWith(code.replace(/(00)+$/, '')))) return false;
  if (r.minScore !== null && (e.score === null || e.score < r.minScore)) return false;
  if (r.minRegisteredCapitalFen !== null && e.registeredCapitalFen < r.minRegisteredCapitalFen) return false;
  if (r.maxRegisteredCapitalFen !== null && e.registeredCapitalFen > r.maxRegisteredCapitalFen) return false;
  if (r.firstLoanOnly && e.hasLoan) return false;
  return r.requiredTags.every((t) => e.tags.includes(t));
}

/** Would the bank really lend? The stated rules plus what it does not publish. */
function trulyFits(o: Offer, f: Firm): boolean {
  if (!statedRulesPass(o, f)) return false;
  if (f.quality < (o.rules.minScore ?? 560) + o.hiddenMargin) return false;
  if (Math.abs(Math.log(f.need.amountFen / o.sweetSpotFen)) > o.sweetLog) return false;
  return o.rules.guaranteeMethods.length > 0 || o.reallyTakes.includes(f.need.guaranteeMethod);
}

function main() {
  const nFirms = flag('enterprises', 2000);
  const nOffers = flag('products', 300);
  const seed = flag('seed', 'loanbridge-matching');
  const rng = seedrandom(seed);
  const offers = Array.from({ length: nOffers }, () => offer(rng));
  const firms = Array.from({ length: nFirms }, () => firm(rng));
  const shuffleRng = seedrandom(`${seed}:baseline`);

  let agree = 0;
  let eligible = 0;
  let truthTotal = 0;
  let withFit = 0;
  let hits = 0;
  let rr = 0;
  let baseHits = 0;
  let baseRr = 0;
  let rankMs = 0;
  for (const f of firms) {
    const truth = new Set(offers.filter((o) => trulyFits(o, f)));
    for (const o of offers) if (checkEligibility(o.rules, f.profile, f.need).fit === statedRulesPass(o, f)) agree++;
    const started = performance.now();
    const ranked = rankProducts(
      offers,
      (o) => o.rules,
      (o) => o.popularity,
      f.profile,
      f.need,
    ).map((r) => r.item);
    rankMs += performance.now() - started;
    eligible += ranked.length;
    truthTotal += truth.size;
    if (truth.size === 0) continue;
    withFit++;
    const first = ranked.findIndex((o) => truth.has(o));
    if (first >= 0 && first < 3) hits++;
    if (first >= 0) rr += 1 / (first + 1);
    const base = shuffled(shuffleRng, ranked).findIndex((o) => truth.has(o));
    if (base >= 0 && base < 3) baseHits++;
    if (base >= 0) baseRr += 1 / (base + 1);
  }

  const pct = (x: number) => (100 * x).toFixed(2);
  line('enterprises', nFirms);
  line('products', nOffers);
  line('eligible_products_per_enterprise', (eligible / nFirms).toFixed(2));
  line('truly_fitting_products_per_enterprise', (truthTotal / nFirms).toFixed(2));
  line('enterprises_with_a_true_fit', pct(withFit / nFirms), '%');
  line('eligibility_agreement', pct(agree / (nFirms * nOffers)), '%');
  line('random_order_top3_hit_rate', pct(baseHits / withFit), '%');
  line('random_order_mrr', (baseRr / withFit).toFixed(4));
  line('rank_seconds', (rankMs / 1000).toFixed(3), 's');
  line('rank_per_enterprise', ((rankMs * 1000) / nFirms).toFixed(1), 'µs');
  line('mrr', (rr / withFit).toFixed(4));
  line('top3_hit_rate', pct(hits / withFit), '%');
  if (hits <= baseHits || agree !== nFirms * nOffers) process.exitCode = 1;
}

main();
