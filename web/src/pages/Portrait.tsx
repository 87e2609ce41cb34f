// The credit portrait of the request's enterprise, only under the enterprise's grant (the API
// refuses otherwise and audits every read): score, grade, default probability, the reasons in
// words, the risk section and the other sections the grant covers.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, problemCode } from '../api/client';
import { useI18n } from '../i18n';
import type { components } from '../api/schema';

type Portrait = components['schemas']['CreditPortrait'];
interface Reason {
  code: string;
  zh: string;
  en: string;
  pointsLost: number;
}

export function PortraitPage() {
  const { params } = useRoute();
  const { t, tr, locale } = useI18n();
  const [p, setP] = useState<Portrait>();
  const [refused, setRefused] = useState<string>();
  useEffect(() => {
    void (async () => {
      const r = await api.GET('/v1/financing-requests/{id}', { params: { path: { id: params.id! } } });
      // A request published a moment ago may answer its workflow's partial view, without the enterprise yet.
      if (!r.data || !('enterpriseId' in r.data)) return setRefused(tr('refused.not-found'));
      const { data, error } = await api.GET('/v1/enterprises/{enterpriseId}/portrait', { params: { path: { enterpriseId: r.data.enterpriseId }, query: {} } });
      if (error) return setRefused(tr(`refused.${problemCode(error) === 'forbidden' ? 'no-grant' : problemCode(error)}`));
      setP(data as Portrait);
    })();
  }, [params.id]);
  const back = (
    <a href={`/app/requests/${params.id}`} class="back" id="back-to-request">
      ← {t('request.title')}
    </a>
  );
  if (refused)
    return (
      <div>
        {back}
        <p class="refused" role="alert">
          {refused}
        </p>
      </div>
    );
  if (!p) return <p>{t('loading')}</p>;
  const score = p.score as (Portrait['score'] & { reasons?: Reason[] }) | undefined;
  return (
    <div class="portrait" id="portrait">
      {back}
      <section class="card">
        <h1>{t('request.portrait')}</h1>
        <p class="muted">{t('portrait.audited')}</p>
        {score ? (
          <dl class="fields score">
            <div class="field">
              <dt>{t('portrait.score')}</dt>
              <dd id="portrait-score" class="big">
                {score.score}
              </dd>
            </div>
            <div class="field">
              <dt>{t('portrait.grade')}</dt>
              <dd class="big">{score.grade}</dd>
            </div>
            <div class="field">
              <dt>{t('portrait.pd')}</dt>
              <dd class="big">{(score.probabilityOfDefault * 100).toFixed(2)}%</dd>
            </div>
            <div class="field">
              <dt>{t('portrait.completeness')}</dt>
              <dd class="big">{Math.round(p.completeness * 100)}%</dd>
            </div>
          </dl>
        ) : null}
        {score?.reasons?.length ? (
          <>
            <h2>{t('portrait.reasons')}</h2>
            <ul class="reasons">
              {score.reasons.map((r) => (
                <li>
                  {locale === 'en' ? r.en : r.zh} <span class="muted">(−{r.pointsLost})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section class="card">
        <h2>{t('portrait.sections')}</h2>
        {Object.entries(p.sections).map(([name, data]) => (
          <details open={name === 'risk'}>
            <summary>{tr(`section.${name}`) === `section.${name}` ? name : tr(`section.${name}`)}</summary>
            <pre>{JSON.stringify(data, null, 2)}</pre>
          </details>
        ))}
      </section>
    </div>
  );
}
