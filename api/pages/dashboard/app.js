// The supervisor dashboard: signs in at POST /v1/auth/token, keeps the token in sessionStorage (gone
// when the tab closes) and calls the API with it. Reads /v1/statistics, /v1/supervision/stuck and
// /v1/supervision/ranking; acts with /v1/supervision/claims/:requestId/:bankId/<action>.
/* global window, document, sessionStorage, localStorage, fetch, crypto, URLSearchParams */
'use strict';

(function () {
  const I18N = window.LB_I18N;
  const TOKEN = 'lb.dashboard.token';
  const state = {
    lang: localStorage.getItem('lb.lang') === 'en' ? 'en' : 'zh-CN',
    stats: null,
    stuck: [],
    stuckCursor: null,
    ranking: null,
    charts: {},
    action: null,
  };
  const $ = (id) => document.getElementById(id);
  const t = (k) => (I18N[state.lang] && I18N[state.lang][k]) || I18N['zh-CN'][k] || k;
  const tOr = (prefix, v) => (I18N[state.lang][prefix + v] ? t(prefix + v) : v);

  // ---- formatting: money is integer fen; times are shown in Asia/Shanghai ----
  const nf = (digits) => new Intl.NumberFormat(state.lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const int = (n) => nf(0).format(n);
  const wan = (fen) => nf(0).format(fen / 1e6);
  const yi = (fen) => nf(2).format(fen / 1e10);
  const pct = (r) => (r === null || r === undefined ? '—' : nf(2).format(r * 100) + ' %');
  const hours = (h) => (h === null || h === undefined ? '—' : nf(1).format(h));
  const when = (iso) =>
    iso
      ? new Date(iso).toLocaleString(state.lang, {
          timeZone: 'Asia/Shanghai',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        })
      : '—';

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else if (k === 'className') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function applyI18n() {
    document.documentElement.lang = state.lang;
    document.title = t('title') + ' · loanbridge';
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.getAttribute('data-i18n'));
  }

  // ---- the API ----
  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || 'HTTP ' + status);
      this.status = status;
      this.body = body;
    }
  }

  async function api(method, path, body, extraHeaders) {
    const token = sessionStorage.getItem(TOKEN);
    const headers = Object.assign({ accept: 'application/json' }, token ? { authorization: 'Bearer ' + token } : {}, extraHeaders || {});
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { detail: text };
    }
    if (res.status === 401 && path !== '/v1/auth/token') {
      signOut(t('sessionExpired'));
      throw new ApiError(401, parsed);
    }
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed;
  }

  // ---- sign-in ----
  async function signIn(ev) {
    ev.preventDefault();
    $('signin-error').textContent = '';
    try {
      const r = await api('POST', '/v1/auth/token', { email: $('email').value.trim(), password: $('password').value });
      if (r.principal.role !== 'supervisor' && r.principal.role !== 'admin') {
        $('signin-error').textContent = t('notSupervisor');
        return;
      }
      sessionStorage.setItem(TOKEN, r.token);
      sessionStorage.setItem(TOKEN + '.name', r.principal.name);
      $('password').value = '';
      show();
    } catch (err) {
      $('signin-error').textContent = err.status === 401 ? t('signInFailed') : err.message;
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(TOKEN + '.name');
    $('app-view').hidden = true;
    $('signin-view').hidden = false;
    $('signout').hidden = true;
    $('who').textContent = '';
    $('signin-error').textContent = message || '';
  }

  function show() {
    const signedIn = Boolean(sessionStorage.getItem(TOKEN));
    $('signin-view').hidden = signedIn;
    $('app-view').hidden = !signedIn;
    $('signout').hidden = !signedIn;
    $('who').textContent = sessionStorage.getItem(TOKEN + '.name') || '';
    if (signedIn) void loadAll();
  }

  // ---- loading ----
  function period() {
    const q = new URLSearchParams();
    if ($('from').value) q.set('from', $('from').value);
    if ($('to').value) q.set('to', $('to').value);
    return q;
  }

  async function loadAll() {
    $('app-error').textContent = '';
    $('app-status').textContent = '';
    await Promise.all([loadStatistics(), loadStuck(false), loadRanking()]);
  }

  async function guarded(fn) {
    try {
      await fn();
    } catch (err) {
      if (err.status !== 401) $('app-error').textContent = err.message;
    }
  }

  function loadStatistics() {
    return guarded(async () => {
      const q = period();
      q.set('bucket', $('bucket').value);
      state.stats = await api('GET', '/v1/statistics?' + q);
      renderStatistics();
    });
  }

  function loadStuck(more) {
    return guarded(async () => {
      const q = new URLSearchParams({ limit: '20', sort: $('stuck-sort').value });
      if ($('stuck-bank').value) q.set('bankId', $('stuck-bank').value);
      if ($('stuck-region').value) q.set('region', $('stuck-region').value);
      if ($('stuck-stage').value) q.set('stage', $('stuck-stage').value);
      if ($('stuck-overdue').checked) q.set('overdueOnly', 'true');
      if (more && state.stuckCursor) q.set('cursor', state.stuckCursor);
      const r = await api('GET', '/v1/supervision/stuck?' + q);
      state.stuck = more ? state.stuck.concat(r.items) : r.items;
      state.stuckCursor = r.nextCursor;
      renderStuck();
    });
  }

  function loadRanking() {
    return guarded(async () => {
      const q = new URLSearchParams();
      // The ranking's period is [from, to): the day after the chosen last day ends it.
      if ($('from').value && $('to').value) {
        q.set('from', $('from').value);
        const end = new Date($('to').value + 'T00:00:00Z');
        end.setUTCDate(end.getUTCDate() + 1);
        q.set('to', end.toISOString().slice(0, 10));
      }
      state.ranking = await api('GET', '/v1/supervision/ranking' + (q.toString() ? '?' + q : ''));
      renderRanking();
    });
  }

  // ---- statistics ----
  const KPIS = [
    ['requests', (x) => x.requests, int],
    ['requested', (x) => x.requestedFen, yi],
    ['claimRate', (x) => x.claimRate, pct],
    ['lendingRate', (x) => x.lendingRate, pct],
    ['disbursed', (x) => x.disbursed, int],
    ['disbursedAmount', (x) => x.disbursedFen, yi],
    ['firstLoans', (x) => x.firstLoanEnterprises, int],
    ['creditLoans', (x) => x.creditLoans, int],
  ];

  function renderStatistics() {
    const s = state.stats;
    if (!s) return;
    $('as-of').textContent = t('asOf') + ' ' + when(s.asOf);
    const kpis = $('kpis');
    kpis.replaceChildren(
      ...KPIS.map(([name, get, fmt]) =>
        el(
          'div',
          { className: 'kpi', 'data-kpi': name, 'data-value': get(s.totals) },
          el('div', { className: 'label', text: t('kpi_' + name) }),
          el('div', { className: 'value', text: fmt(get(s.totals)) }),
        ),
      ),
    );
    renderCharts();
    const select = $('stuck-bank');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: t('all') }), ...s.byBank.map((b) => el('option', { value: b.key, text: b.name })));
    select.value = chosen;
    $('bank-table')
      .querySelector('tbody')
      .replaceChildren(
        ...s.byBank.map((b) =>
          el(
            'tr',
            { 'data-bank-id': b.key },
            el('td', { text: b.name }),
            el('td', { className: 'num', text: int(b.requests) }),
            el('td', { className: 'num', text: int(b.claimed) }),
            el('td', { className: 'num', text: int(b.approved) }),
            el('td', { className: 'num', text: int(b.disbursed) }),
            el('td', { className: 'num', text: wan(b.disbursedFen) }),
            el('td', { className: 'num', text: pct(b.claimRate) }),
          ),
        ),
      );
  }

  function chart(id, config) {
    if (!window.Chart) return;
    if (state.charts[id]) state.charts[id].destroy();
    state.charts[id] = new window.Chart($(id), config);
  }

  function renderCharts() {
    const s = state.stats;
    // A fresh object per chart: Chart.js writes resolved defaults (scales) into the options it gets.
    const opts = () => ({ responsive: true, maintainAspectRatio: false, animation: false });
    chart('chart-time', {
      type: 'line',
      data: {
        labels: s.overTime.map((p) => p.period),
        datasets: [
          { label: t('series_requests'), data: s.overTime.map((p) => p.requests), borderColor: '#1f5fa8', backgroundColor: '#1f5fa8' },
          { label: t('series_claimed'), data: s.overTime.map((p) => p.claimed), borderColor: '#e39b16', backgroundColor: '#e39b16' },
          { label: t('series_disbursed'), data: s.overTime.map((p) => p.disbursed), borderColor: '#2e8540', backgroundColor: '#2e8540' },
        ],
      },
      options: opts(),
    });
    const industries = s.byIndustry.slice(0, 10);
    chart('chart-industry', {
      type: 'bar',
      data: {
        labels: industries.map((g) =>
          g.label ? g.key + ' ' + (state.lang === 'en' ? g.label.replace(/\s*[\u4e00-\u9fff].*$/, '') : g.label.replace(/^[^\u4e00-\u9fff]*/, '')) : g.key,
        ),
        datasets: [
          { label: t('series_requests'), data: industries.map((g) => g.requests), backgroundColor: '#1f5fa8' },
          { label: t('series_disbursed'), data: industries.map((g) => g.disbursed), backgroundColor: '#2e8540' },
        ],
      },
      options: opts(),
    });
    chart('chart-method', {
      type: 'doughnut',
      data: {
        labels: s.byGuaranteeMethod.map((g) => tOr('method_', g.key)),
        datasets: [{ data: s.byGuaranteeMethod.map((g) => g.requests), backgroundColor: ['#2e8540', '#1f5fa8', '#b3261e', '#e39b16', '#6f42c1', '#8a8f98'] }],
      },
      options: opts(),
    });
    chart('chart-amount', {
      type: 'bar',
      data: {
        labels: s.byAmountTier.map((g) => g.key),
        datasets: [
          { label: t('series_requests'), data: s.byAmountTier.map((g) => g.requests), backgroundColor: '#1f5fa8' },
          { label: t('series_disbursed'), data: s.byAmountTier.map((g) => g.disbursed), backgroundColor: '#2e8540' },
        ],
      },
      options: opts(),
    });
  }

  // ---- stuck orders and supervisor actions ----
  const ACTIONS = [
    ['nudge', 'nudge', ''],
    ['extend-deadline', 'extend', ''],
    ['release', 'release', 'warn'],
  ];

  function renderStuck() {
    const rows = state.stuck.map((x) =>
      el(
        'tr',
        { 'data-request-id': x.requestId, 'data-bank-id': x.bankId || '', 'data-kind': x.kind },
        el(
          'td',
          {},
          el('button', { type: 'button', className: 'link', text: x.requestId.slice(0, 8), title: x.requestId, onclick: () => void openDetail(x.requestId) }),
        ),
        el('td', { text: x.bankId || '—' }),
        el('td', { text: tOr('stage_', x.stage) }),
        el('td', { text: x.claimStatus ? tOr('status_', x.claimStatus) : '—' }),
        el('td', { className: 'num', text: wan(x.amountFen) }),
        el('td', { text: x.region }),
        el('td', { text: when(x.deadlineAt) }),
        el('td', { className: 'num' + (x.overdueByHours > 0 ? ' overdue' : ''), text: hours(x.overdueByHours) }),
        el(
          'td',
          {},
          ...(x.kind === 'claim' && x.bankId
            ? ACTIONS.map(([path, label, cls]) =>
                el('button', { type: 'button', className: 'small ' + cls, 'data-action': path, text: t(label), onclick: () => openAction(path, label, x) }),
              )
            : []),
        ),
      ),
    );
    $('stuck-table')
      .querySelector('tbody')
      .replaceChildren(...rows);
    $('stuck-empty').hidden = rows.length > 0;
    $('stuck-more').hidden = !state.stuckCursor;
  }

  function openAction(path, label, item) {
    // One Idempotency-Key per opened dialog: a double-clicked confirm acts once.
    state.action = { path, item, key: 'dash-' + crypto.randomUUID() };
    $('action-title').textContent = t(label);
    $('action-target').textContent = item.requestId + ' · ' + item.bankId;
    $('action-reason').value = '';
    $('action-reason').required = path !== 'nudge';
    $('action-days-label').hidden = path !== 'extend-deadline';
    $('action-error').textContent = '';
    $('action-dialog').showModal();
  }

  async function confirmAction(ev) {
    ev.preventDefault();
    const a = state.action;
    if (!a) return;
    const reason = $('action-reason').value.trim();
    const body = {};
    if (reason) body.reason = reason;
    if (a.path === 'extend-deadline') body.businessDays = Number($('action-days').value) || 1;
    $('action-confirm').disabled = true;
    try {
      await api('POST', '/v1/supervision/claims/' + encodeURIComponent(a.item.requestId) + '/' + encodeURIComponent(a.item.bankId) + '/' + a.path, body, {
        'idempotency-key': a.key,
      });
      $('action-dialog').close();
      $('app-status').textContent =
        t('actionDone') +
        ': ' +
        t(a.path === 'nudge' ? 'nudge' : a.path === 'release' ? 'release' : 'extend') +
        ' · ' +
        a.item.requestId.slice(0, 8) +
        ' · ' +
        a.item.bankId;
      state.action = null;
      await loadStuck(false);
    } catch (err) {
      $('action-error').textContent = err.message;
    } finally {
      $('action-confirm').disabled = false;
    }
  }

  // ---- ranking ----
  function renderRanking() {
    const r = state.ranking;
    if (!r) return;
    $('ranking-period').textContent = t('period') + ': ' + when(r.periodStart) + ' – ' + when(r.periodEnd);
    const avg = (x) => {
      const dims = [x.meetsNeed, x.cost, x.speed, x.communication].filter((v) => v !== null && v !== undefined);
      return x.n && dims.length ? nf(2).format(dims.reduce((a, b) => a + b, 0) / dims.length) : '—';
    };
    $('ranking-table')
      .querySelector('tbody')
      .replaceChildren(
        ...r.rows.map((row) =>
          el(
            'tr',
            { 'data-bank-id': row.bankId },
            el('td', { className: 'num', text: row.rank === null ? '—' : String(row.rank) }),
            el('td', { text: row.bankName }),
            el('td', { className: 'num', text: row.score === null ? '—' : nf(2).format(row.score) }),
            el('td', { className: 'num', text: hours(row.figures.acceptHours.median) }),
            el('td', { className: 'num', text: hours(row.figures.decideHours.median) }),
            el('td', { className: 'num', text: hours(row.figures.disburseHours.median) }),
            el('td', { className: 'num', text: pct(row.figures.missedShare) }),
            el('td', { className: 'num', text: int(row.figures.loans.count) }),
            el('td', { className: 'num', text: avg(row.figures.rating) }),
          ),
        ),
      );
  }

  // ---- drill-down: a request's public timeline and claims ----
  async function openDetail(id) {
    const body = $('detail-body');
    body.replaceChildren(el('p', { className: 'muted', text: '…' }));
    $('detail').showModal();
    try {
      const r = await api('GET', '/v1/financing-requests/' + encodeURIComponent(id));
      const claimLink = (bankId) =>
        r.temporalUiUrl ? r.temporalUiUrl.replace(encodeURIComponent(r.workflowId), encodeURIComponent('claim-' + r.id + ':' + bankId)) : null;
      body.replaceChildren(
        el('p', {}, el('code', { text: r.id })),
        el(
          'table',
          { className: 'grid' },
          el(
            'tbody',
            {},
            el('tr', {}, el('th', { text: t('enterprise') }), el('td', {}, el('code', { text: r.enterpriseId }))),
            el('tr', {}, el('th', { text: t('amountWan') }), el('td', { text: wan(r.amountFen) })),
            el('tr', {}, el('th', { text: t('term') }), el('td', { text: String(r.termMonths) })),
            el('tr', {}, el('th', { text: t('guaranteeMethod') }), el('td', { text: tOr('method_', r.guaranteeMethod) })),
            el('tr', {}, el('th', { text: t('routing') }), el('td', { text: tOr('routing_', r.routing) })),
            el('tr', {}, el('th', { text: t('stage') }), el('td', { text: tOr('stage_', r.stage) + (r.closeReason ? ' (' + r.closeReason + ')' : '') })),
          ),
        ),
        r.temporalUiUrl
          ? el('p', {}, el('a', { href: r.temporalUiUrl, target: '_blank', rel: 'noopener', id: 'temporal-link', text: t('openInTemporal') }))
          : null,
        el('h3', { text: t('claims') }),
        el(
          'table',
          { className: 'grid', id: 'detail-claims' },
          el(
            'tbody',
            {},
            ...(r.claims || []).map((c) =>
              el(
                'tr',
                { 'data-bank-id': c.bankId },
                el('td', { text: c.bankId }),
                el('td', { text: c.origin }),
                el('td', { text: tOr('status_', c.status) }),
                el('td', { text: when(c.deadlineAt) }),
                el('td', { text: c.offer ? wan(c.offer.approvedAmountFen) + ' / ' + nf(2).format(c.offer.annualRateBp / 100) + ' %' : '' }),
                el('td', {}, claimLink(c.bankId) ? el('a', { href: claimLink(c.bankId), target: '_blank', rel: 'noopener', text: 'Temporal' }) : null),
              ),
            ),
          ),
        ),
        el('h3', { text: t('timeline') }),
        el(
          'ol',
          { className: 'timeline', id: 'detail-timeline' },
          ...(r.timeline || []).map((e) =>
            el('li', { text: when(e.at) + ' · ' + tOr('stage_', e.event) + (e.bankId ? ' · ' + e.bankId : '') + ' · ' + e.actor }),
          ),
        ),
      );
    } catch (err) {
      body.replaceChildren(el('p', { className: 'error', text: err.message }));
    }
  }

  // ---- wiring ----
  function wire() {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', () => signOut());
    $('lang').addEventListener('click', () => {
      state.lang = state.lang === 'en' ? 'zh-CN' : 'en';
      localStorage.setItem('lb.lang', state.lang);
      applyI18n();
      renderStatistics();
      renderStuck();
      renderRanking();
    });
    $('period-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void loadAll();
    });
    $('stuck-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void loadStuck(false);
    });
    $('stuck-more').addEventListener('click', () => void loadStuck(true));
    $('action-form').addEventListener('submit', confirmAction);
    $('action-cancel').addEventListener('click', () => $('action-dialog').close());
    applyI18n();
    show();
  }

  wire();
})();
