// The tracking page's enterprise part: the "verify by SMS" card for a visitor, and for the verified
// enterprise each approved offer with a choose button, withdraw, and the 4C rating form.
// Every interpolated value goes through escapeHtml; every form carries a fresh action token (the
// Temporal update id, so a double tap acts once).
import type { RepaymentMethod } from '../../domain/vocabulary';
import { escapeHtml } from './layout';

export interface OfferView {
  bankId: string;
  bankName: string;
  /** approved (choosable), chosen (guarantee or disbursement under way), disbursed, not_chosen… */
  status: string;
  approvedAmountFen: number;
  annualRateBp: number;
  termMonths: number;
  repaymentMethod: RepaymentMethod | string;
  guarantorName?: string;
  /** Known once the guarantor approved; null before. */
  guaranteeFeeFen?: number | null;
}

export interface EnterpriseActions {
  base: string;
  actionToken: string;
  offers: OfferView[];
  canChoose: boolean;
  canWithdraw: boolean;
  /** Whom the rating is for, when a rating is open. */
  rateBank?: { bankId: string; bankName: string };
  rated: boolean;
}

const REPAYMENT_LABELS: Record<string, string> = {
  equal_installment: '等额本息 Equal instalments',
  equal_principal: '等额本金 Equal principal',
  interest_first: '先息后本 Interest first',
  bullet: '到期一次还本付息 Bullet',
};

/** 30000000 fen → "30"; 12345678 fen → "12.345678" (万元). */
export function fenToWan(fen: number): string {
  const whole = Math.trunc(fen / 1_000_000);
  const rest = String(fen % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : String(whole);
}

const rate = (bp: number) => `${(bp / 100).toFixed(2)}%`;
const yuan = (fen: number) => `${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

export function verifyCard(base: string): string {
  return `<form class="card" method="post" action="${escapeHtml(base)}/code" id="verify-card">
<p>查看银行方案、选择方案、撤回或评价前，请先短信验证。<br><small>To see the banks' offers, choose one, withdraw or rate, verify with a code sent to the enterprise's registered mobile.</small></p>
<button type="submit" id="send-code">发送验证码 Send code</button>
</form>`;
}

function offerCard(o: OfferView, a: EnterpriseActions): string {
  const guarantee = o.guarantorName
    ? `${escapeHtml(o.guarantorName)} · 担保费 fee ${o.guaranteeFeeFen == null ? '待担保机构确定 set by the guarantor after you choose' : escapeHtml(yuan(o.guaranteeFeeFen))}`
    : '无 None';
  const choose =
    a.canChoose && o.status === 'approved'
      ? `<form method="post" action="${escapeHtml(a.base)}/choose"><input type="hidden" name="actionToken" value="${escapeHtml(a.actionToken)}"><input type="hidden" name="bankId" value="${escapeHtml(o.bankId)}"><button type="submit" class="choose">选择此方案 Choose this offer</button></form>`
      : '';
  return `<article class="card offer" data-bank="${escapeHtml(o.bankId)}" data-status="${escapeHtml(o.status)}">
<h3>${escapeHtml(o.bankName)}</h3>
${['guarantee_pending', 'disbursed'].includes(o.status) ? '<p class="ok chosen">已选择此方案 You chose this offer</p>' : ''}${o.status === 'not_chosen' ? '<p class="hint">未选择 Not chosen</p>' : ''}
<dl>
<dt>额度 Amount</dt><dd class="amount">${escapeHtml(fenToWan(o.approvedAmountFen))} 万元</dd>
<dt>年利率 Annual rate</dt><dd class="rate">${escapeHtml(rate(o.annualRateBp))}</dd>
<dt>期限 Term</dt><dd class="term">${o.termMonths} 个月 months</dd>
<dt>还款方式 Repayment</dt><dd class="repayment">${escapeHtml(REPAYMENT_LABELS[o.repaymentMethod] ?? o.repaymentMethod)}</dd>
<dt>担保 Guarantor</dt><dd class="guarantor">${guarantee}</dd>
</dl>
${choose}
</article>`;
}

const SCORES = [
  ['meetsNeed', '满足需求 Meets the need'],
  ['cost', '融资成本 Cost'],
  ['speed', '办理速度 Speed'],
  ['communication', '沟通服务 Communication'],
] as const;

function ratingForm(a: EnterpriseActions): string {
  if (a.rated) return `<section class="card" id="rated"><p class="ok">感谢您的评价 Thank you for your rating.</p></section>`;
  if (!a.rateBank) return '';
  const scale = (name: string) =>
    [1, 2, 3, 4, 5].map((n) => `<label class="star"><input type="radio" name="${name}" value="${n}"${n === 5 ? ' checked' : ''}> ${n}</label>`).join('');
  return `<form class="card" method="post" action="${escapeHtml(a.base)}/rate" id="rating-form">
<h2 class="hint">评价 ${escapeHtml(a.rateBank.bankName)} · Rate the bank (1–5)</h2>
<input type="hidden" name="actionToken" value="${escapeHtml(a.actionToken)}">
${SCORES.map(([k, l]) => `<fieldset class="scale"><legend>${escapeHtml(l)}</legend>${scale(k)}</fieldset>`).join('\n')}
<label for="comment">意见建议 <small>Comment (optional)</small></label>
<textarea id="comment" name="comment" maxlength="1000"></textarea>
<button type="submit">提交评价 Submit rating</button>
</form>`;
}

export function enterpriseActions(a: EnterpriseActions): string {
  const offers = a.offers.length
    ? `<section id="offers"><h2 class="hint">银行方案 Offers</h2>${a.offers.map((o) => offerCard(o, a)).join('\n')}</section>`
    : `<section class="card" id="offers"><p class="hint">暂无银行方案 No offer yet.</p></section>`;
  const withdraw = a.canWithdraw
    ? `<form class="card" method="post" action="${escapeHtml(a.base)}/withdraw" id="withdraw-form"><input type="hidden" name="actionToken" value="${escapeHtml(a.actionToken)}">
<p class="hint">不再需要这笔融资？ No longer need this loan?</p><button type="submit" class="secondary">撤回需求 Withdraw the request</button></form>`
    : '';
  return `${offers}\n${ratingForm(a)}\n${withdraw}`;
}
