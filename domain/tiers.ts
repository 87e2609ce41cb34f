// Catalogue tiers from docs/domain.md (seed 000, tables 1–2), used for filters and statistics. Pure.

/** Amount tiers in 万元 (CNY 10k): upper bounds inclusive. */
export const AMOUNT_TIERS_WAN = [
  { id: 'le100', maxWan: 100 },
  { id: '100-200', maxWan: 200 },
  { id: '200-300', maxWan: 300 },
  { id: '300-500', maxWan: 500 },
  { id: '500-1000', maxWan: 1000 },
  { id: 'gt1000', maxWan: Infinity },
] as const;

const FEN_PER_WAN = 1_000_000; // 10,000 CNY × 100 fen

export function amountTier(amountFen: number): string {
  return AMOUNT_TIERS_WAN.find((t) => amountFen <= t.maxWan * FEN_PER_WAN)!.id;
}

/** Term tiers in months: upper bounds inclusive. */
export const TERM_TIERS = [
  { id: 'le3', maxMonths: 3 },
  { id: '3-6', maxMonths: 6 },
  { id: '6-12', maxMonths: 12 },
  { id: '12-36', maxMonths: 36 },
  { id: 'gt36', maxMonths: Infinity },
] as const;

export function termTier(months: number): string {
  return TERM_TIERS.find((t) => months <= t.maxMonths)!.id;
}

/** Annual rate tiers in basis points (1 % = 100 bp): upper bounds inclusive. */
export const RATE_TIERS_BP = [
  { id: '0-3.5', maxBp: 350 },
  { id: '3.5-4.5', maxBp: 450 },
  { id: '4.5-5.5', maxBp: 550 },
  { id: '5.5-6.5', maxBp: 650 },
  { id: '6.5-7.5', maxBp: 750 },
  { id: 'gt7.5', maxBp: Infinity },
] as const;

export function rateTier(bp: number): string {
  return RATE_TIERS_BP.find((t) => bp <= t.maxBp)!.id;
}
