// HTML of the loan-code form and of the tracking page. Every interpolated value goes through escapeHtml.
import type { CloseReason, Stage } from '../../domain/vocabulary';
import { escapeHtml, page } from './layout';
import type { FieldErrors, FormField, FormValues } from './loanCodeFields';

export interface CodeContext {
  code: string;
  bankId: string;
  bankName: string;
  branch: string | null;
}

const STAGE_LABELS: Record<Stage, string> = {
  published: '已提交 Submitted',
  accepted: '已受理 Accepted',
  under_review: '审核中 Under review',
  approved: '已审批 Approved',
  disbursed: '已放款 Disbursed',
  closed: '已结束 Closed',
};

const CLOSE_LABELS: Record<CloseReason, string> = {
  completed: '已完成 Completed',
  withdrawn: '已撤回 Withdrawn',
  expired: '已超时 Expired',
  unmatched: '未能对接 No bank took it',
  all_declined: '未获批准 Declined',
};

/** Claim steps worth showing the applicant; reminders and internal notes are left out. */
const CLAIM_LABELS: Record<string, string> = {
  offered: '已推送至银行 Sent to the bank',
  accepted: '银行已受理 The bank accepted',
  rejected: '银行未受理 The bank did not accept',
  under_review: '银行审核中 The bank is reviewing',
  approved: '银行已审批 The bank approved',
  guarantee_pending: '担保审核中 Guarantee under review',
  declined: '银行未批准 The bank declined',
  disbursed: '银行已放款 The bank disbursed',
  expired: '办理超时 Deadline passed',
  withdrawn: '已撤回 Withdrawn',
};

export function timelineLabel(event: string): string | undefined {
  if (event in STAGE_LABELS) return STAGE_LABELS[event as Stage];
  if (event.startsWith('claim:')) return CLAIM_LABELS[event.slice('claim:'.length)];
  return undefined;
}

/** Shanghai wall-clock time (UTC+8 all year, no DST). */
export const shanghaiTime = (d: Date): string => `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;

const LABELS: Record<FormField, { zh: string; en: string; hint?: string }> = {
  companyName: { zh: '企业名称', en: 'Company name' },
  creditCode: { zh: '统一社会信用代码', en: 'Unified social credit code', hint: '18位 · 18 characters' },
  contactName: { zh: '联系人', en: 'Contact person' },
  mobile: { zh: '手机号码', en: 'Mobile number', hint: '如 e.g. 13912345678' },
  amountWan: { zh: '融资金额（万元）', en: 'Amount (万元 = CNY 10,000)', hint: '如 e.g. 300' },
  termMonths: { zh: '期限（月）', en: 'Term (months)', hint: '1–360' },
  purpose: { zh: '资金用途', en: 'Purpose' },
};

const INPUT_ATTRS: Record<Exclude<FormField, 'purpose'>, string> = {
  companyName: 'type="text" autocomplete="organization" maxlength="200"',
  creditCode: 'type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="24"',
  contactName: 'type="text" autocomplete="name" maxlength="100"',
  mobile: 'type="tel" autocomplete="tel" inputmode="tel" maxlength="20"',
  amountWan: 'type="text" inputmode="decimal" maxlength="16"',
  termMonths: 'type="text" inputmode="numeric" maxlength="3"',
};

function field(f: FormField, v: FormValues, errors: FieldErrors): string {
  const l = LABELS[f];
  const err = errors[f];
  const aria = err ? ` aria-invalid="true" aria-describedby="err-${f}"` : '';
  const control =
    f === 'purpose'
      ? `<textarea id="${f}" name="${f}" maxlength="500" required${aria}>${escapeHtml(v[f])}</textarea>`
      : `<input id="${f}" name="${f}" ${INPUT_ATTRS[f]} required value="${escapeHtml(v[f])}"${aria}>`;
  return `<label for="${f}">${escapeHtml(l.zh)} <small>${escapeHtml(l.en)}${l.hint ? ` · ${escapeHtml(l.hint)}` : ''}</small></label>
${control}
${err ? `<p class="field-error" id="err-${f}" data-field="${f}">${escapeHtml(err)}</p>` : ''}`;
}

export function formPage(c: CodeContext, v: FormValues, errors: FieldErrors = {}, alert?: string): string {
  const bank = c.branch ? `${c.bankName} · ${c.branch}` : c.bankName;
  const n = Object.keys(errors).length;
  const summary = alert
    ? `<div class="alert" role="alert">${escapeHtml(alert)}</div>`
    : n
      ? `<div class="alert" role="alert">请修改标出的${n}项 / Please correct the ${n} field(s) marked below.</div>`
      : '';
  const body = `${summary}
<form class="card" method="post" action="/l/${escapeHtml(encodeURIComponent(c.code))}" accept-charset="utf-8" novalidate>
<input type="hidden" name="formToken" value="${escapeHtml(v.formToken)}">
<label for="bank">授权银行 <small>Authorised bank</small></label>
<select id="bank" name="bankId"><option value="${escapeHtml(c.bankId)}" selected>${escapeHtml(bank)}</option></select>
${(['companyName', 'creditCode', 'contactName', 'mobile', 'amountWan', 'termMonths', 'purpose'] as const).map((f) => field(f, v, errors)).join('\n')}
<label class="consent"><input type="checkbox" name="dataConsent" value="on"${v.dataConsent ? ' checked' : ''}>
<span>我授权上述银行查询本企业的信用信息，用于本次融资审核。<br><small>I authorise the bank above to read our enterprise's credit data for this request.</small></span></label>
<button type="submit">提交融资需求 Submit request</button>
</form>
<p class="hint">提交后您将获得查询进度的链接。 After submitting you get a link to follow the request.</p>`;
  return page({ title: `${c.bankName} 贷款码 Loan code`, heading: '融资需求 · Financing request', subheading: bank, body });
}

export interface CodeChallenge {
  challengeId: string;
  maskedMobile: string;
  /** The mobile typed in the form is not the registered one (the code went to the registered one). */
  typedOther: boolean;
}

/** The one-time code step of the loan-code form. restart: the challenge is dead, offer the form again. */
export function codePage(c: CodeContext, ch: CodeChallenge, alert?: string, restart = false): string {
  const bank = c.branch ? `${c.bankName} · ${c.branch}` : c.bankName;
  const action = `/l/${escapeHtml(encodeURIComponent(c.code))}`;
  const body = `${alert ? `<div class="alert" role="alert">${escapeHtml(alert)}</div>` : ''}
${codeForm(`${action}/verify`, ch, restart ? `${action}` : undefined)}`;
  return page({ title: '短信验证 Verify by SMS', heading: '短信验证 · Verify by SMS', subheading: bank, body });
}

/** The code card shared by the loan-code form and the tracking page. */
export function codeForm(action: string, ch: CodeChallenge, restartHref?: string): string {
  const other = ch.typedOther
    ? `<p class="hint" id="registered-note">验证码发送至该企业在平台登记的联系人手机，而不是表单中填写的号码。<br>The code went to the contact mobile registered for this enterprise, not to the number typed in the form.</p>`
    : '';
  if (restartHref)
    return `<section class="card"><p>请重新获取验证码。 Please start again to get a new code.</p><p><a class="link" href="${escapeHtml(restartHref)}">重新开始 Start again</a></p></section>`;
  return `<form class="card" method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate>
<input type="hidden" name="challengeId" value="${escapeHtml(ch.challengeId)}">
<p id="code-sent">验证码已发送至 <strong id="masked-mobile">${escapeHtml(ch.maskedMobile)}</strong><br><small>A 6-digit code was sent to ${escapeHtml(ch.maskedMobile)}.</small></p>
${other}
<label for="code">短信验证码 <small>SMS code</small></label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="6" required>
<button type="submit">验证 Verify</button>
</form>`;
}

export interface TrackingView {
  bankName: string;
  trackingUrl: string;
  stage: Stage;
  closeReason: CloseReason | null;
  /** false while the workflow has not written the request yet (a moment after submitting). */
  recorded: boolean;
  timeline: { label: string; at: Date }[];
  /** Offers and actions for the verified enterprise, or the "verify by SMS" card (trackingViews.ts). */
  actionsHtml?: string;
  alert?: string;
}

export function trackingPage(t: TrackingView): string {
  const stage = t.stage === 'closed' && t.closeReason ? `${STAGE_LABELS.closed} · ${CLOSE_LABELS[t.closeReason]}` : STAGE_LABELS[t.stage];
  const items = t.timeline.map((e) => `<li>${escapeHtml(e.label)}<time>${escapeHtml(shanghaiTime(e.at))}</time></li>`).join('\n');
  const body = `${t.alert ? `<div class="alert" role="alert">${escapeHtml(t.alert)}</div>` : ''}<div class="ok" role="status">您的融资需求已提交至 ${escapeHtml(t.bankName)}。<br><small>Your request was sent to ${escapeHtml(t.bankName)}.</small></div>
<section class="card"><h2 class="hint">当前阶段 Current stage</h2><p class="stage" id="stage" data-stage="${escapeHtml(t.stage)}">${escapeHtml(stage)}</p>
${t.recorded ? '' : '<p class="hint">正在处理，页面将自动刷新。 Processing; this page refreshes itself.</p>'}</section>
${t.actionsHtml ?? ''}
<section class="card"><h2 class="hint">办理进度 Timeline</h2><ol class="timeline" id="timeline">${items || '<li>已提交 Submitted</li>'}</ol></section>
<section class="card"><h2 class="hint">进度查询链接（请保存） Tracking link (keep it)</h2>
<p><a class="link" id="tracking-link" href="${escapeHtml(t.trackingUrl)}">${escapeHtml(t.trackingUrl)}</a></p>
<p class="hint">持有此链接即可查看进度，请勿转发。 Anyone with this link sees the progress: do not share it.</p></section>`;
  return page({ title: '融资需求进度 Request status', heading: '融资需求进度 · Request status', body, refreshSeconds: t.recorded ? undefined : 3 });
}
