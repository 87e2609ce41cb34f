// The bank's own service-time assessment and rank for the last 30 days (GET /v1/supervision/ranking/me):
// what the supervisor's ranking says about it, and the figures behind it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import type { components } from '../api/schema';

type Row = components['schemas']['RankingRow'];
const DAY = 86_400_000;
const h = (x: number | null | undefined) => (x == null ? '—' : x.toFixed(1));
const pct = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)}%`);

export function RankingPage() {
  const { t } = useI18n();
  const [data, setData] = useState<{ rankedBanks: number; row: Row | null; periodStart: string; periodEnd: string }>();
  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * DAY);
    void api
      .GET('/v1/supervision/ranking/me', { params: { query: { from: from.toISOString(), to: to.toISOString() } } })
      .then(({ data: d }) => d && setData(d as never));
  }, []);
  if (!data) return <p>{t('loading')}</p>;
  const r = data.row;
  const f = r?.figures;
  return (
    <div id="ranking">
      <h1>{t('nav.ranking')}</h1>
      <section class="card">
        <dl class="fields score">
          <div class="field">
            <dt>{t('ranking.rank')}</dt>
            <dd class="big" id="my-rank">
              {r?.rank ?? '—'} / {data.rankedBanks}
            </dd>
          </div>
          <div class="field">
            <dt>{t('ranking.score')}</dt>
            <dd class="big">{r?.score == null ? '—' : r.score.toFixed(1)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.acceptHours')}</dt>
            <dd>{h(f?.acceptHours.median)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.decideHours')}</dt>
            <dd>{h(f?.decideHours.median)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.disburseHours')}</dt>
            <dd>{h(f?.disburseHours.median)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.missed')}</dt>
            <dd>{pct(f?.missedShare)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.grabWinRate')}</dt>
            <dd>{pct(f?.grabWinRate)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.approvalRate')}</dt>
            <dd>{pct(f?.approvalRate)}</dd>
          </div>
          <div class="field">
            <dt>{t('ranking.loans')}</dt>
            <dd>{f?.loans.count ?? 0}</dd>
          </div>
        </dl>
        <p class="muted">
          {data.periodStart.slice(0, 10)} – {data.periodEnd.slice(0, 10)}
        </p>
      </section>
    </div>
  );
}
