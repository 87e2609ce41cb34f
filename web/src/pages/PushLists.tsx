// The bank's precise-push inbox (精准推送): lists of policy-supported enterprises supervisors pushed
// to it, and per enterprise what the bank did (viewed, contacted, declined, request).
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../api/client';
import { ActionForm } from '../actions';
import { dateTime, useI18n } from '../i18n';
import type { components } from '../api/schema';

type PushList = components['schemas']['PushList'];
interface InboxRow {
  id: string;
  name: string;
  pushedAt: string;
  entryCount: number;
  acted: number;
}
const ACTIONS = ['viewed', 'contacted', 'declined', 'request'] as const;

export function PushInboxPage() {
  const { t, locale } = useI18n();
  const [rows, setRows] = useState<InboxRow[]>();
  useEffect(
    () => void api.GET('/v1/push-lists/inbox').then(({ data }) => setRows(((data as { items?: InboxRow[] } | undefined)?.items ?? []) as InboxRow[])),
    [],
  );
  if (!rows) return <p>{t('loading')}</p>;
  return (
    <div id="push-inbox">
      <h1>{t('nav.pushLists')}</h1>
      {rows.length === 0 ? <p class="empty">{t('none')}</p> : null}
      <ul class="items">
        {rows.map((r) => (
          <li key={r.id} class="card" data-push-list={r.id}>
            <a href={`/app/push-lists/${r.id}`}>{r.name}</a>{' '}
            <span class="muted">
              {dateTime(r.pushedAt, locale)} · {r.acted}/{r.entryCount}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PushListPage() {
  const { params } = useRoute();
  const { t, tr } = useI18n();
  const [list, setList] = useState<PushList>();
  const [tick, setTick] = useState(0);
  useEffect(
    () => void api.GET('/v1/push-lists/{id}', { params: { path: { id: params.id! }, query: {} } }).then(({ data }) => data && setList(data as PushList)),
    [params.id, tick],
  );
  if (!list) return <p>{t('loading')}</p>;
  const mine = list.targets[0]?.actions ?? {};
  return (
    <div id="push-list">
      <a href="/app/push-lists" class="back">
        ← {t('nav.pushLists')}
      </a>
      <h1>{list.name}</h1>
      <ul class="items">
        {list.entries.map((e) => (
          <li key={e.enterpriseId} class="card" data-enterprise-id={e.enterpriseId}>
            <b>{e.name}</b> <span class="muted">{e.creditCode}</span>{' '}
            {mine[e.enterpriseId] ? <span class="ok">{tr(`push.${mine[e.enterpriseId]!.action}`)}</span> : null}
            <ActionForm
              id={`push-action-${e.enterpriseId}`}
              label="push.record"
              onDone={() => setTick((n) => n + 1)}
              run={(key, f) =>
                api.POST('/v1/push-lists/{id}/actions', {
                  params: { path: { id: list.id }, header: { 'Idempotency-Key': key } },
                  body: { enterpriseId: e.enterpriseId, action: f.get('action') as (typeof ACTIONS)[number] },
                })
              }
            >
              <select name="action">
                {ACTIONS.map((a) => (
                  <option value={a}>{tr(`push.${a}`)}</option>
                ))}
              </select>
            </ActionForm>
          </li>
        ))}
      </ul>
    </div>
  );
}
