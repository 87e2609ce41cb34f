// A synthetic Jiaxing-scale platform written straight into PostgreSQL as history (no workflows):
// enterprises with tags, banks, products, financing requests with their claims, timeline events
// (StageEvent, with business-hour timestamps, so service-time figures mean something), loans and
// ratings. Shares follow docs/domain.md roughly: ≈36 % of requests claimed, ≈35 % lent, manufacturing
// 62 % of requesters, the Suzhou guarantee mix. Requests of the last weeks are partly still open,
// and some of them have a bank that stopped acting: live claims past their deadline (stuck orders).
//
// Deterministic (seedrandom) and idempotent: everything is written in one transaction together with
// a marker row (IdempotentResponse id `platform-seed:v1`), so a database either has the whole seed or
// none of it; a second run finds the marker and reuses the seed.
//
//   tsx bench/seed-platform.ts [--enterprises 40000 --requests 100000 --banks 50 --products-per-bank 10]
//   (DATABASE_URL, or the database loanbridge_bench on an embedded server in data/bench-postgres,
//   created and migrated if missing)
import path from 'node:path';
import { Client, type ClientBase } from 'pg';
import seedrandom from 'seedrandom';
import { readEnv } from '../config/env';
import { startEmbeddedPostgres } from '../scripts/embeddedPostgres';
import { freePort } from '../scripts/ports';
import { addBusinessHours, shanghaiDate } from '../domain/calendar';
import { creditCodeCheckChar } from '../domain/creditCode';
import { deadlineFor } from '../domain/deadlines';
import { ENTERPRISE_TAGS } from '../domain/enterprise';
import { CURRENT_LIFECYCLE_POLICY as POLICY } from '../domain/policy';
import { deriveStage } from '../domain/stages';
import { STAGES, type ClaimStatus, type GuaranteeMethod, type Stage } from '../domain/vocabulary';
import { openDatabase } from '../prisma/database';

export interface PlatformSize {
  enterprises: number;
  requests: number;
  banks: number;
  productsPerBank: number;
}

/** Jiaxing 2022-03 (docs/domain.md): 40k+ enterprises, 90k+ requests, 49 institutions, 468 products; ≈3 claims per request. */
export const JIAXING_SIZE: PlatformSize = { enterprises: 40_000, requests: 100_000, banks: 50, productsPerBank: 10 };

export interface SeedSummary {
  size: PlatformSize;
  /** When the history ends (requests after it are open); ISO. */
  now: string;
  counts: Record<string, number>;
  reused: boolean;
  seconds: number;
}

/** Bump when the generated history changes: a database seeded by another version is refused, not mixed. */
const MARKER_ID = 'platform-seed:v2';
const MARKER_PREFIX = 'platform-seed:';
export const BENCH_BANK_PREFIX = 'jx-bank-';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Requests are spread over this much history before `now`. */
const HISTORY_DAYS = 365;
/** Requests published this recently may have a bank that stopped acting (stuck). */
const STUCK_WINDOW_DAYS = 30;

/** Outcome shares of published requests (docs/domain.md: claim rate 35.85 %, lending rate 35.11 %). */
// Planned shares; about 4 % of lent requests are still in flight at `now`, hence the correction.
const P_LENT = 0.3511 / 0.962;
const P_CLAIMED_NOT_LENT = 0.002;
const P_WITHDRAWN = 0.03;
const P_STUCK = 0.15;

const GUARANTEE_MIX: [GuaranteeMethod, number][] = [
  ['mortgage', 0.44],
  ['guarantee', 0.24],
  ['credit', 0.21],
  ['pledge', 0.06],
  ['combination', 0.05],
];
/** Lending is likelier with collateral; normalised so the overall share stays P_LENT. */
const LEND_BIAS: Record<string, number> = { mortgage: 1.12, guarantee: 1.0, credit: 0.8, pledge: 1.1, combination: 1.0, other: 0.9 };
const JIAXING_REGIONS: [string, number][] = [
  ['330402', 0.2], // 南湖区
  ['330411', 0.17], // 秀洲区
  ['330421', 0.13], // 嘉善县
  ['330424', 0.1], // 海盐县
  ['330481', 0.14], // 海宁市
  ['330482', 0.12], // 平湖市
  ['330483', 0.14], // 桐乡市
];
const INDUSTRY_MIX: [string, number][] = [
  ['C', 0.62],
  ['F', 0.12],
  ['E', 0.05],
  ['I', 0.05],
  ['A', 0.04],
  ['G', 0.04],
  ['M', 0.03],
  ['L', 0.02],
  ['H', 0.02],
  ['R', 0.01],
];
const TERMS = [3, 6, 6, 12, 12, 12, 12, 24, 36, 36, 60];
const PURPOSES = ['流动资金周转 working capital', '采购原材料 raw materials', '设备更新 equipment', '厂房扩建 plant expansion', '订单备货 orders'];
const REJECT_REASONS = ['不符合准入条件 outside our lending criteria', '行业限额已满 sector quota reached', '区域不在服务范围 outside our service area'];
const DECLINE_REASONS = ['经营现金流不足 insufficient cash flow', '抵押物估值不足 collateral value too low', '征信记录瑕疵 credit record issues'];
const BANK_BRANDS = [
  '工商银行',
  '农业银行',
  '中国银行',
  '建设银行',
  '交通银行',
  '邮储银行',
  '招商银行',
  '浦发银行',
  '中信银行',
  '兴业银行',
  '民生银行',
  '光大银行',
  '华夏银行',
  '平安银行',
  '浙商银行',
  '嘉兴银行',
  '禾城农商银行',
  '嘉善农商银行',
  '平湖农商银行',
  '海宁农商银行',
  '桐乡农商银行',
  '海盐农商银行',
  '宁波银行',
  '杭州银行',
  '温州银行',
];
const PRODUCT_KINDS = ['流动资金贷', '科创贷', '税易贷', '抵押快贷', '信用贷', '设备贷', '订单贷', '人才贷', '兴农贷', '首贷通'];

type Rng = () => number;

function pickWeighted<T>(rng: Rng, items: [T, number][]): T {
  let u = rng() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) if ((u -= w) <= 0) return v;
  return items[items.length - 1]![0];
}
const rexp = (rng: Rng, mean: number) => -Math.log(1 - rng()) * mean;
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
function uuid(rng: Rng): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rng() * 4)]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
/** Time-ordered (UUIDv7 layout): rows written in time order then append to the id indexes instead of scattering. */
function uuidAt(rng: Rng, t: number): string {
  const r = uuid(rng).replace(/-/g, '');
  const s = Math.floor(t).toString(16).padStart(12, '0') + '7' + r.slice(13);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid unified social credit code (GB 32100 check character), unique per index. */
function creditCode(i: number, region: string): string {
  let org = '';
  for (let n = i + 31 ** 5, k = 0; k < 9; k++, n = Math.floor(n / 31)) org = CODE_ALPHABET[n % 31] + org;
  const first17 = `91${region}${org}`;
  return first17 + creditCodeCheckChar(first17)!;
}
const addBH = (t: number, hours: number) => addBusinessHours(new Date(t), hours, POLICY.calendar).getTime();
const deadline = (kind: Parameters<typeof deadlineFor>[0], t: number) => deadlineFor(kind, new Date(t), POLICY).getTime();

interface BankSim {
  id: string;
  /** Multiplies every delay: below 1 a fast bank, above 1 a slow one. */
  speed: number;
  acceptBias: number;
  baseRateBp: number;
  weight: number;
}

interface Ev {
  at: number;
  event: string;
  actor: string;
  /** Claim events: the status after the event and the deadline of the step it opens. */
  status?: ClaimStatus;
  deadlineAt?: number | null;
  reason?: string;
  detail?: object;
}

interface ClaimSim {
  bank: BankSim;
  origin: 'directed' | 'grab';
  events: Ev[];
  offer?: { amountFen: number; rateBp: number; termMonths: number; repayment: string };
}

// ---- one request's history ----------------------------------------------------------------------

interface RequestPlan {
  id: string;
  enterpriseIdx: number;
  t0: number;
  amountFen: number;
  termMonths: number;
  method: GuaranteeMethod;
  routing: 'directed' | 'pool';
  outcome: 'lent' | 'claimed' | 'unclaimed' | 'withdrawn';
  stuck: boolean;
  firstApproval: boolean;
  fallbackToPool: boolean;
}

/** How a bank decides a claim it holds: the winner as the plan's outcome says, the others by chance. */
function decisionOf(rng: Rng, isWinner: boolean, plan: RequestPlan): 'approve' | 'decline' | 'ignore' {
  if (isWinner) return plan.outcome === 'lent' ? 'approve' : rng() < 0.7 ? 'decline' : 'ignore';
  return rng() < 0.45 ? 'approve' : rng() < 0.8 ? 'decline' : 'ignore';
}

/** Simulates one claim's steps from `start`; `intent` says how the bank will act at each step. */
function runClaim(
  rng: Rng,
  c: ClaimSim,
  start: number,
  intent: {
    respond: 'accept' | 'reject' | 'ignore';
    decide: 'approve' | 'decline' | 'ignore';
    stallAt?: 'respond' | 'decide' | 'disburse';
    /** The request's winner: it acts within its deadlines whatever its speed (the plan fixed the outcome). */
    sure?: boolean;
  },
  plan: RequestPlan,
): number | undefined {
  const b = c.bank;
  const actor = `bank:${b.id}`;
  let t = start;
  if (c.origin === 'directed') {
    const dl = deadline('acceptance', t);
    c.events.push({ at: t, event: 'claim:offered', actor: 'system', status: 'offered', deadlineAt: dl });
    if (intent.stallAt === 'respond') return undefined;
    let at = addBH(t, rexp(rng, (intent.respond === 'accept' ? 2.5 : 3) * b.speed));
    if (intent.sure) at = Math.min(at, dl - 60_000 - rng() * HOUR);
    if (intent.respond === 'ignore' || at >= dl) {
      c.events.push({ at: dl, event: 'claim:expired', actor: 'system', status: 'expired', deadlineAt: null, reason: 'deadline:acceptance' });
      return undefined;
    }
    if (intent.respond === 'reject') {
      c.events.push({ at, event: 'claim:rejected', actor, status: 'rejected', deadlineAt: null, reason: REJECT_REASONS[Math.floor(rng() * 3)] });
      return undefined;
    }
    t = at;
    c.events.push({ at: t, event: 'claim:accepted', actor, status: 'accepted', deadlineAt: deadline('decision', t) });
  } else {
    c.events.push({ at: t, event: 'claim:accepted', actor: 'system', status: 'accepted', deadlineAt: deadline('decision', t) });
  }
  const decisionDl = deadline('decision', t);
  const reviewAt = Math.min(addBH(t, rexp(rng, 1.5 * b.speed)), decisionDl - HOUR);
  c.events.push({ at: reviewAt, event: 'claim:under_review', actor, status: 'under_review', deadlineAt: decisionDl });
  if (intent.stallAt === 'decide') return undefined;
  let decidedAt = addBH(reviewAt, rexp(rng, 12 * b.speed));
  if (intent.sure) decidedAt = Math.max(reviewAt + 60_000, Math.min(decidedAt, decisionDl - 60_000 - rng() * HOUR));
  if (intent.decide === 'ignore' || decidedAt >= decisionDl) {
    c.events.push({ at: decisionDl, event: 'claim:expired', actor: 'system', status: 'expired', deadlineAt: null, reason: 'deadline:decision' });
    return undefined;
  }
  if (intent.decide === 'decline') {
    c.events.push({ at: decidedAt, event: 'claim:declined', actor, status: 'declined', deadlineAt: null, reason: DECLINE_REASONS[Math.floor(rng() * 3)] });
    return undefined;
  }
  const ratePremium = plan.method === 'credit' ? 60 : plan.method === 'mortgage' ? -25 : 0;
  c.offer = {
    amountFen: Math.max(1, Math.round((plan.amountFen * (0.6 + 0.4 * rng())) / 1_000_000)) * 1_000_000,
    rateBp: Math.max(200, Math.round(b.baseRateBp + ratePremium + normal(rng) * 45)),
    termMonths: plan.termMonths,
    repayment: ['equal_installment', 'equal_principal', 'interest_first', 'bullet'][Math.floor(rng() * 4)]!,
  };
  c.events.push({
    at: decidedAt,
    event: 'claim:approved',
    actor,
    status: 'approved',
    deadlineAt: deadline('disbursement', decidedAt),
    detail: { approvedAmountFen: c.offer.amountFen, annualRateBp: c.offer.rateBp },
  });
  return decidedAt;
}

interface SimResult {
  claims: ClaimSim[];
  requestEvents: Ev[];
  close?: { at: number; reason: 'completed' | 'withdrawn' | 'expired' | 'unmatched' | 'all_declined'; actor: string };
  disbursed?: { claim: ClaimSim; at: number };
  rating?: { at: number; scores: [number, number, number, number] };
  poolClosesAt?: number;
}

function simulate(rng: Rng, plan: RequestPlan, banks: BankSim[], pickBanks: (n: number) => BankSim[]): SimResult {
  const claims: ClaimSim[] = [];
  const requestEvents: Ev[] = [];
  const t1 = plan.t0 + 1000;
  const res: SimResult = { claims, requestEvents };
  const wantsClaim = plan.outcome === 'lent' || plan.outcome === 'claimed';
  let winner: ClaimSim | undefined;
  let winnerApprovedAt: number | undefined;

  const openPool = (at: number) => {
    res.poolClosesAt = deadline('pool', at);
    requestEvents.push({
      at,
      event: 'pool:opened',
      actor: 'system',
      detail: { closesAt: new Date(res.poolClosesAt).toISOString(), eligibleBanks: banks.length },
    });
  };

  if (plan.routing === 'directed') {
    const k = pickWeighted(rng, [
      [1, 0.04],
      [2, 0.08],
      [3, 0.18],
      [4, 0.3],
      [5, 0.4],
    ]);
    for (const [i, bank] of pickBanks(k).entries()) {
      const c: ClaimSim = { bank, origin: 'directed', events: [] };
      claims.push(c);
      const isWinner = wantsClaim && i === 0;
      const accepts = isWinner || (wantsClaim && rng() < 0.3 * bank.acceptBias);
      const respond = accepts ? 'accept' : rng() < 0.7 ? 'reject' : 'ignore';
      const decide = decisionOf(rng, isWinner, plan);
      const stallAt = isWinner && plan.stuck ? (['respond', 'decide', 'disburse'] as const)[Math.floor(rng() * 3)] : undefined;
      const approvedAt = runClaim(rng, c, t1, { respond, decide, stallAt, sure: isWinner }, plan);
      if (isWinner) {
        winner = c;
        winnerApprovedAt = approvedAt;
      }
    }
    if (!wantsClaim && plan.fallbackToPool) openPool(Math.max(...claims.map((c) => c.events.at(-1)!.at)) + 1000);
  } else {
    openPool(t1);
    if (wantsClaim) {
      const g = pickWeighted(rng, [
        [1, 0.15],
        [2, 0.3],
        [3, 0.55],
      ]);
      for (const [i, bank] of pickBanks(g).entries()) {
        const c: ClaimSim = { bank, origin: 'grab', events: [] };
        claims.push(c);
        const isWinner = i === 0;
        const grabAt = addBH(t1, rexp(rng, 2 * bank.speed) + i * 0.05);
        const decide = decisionOf(rng, isWinner, plan);
        const stallAt = isWinner && plan.stuck ? (['decide', 'disburse'] as const)[Math.floor(rng() * 2)] : undefined;
        const approvedAt = runClaim(rng, c, grabAt, { respond: 'accept', decide, stallAt, sure: isWinner }, plan);
        if (isWinner) {
          winner = c;
          winnerApprovedAt = approvedAt;
        }
      }
    }
  }

  // The enterprise's choice (or the first approval) and the disbursement.
  let closeAt: number | undefined;
  let closeReason: NonNullable<SimResult['close']>['reason'] | undefined;
  const stalled = plan.stuck && wantsClaim;
  if (plan.outcome === 'lent' && winner && winnerApprovedAt !== undefined) {
    const chosenAt = plan.firstApproval ? winnerApprovedAt + 1000 : addBH(winnerApprovedAt, rexp(rng, 6));
    const disbDl = deadline('disbursement', chosenAt);
    winner.events.push({ at: chosenAt, event: 'claim:approved', actor: 'enterprise', status: 'approved', deadlineAt: disbDl });
    for (const c of claims) {
      const last = c.events.at(-1)!;
      if (c !== winner && last.status === 'approved')
        c.events.push({ at: Math.max(chosenAt, last.at) + 1000, event: 'claim:not_chosen', actor: 'system', status: 'not_chosen', deadlineAt: null });
    }
    if (!stalled) {
      const at = Math.min(addBH(chosenAt, rexp(rng, 10 * winner.bank.speed)), disbDl - 60_000);
      winner.events.push({ at, event: 'claim:disbursed', actor: `bank:${winner.bank.id}`, status: 'disbursed', deadlineAt: null });
      res.disbursed = { claim: winner, at };
      requestEvents.push({ at: at + 1, event: 'rating:requested', actor: 'system' });
      const ratingDl = deadline('rating', at);
      const rateAt = at + rexp(rng, 2 * DAY);
      if (rng() < 0.85 && rateAt < ratingDl) {
        const base = 5 - Math.min(3, winner.bank.speed - 0.5);
        const score = () => Math.max(1, Math.min(5, Math.round(base + normal(rng) * 0.7)));
        res.rating = { at: rateAt, scores: [score(), score(), score(), score()] };
        closeAt = rateAt + 1000;
      } else closeAt = ratingDl;
      closeReason = 'completed';
    }
  } else if (!stalled) {
    const ends = claims.map((c) => c.events.at(-1)!.at);
    const lastAnswer = ends.length ? Math.max(...ends) : t1;
    const everAccepted = claims.some((c) => c.events.some((e) => e.status === 'accepted'));
    if (res.poolClosesAt) {
      closeAt = Math.max(res.poolClosesAt, lastAnswer + 1000);
      closeReason = claims.length > 0 && claims.every((c) => c.events.at(-1)!.status === 'declined') ? 'all_declined' : 'expired';
    } else {
      closeAt = lastAnswer + 1000;
      closeReason = !everAccepted ? 'unmatched' : claims.some((c) => c.events.at(-1)!.status === 'declined') ? 'all_declined' : 'expired';
    }
  }
  if (plan.outcome === 'withdrawn') {
    const at = addBH(t1, rexp(rng, 10));
    if (closeAt === undefined || at < closeAt) {
      closeAt = at;
      closeReason = 'withdrawn';
    }
  }
  if (closeAt !== undefined && closeReason) {
    res.close = { at: closeAt, reason: closeReason, actor: closeReason === 'withdrawn' ? 'enterprise' : 'system' };
    // Nothing happens to a claim after its request closed; a live claim ends withdrawn.
    for (const c of claims) {
      c.events = c.events.filter((e) => e.at < closeAt!);
      const last = c.events.at(-1);
      if (last && !['rejected', 'expired', 'declined', 'not_chosen', 'disbursed', 'withdrawn'].includes(last.status!))
        c.events.push({ at: closeAt, event: 'claim:withdrawn', actor: 'system', status: 'withdrawn', deadlineAt: null });
    }
    if (res.disbursed && res.disbursed.at >= closeAt) res.disbursed = undefined;
    if (res.rating && res.rating.at >= closeAt) res.rating = undefined;
  }
  return res;
}

// ---- rows ----------------------------------------------------------------------------------------

interface Column {
  name: string;
  type: string;
  /** SQL over `$` (the unnested value) when the column is not the value itself. */
  expr?: string;
}

/** Buffers rows of one table and writes them with one INSERT … SELECT FROM unnest(…) per chunk (callers flush parents first). */
class TableWriter {
  private cols: unknown[][];
  count = 0;
  constructor(
    private readonly table: string,
    private readonly columns: Column[],
    private readonly chunk = 5000,
  ) {
    this.cols = columns.map(() => []);
  }
  add(row: unknown[]): void {
    row.forEach((v, i) => this.cols[i]!.push(v));
    this.count++;
  }
  get full(): boolean {
    return this.cols[0]!.length >= this.chunk;
  }
  async flush(client: ClientBase): Promise<void> {
    if (this.cols[0]!.length === 0) return;
    const names = this.columns.map((c) => `"${c.name}"`).join(', ');
    const aliases = this.columns.map((_, i) => `c${i}`);
    const select = this.columns.map((c, i) => (c.expr ? c.expr.replaceAll('$', aliases[i]!) : aliases[i])).join(', ');
    const unnest = this.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    await client.query(`INSERT INTO "${this.table}" (${names}) SELECT ${select} FROM unnest(${unnest}) AS u(${aliases.join(', ')})`, this.cols);
    this.cols = this.columns.map(() => []);
  }
}

const textArray = (col: string): Column => ({ name: col, type: 'text', expr: `CASE WHEN $ = '' THEN ARRAY[]::text[] ELSE string_to_array($, ',') END` });
const iso = (t: number) => new Date(t).toISOString();

function writers() {
  return {
    enterprise: new TableWriter('Enterprise', [
      { name: 'id', type: 'uuid' },
      { name: 'creditCode', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'contactName', type: 'text' },
      { name: 'contactMobile', type: 'text' },
      { name: 'industry', type: 'text' },
      { name: 'region', type: 'text' },
      { name: 'registeredCapitalFen', type: 'int8' },
      textArray('tags'),
      { name: 'source', type: 'text' },
      { name: 'createdAt', type: 'timestamp' },
    ]),
    request: new TableWriter('FinancingRequest', [
      { name: 'id', type: 'uuid' },
      { name: 'enterpriseId', type: 'uuid' },
      { name: 'idempotencyKey', type: 'text' },
      { name: 'amountFen', type: 'int8' },
      { name: 'termMonths', type: 'int4' },
      { name: 'purpose', type: 'text' },
      { name: 'guaranteeMethod', type: 'text', expr: '$::"GuaranteeMethod"' },
      { name: 'routing', type: 'text', expr: '$::"Routing"' },
      textArray('directedBankIds'),
      { name: 'fallbackToPool', type: 'bool' },
      { name: 'dataConsent', type: 'bool' },
      { name: 'offerSelection', type: 'text', expr: '$::"OfferSelection"' },
      { name: 'stage', type: 'text', expr: '$::"Stage"' },
      { name: 'closeReason', type: 'text', expr: '$::"CloseReason"' },
      { name: 'policyVersion', type: 'text' },
      { name: 'poolClosesAt', type: 'timestamp' },
      textArray('eligibleBankIds'),
      { name: 'workflowId', type: 'text' },
      { name: 'createdAt', type: 'timestamp' },
      { name: 'updatedAt', type: 'timestamp' },
    ]),
    claim: new TableWriter('Claim', [
      { name: 'id', type: 'text' },
      { name: 'financingRequestId', type: 'uuid' },
      { name: 'bankId', type: 'text' },
      { name: 'origin', type: 'text', expr: '$::"ClaimOrigin"' },
      { name: 'status', type: 'text', expr: '$::"ClaimStatus"' },
      { name: 'deadlineAt', type: 'timestamp' },
      { name: 'reason', type: 'text' },
      { name: 'approvedAmountFen', type: 'int8' },
      { name: 'annualRateBp', type: 'int4' },
      { name: 'offerTermMonths', type: 'int4' },
      { name: 'repaymentMethod', type: 'text' },
      { name: 'createdAt', type: 'timestamp' },
      { name: 'updatedAt', type: 'timestamp' },
    ]),
    event: new TableWriter(
      'StageEvent',
      [
        { name: 'eventKey', type: 'text' },
        { name: 'financingRequestId', type: 'uuid' },
        { name: 'claimId', type: 'text' },
        { name: 'event', type: 'text' },
        { name: 'actor', type: 'text' },
        { name: 'at', type: 'timestamp' },
        { name: 'detail', type: 'jsonb' },
      ],
      20_000,
    ),
    loan: new TableWriter('Loan', [
      { name: 'id', type: 'text' },
      { name: 'claimId', type: 'text' },
      { name: 'financingRequestId', type: 'uuid' },
      { name: 'bankId', type: 'text' },
      { name: 'enterpriseId', type: 'uuid' },
      { name: 'amountFen', type: 'int8' },
      { name: 'annualRateBp', type: 'int4' },
      { name: 'termMonths', type: 'int4' },
      { name: 'repaymentMethod', type: 'text' },
      { name: 'disbursedOn', type: 'date' },
      { name: 'firstLoan', type: 'bool' },
      { name: 'creditLoan', type: 'bool' },
      { name: 'createdAt', type: 'timestamp' },
    ]),
    rating: new TableWriter('Rating', [
      { name: 'id', type: 'text' },
      { name: 'financingRequestId', type: 'uuid' },
      { name: 'bankId', type: 'text' },
      { name: 'meetsNeed', type: 'int4' },
      { name: 'cost', type: 'int4' },
      { name: 'speed', type: 'int4' },
      { name: 'communication', type: 'int4' },
      { name: 'createdAt', type: 'timestamp' },
    ]),
  };
}

// ---- the seed --------------------------------------------------------------------------------------

async function writeSeed(client: ClientBase, size: PlatformSize, now: number, seed: string): Promise<Record<string, number>> {
  const rng = seedrandom(seed);
  const w = writers();
  const start = now - HISTORY_DAYS * DAY;

  const banks: BankSim[] = Array.from({ length: size.banks }, (_, i) => ({
    id: `${BENCH_BANK_PREFIX}${String(i + 1).padStart(2, '0')}`,
    speed: Math.exp(normal(rng) * 0.5),
    acceptBias: 0.6 + 0.8 * rng(),
    baseRateBp: 380 + Math.round(rng() * 140),
    weight: 1 / (i + 1) ** 0.6,
  }));
  for (const [i, b] of banks.entries()) {
    const brand = BANK_BRANDS[i % BANK_BRANDS.length]!;
    const name = i < BANK_BRANDS.length ? `${brand}嘉兴分行` : `${brand}嘉兴第${Math.floor(i / BANK_BRANDS.length) + 1}支行`;
    await client.query(`INSERT INTO "Bank" (id, name, region, email, mobile) VALUES ($1, $2, '330400', $3, $4)`, [
      b.id,
      name,
      `tasks@${b.id}.example`,
      `+86139${String(10_000_000 + i).slice(-8)}`,
    ]);
    for (let p = 0; p < size.productsPerBank; p++) {
      const kind = PRODUCT_KINDS[p % PRODUCT_KINDS.length]!;
      const minWan = [10, 50, 100, 200][Math.floor(rng() * 4)]!;
      const methods = kind === '信用贷' || kind === '税易贷' ? ['credit'] : GUARANTEE_MIX.filter(() => rng() < 0.5).map(([m]) => m);
      await client.query(
        `INSERT INTO "Product" (id, "bankId", name, "minAmountFen", "maxAmountFen", "minTermMonths", "maxTermMonths", "minAnnualRateBp", "maxAnnualRateBp",
           "guaranteeMethods", "policyProduct", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::"GuaranteeMethod"[], $11, now())`,
        [
          uuid(rng),
          b.id,
          `${name.replace(/嘉兴.*$/, '')}${kind}`,
          minWan * 1_000_000,
          minWan * [10, 20, 50][Math.floor(rng() * 3)]! * 1_000_000,
          3,
          [12, 36, 60][Math.floor(rng() * 3)]!,
          b.baseRateBp - 50,
          b.baseRateBp + 250,
          `{${(methods.length ? methods : ['mortgage']).join(',')}}`,
          kind === '首贷通' || kind === '兴农贷',
        ],
      );
    }
  }

  // Enterprises: manufacturing-heavy, in Jiaxing's districts, some with policy tags.
  const enterprises = Array.from({ length: size.enterprises }, (_, i) => {
    const industry = pickWeighted(rng, INDUSTRY_MIX);
    const region = pickWeighted(rng, JIAXING_REGIONS);
    const tags = ENTERPRISE_TAGS.filter(
      (t) =>
        rng() <
        ({
          high_tech: industry === 'C' || industry === 'I' ? 0.2 : 0.05,
          specialised_innovative: 0.06,
          tax_grade_a: 0.22,
          agriculture_related: industry === 'A' ? 0.9 : 0.02,
          first_loan_candidate: 0.1,
        }[t] ?? 0),
    );
    return { id: uuid(rng), industry, region, tags, hasLoan: false, code: creditCode(i, region) };
  });
  for (const [i, e] of enterprises.entries()) {
    w.enterprise.add([
      e.id,
      e.code,
      `嘉兴${['恒', '瑞', '华', '鑫', '博', '盛', '宏', '锦'][i % 8]}${['达', '源', '通', '泰', '丰', '科', '创', '联'][Math.floor(i / 8) % 8]}${e.industry === 'C' ? '制造' : '商贸'}有限公司 No.${i + 1}`,
      `${['王', '李', '张', '刘', '陈', '杨', '沈', '朱'][i % 8]}${['伟', '芳', '强', '敏', '军', '静'][i % 6]}`,
      `+86138${String(i).padStart(8, '0')}`,
      e.industry,
      e.region,
      Math.round(Math.exp(15 + normal(rng))) * 100,
      e.tags.join(','),
      'bench_seed',
      iso(start - 30 * DAY - rng() * 365 * DAY),
    ]);
  }

  // Requests in time order (so "first loan" means first on the platform), denser towards `now`.
  const times = Array.from({ length: size.requests }, () => {
    const t = addBH(start + rng() ** 0.85 * HISTORY_DAYS * DAY, rng() * 8);
    return t < now ? t : now - rng() * 4 * HOUR;
  }).sort((a, b) => a - b);
  const bankWeights: [BankSim, number][] = banks.map((b) => [b, b.weight]);
  const pickBanks = (n: number) => {
    const chosen = new Set<BankSim>();
    while (chosen.size < Math.min(n, banks.length)) chosen.add(pickWeighted(rng, bankWeights));
    return [...chosen];
  };
  const biasNorm = GUARANTEE_MIX.reduce((s, [m, p]) => s + p * LEND_BIAS[m]!, 0);
  const eligible = banks.map((b) => b.id).join(',');

  for (const [i, t0] of times.entries()) {
    const method = pickWeighted(rng, GUARANTEE_MIX);
    const u = rng();
    const pLent = (P_LENT * LEND_BIAS[method]!) / biasNorm;
    const outcome = u < pLent ? 'lent' : u < pLent + P_CLAIMED_NOT_LENT ? 'claimed' : u < pLent + P_CLAIMED_NOT_LENT + P_WITHDRAWN ? 'withdrawn' : 'unclaimed';
    const plan: RequestPlan = {
      id: uuidAt(rng, t0),
      enterpriseIdx: Math.floor(size.enterprises * rng() ** 1.6),
      t0,
      amountFen: Math.max(10, Math.min(5000, Math.round(Math.exp(Math.log(150) + normal(rng) * 1.1)))) * 1_000_000,
      termMonths: TERMS[Math.floor(rng() * TERMS.length)]!,
      method,
      routing: rng() < 0.7 ? 'directed' : 'pool',
      outcome,
      stuck: t0 > now - STUCK_WINDOW_DAYS * DAY && rng() < P_STUCK,
      firstApproval: rng() < 0.3,
      fallbackToPool: rng() < 0.4,
    };
    const e = enterprises[plan.enterpriseIdx]!;
    const sim = simulate(rng, plan, banks, pickBanks);
    // History ends at `now`: later steps have not happened yet.
    const past = (ev: Ev) => ev.at <= now;
    const closed = sim.close && sim.close.at <= now ? sim.close : undefined;

    // The request's public stage follows its claims (domain/stages.ts, as in the request workflow).
    const reqEvents: Ev[] = [{ at: t0, event: 'published', actor: `enterprise:${e.id}` }, ...sim.requestEvents];
    const claimEvents = sim.claims.flatMap((c) => c.events.map((ev) => ({ ev, c }))).sort((a, b) => a.ev.at - b.ev.at);
    const status = new Map<ClaimSim, ClaimStatus>();
    let stage: Stage = 'published';
    for (const { ev, c } of claimEvents) {
      status.set(c, ev.status!);
      const derived = deriveStage(status.values());
      if (derived !== stage && (!sim.close || ev.at < sim.close.at)) {
        stage = derived;
        reqEvents.push({ at: ev.at + 1, event: stage, actor: 'system' });
      }
    }
    if (sim.close) reqEvents.push({ at: sim.close.at, event: 'closed', actor: sim.close.actor === 'enterprise' ? `enterprise:${e.id}` : 'system' });
    const visible = reqEvents.filter(past).sort((a, b) => a.at - b.at);
    const currentStage = (
      closed ? 'closed' : ([...visible].reverse().find((ev) => (STAGES as readonly string[]).includes(ev.event))?.event ?? 'published')
    ) as Stage;

    w.request.add([
      plan.id,
      e.id,
      `bench-seed-${i}`,
      plan.amountFen,
      plan.termMonths,
      PURPOSES[i % PURPOSES.length],
      plan.method,
      plan.routing,
      plan.routing === 'directed' ? sim.claims.map((c) => c.bank.id).join(',') : '',
      plan.fallbackToPool,
      rng() < 0.8,
      plan.firstApproval ? 'first_approval' : 'enterprise_choice',
      currentStage,
      closed?.reason ?? null,
      POLICY.version,
      sim.poolClosesAt ? iso(sim.poolClosesAt) : null,
      sim.poolClosesAt ? eligible : '',
      `financingRequest-${plan.id}`,
      iso(t0),
      iso(Math.max(visible.at(-1)!.at, ...sim.claims.flatMap((c) => c.events.filter(past).map((ev) => ev.at)))),
    ]);
    let r = 0;
    for (const ev of visible) {
      const key = ev === reqEvents[0] ? `${plan.id}:published` : `${plan.id}:r${++r}:${ev.event}`;
      const detail = ev.event === 'closed' ? { closeReason: closed?.reason } : (ev.detail ?? null);
      w.event.add([key, plan.id, null, ev.event, ev.actor, iso(ev.at), detail ? JSON.stringify(detail) : null]);
    }
    for (const c of sim.claims) {
      const evs = c.events.filter(past);
      if (evs.length === 0) continue;
      const claimId = `${plan.id}:${c.bank.id}`;
      for (const [k, ev] of evs.entries()) {
        const actor = ev.actor === 'enterprise' ? `enterprise:${e.id}` : ev.actor;
        w.event.add([`${claimId}:${k + 1}:${ev.status}`, plan.id, claimId, ev.event, actor, iso(ev.at), ev.detail ? JSON.stringify(ev.detail) : null]);
      }
      const last = evs.at(-1)!;
      const offer = evs.some((ev) => ev.event === 'claim:approved') ? c.offer : undefined;
      w.claim.add([
        claimId,
        plan.id,
        c.bank.id,
        c.origin,
        last.status,
        last.deadlineAt ? iso(last.deadlineAt) : null,
        [...evs].reverse().find((ev) => ev.reason)?.reason ?? null,
        offer?.amountFen ?? null,
        offer?.rateBp ?? null,
        offer?.termMonths ?? null,
        offer?.repayment ?? null,
        iso(evs[0]!.at),
        iso(last.at),
      ]);
    }
    if (sim.disbursed && sim.disbursed.at <= now) {
      const c = sim.disbursed.claim;
      const claimId = `${plan.id}:${c.bank.id}`;
      w.loan.add([
        `loan-${claimId}`,
        claimId,
        plan.id,
        c.bank.id,
        e.id,
        c.offer!.amountFen,
        c.offer!.rateBp,
        c.offer!.termMonths,
        c.offer!.repayment,
        shanghaiDate(new Date(sim.disbursed.at)),
        !e.hasLoan,
        plan.method === 'credit',
        iso(sim.disbursed.at),
      ]);
      e.hasLoan = true;
      if (sim.rating && sim.rating.at <= now) w.rating.add([`rating-${plan.id}`, plan.id, c.bank.id, ...sim.rating.scores, iso(sim.rating.at)]);
    }
    // Writers are declared parents first, so foreign keys hold at every flush.
    if (Object.values(w).some((t) => t.full)) for (const t of Object.values(w)) await t.flush(client);
  }
  for (const t of Object.values(w)) await t.flush(client);
  return {
    banks: banks.length,
    products: banks.length * size.productsPerBank,
    enterprises: w.enterprise.count,
    requests: w.request.count,
    claims: w.claim.count,
    stageEvents: w.event.count,
    loans: w.loan.count,
    ratings: w.rating.count,
  };
}

/** Writes the seed unless the database already has it; answers what is there either way. */
export async function seedPlatform(databaseUrl: string, size: PlatformSize = JIAXING_SIZE, opts: { seed?: string; now?: Date } = {}): Promise<SeedSummary> {
  const began = Date.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One seeder at a time (two bench runs started together): the second waits, then finds the marker.
    await client.query('SELECT pg_advisory_lock(72707370)');
    const found = await client.query<{ id: string; body: SeedSummary }>(`SELECT id, body FROM "IdempotentResponse" WHERE id LIKE $1`, [`${MARKER_PREFIX}%`]);
    if (found.rows[0]) {
      const prior = found.rows[0].body;
      if (found.rows[0].id !== MARKER_ID) throw new Error(`this database holds an older platform seed (${found.rows[0].id}); use a fresh database`);
      const same = (Object.keys(size) as (keyof PlatformSize)[]).every((k) => prior.size[k] === size[k]);
      if (!same) throw new Error(`this database holds a platform seed of another size (${JSON.stringify(prior.size)}); use a fresh database`);
      return { ...prior, reused: true, seconds: (Date.now() - began) / 1000 };
    }
    const now = (opts.now ?? new Date()).getTime();
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    // The generated rows are consistent by construction: skip per-row foreign-key triggers when the
    // role may (superuser); otherwise they run, which is only slower.
    await client.query('SAVEPOINT fk');
    await client.query('SET LOCAL session_replication_role = replica').catch(() => client.query('ROLLBACK TO SAVEPOINT fk'));
    const counts = await writeSeed(client, size, now, opts.seed ?? 'loanbridge-jiaxing');
    const summary: SeedSummary = { size, now: iso(now), counts, reused: false, seconds: 0 };
    await client.query(`INSERT INTO "IdempotentResponse" (id, "requestHash", status, body) VALUES ($1, 'platform-seed', 200, $2)`, [
      MARKER_ID,
      JSON.stringify(summary),
    ]);
    await client.query('COMMIT');
    // Fresh statistics, so the planner knows the tables are no longer empty.
    await client.query('ANALYZE');
    return { ...summary, seconds: (Date.now() - began) / 1000 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707370)').catch(() => undefined);
    await client.end();
  }
}

/**
 * The bench database, migrated: DATABASE_URL, or loanbridge_bench on an embedded PostgreSQL server
 * kept in data/bench-postgres (so a seed is made once and reused), started for the run; stop() stops it.
 */
export async function benchDatabase(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop(): Promise<void> }> {
  let url = env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const dataDir = readEnv(env).dataDir;
    const pg = await startEmbeddedPostgres({
      dir: path.join(dataDir, 'bench-postgres'),
      port: await freePort(),
      passwordFile: path.join(dataDir, 'bench-postgres.password'),
      durable: false,
      logFile: path.join(dataDir, 'bench-postgres.log'),
    });
    url = await pg.ensureDatabase('loanbridge_bench');
    stop = () => pg.stop();
  }
  const db = await openDatabase({ databaseUrl: url, migrate: true, poolSize: 2 });
  await db.close();
  return { url, stop };
}

function argNum(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (require.main === module) {
  (async () => {
    const database = await benchDatabase();
    const size: PlatformSize = {
      enterprises: argNum('enterprises', JIAXING_SIZE.enterprises),
      requests: argNum('requests', JIAXING_SIZE.requests),
      banks: argNum('banks', JIAXING_SIZE.banks),
      productsPerBank: argNum('products-per-bank', JIAXING_SIZE.productsPerBank),
    };
    try {
      const s = await seedPlatform(database.url, size);
      console.log(JSON.stringify(s, null, 2));
    } finally {
      await database.stop();
    }
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
