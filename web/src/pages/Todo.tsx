// 待办: what waits for the caller's institution, refreshed every few seconds (GET /v1/inbox), each
// with a live countdown to its business-day deadline. Pool requests can be grabbed right here.
import { useEffect, useState } from 'preact/hooks';
import { api, newKey, problemCode } from '../api/client';
import { Countdown } from '../countdown';
import { dateTime, useI18n, wan, type MessageKey } from '../i18n';
import type { BankInbox, GuarantorInbox, InboxItem } from '../inbox';

/** Pool slots and deadlines move while the page is open: poll this often. */
export const POLL_MS = 3000;

function usePolled<T>(load: () => Promise<T | undefined>, ms: number): { data: T | undefined; at: number; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; at: number }>({ data: undefined, at: 0 });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    const run = () =>
      void load().then((data) => {
        if (alive && data) setState({ data, at: Date.now() });
      });
    run();
    const id = setInterval(run, ms);
    return () => {
      alive = false;
      clearInterval(id);
    };
  }, [tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

function Brief({ item }: { item: InboxItem }) {
  const { t, tr } = useI18n();
  return (
    <div class="brief">
      <a class="title" href={`/app/requests/${item.id}`} data-request-id={item.id}>
        {item.enterpriseName ?? item.id.slice(0, 8)}
      </a>
      <span>
        {wan(item.amountFen)} {t('wan')} · {item.termMonths} {t('months')} · {tr(`method.${item.guaranteeMethod}`)}
      </span>
      <span class="purpose">{item.purpose}</span>
    </div>
  );
}

function Section({ id, title, items, render }: { id: string; title: MessageKey; items: InboxItem[]; render: (i: InboxItem) => preact.ComponentChildren }) {
  const { t } = useI18n();
  return (
    <section class="todo-section" id={id}>
      <h2>
        {t(title)} <span class="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p class="empty">{t('none')}</p>
      ) : (
        <ul class="items">
          {items.map((i) => (
            <li key={`${i.id}:${i.bankId ?? ''}`} data-request-id={i.id}>
              {render(i)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export interface Notice {
  id: string;
  name: string;
  ok: boolean;
  text: string;
}

/** Grab from the list; the outcome goes to the page's notices (the item itself leaves the pool list on the next refresh). */
function GrabButton({ item, onResult }: { item: InboxItem; onResult: (n: Notice) => void }) {
  const { t, tr } = useI18n();
  const [key] = useState(newKey);
  const [busy, setBusy] = useState(false);
  async function grab() {
    setBusy(true);
    const { error } = await api.POST('/v1/financing-requests/{id}/grab', { params: { path: { id: item.id }, header: { 'Idempotency-Key': key } }, body: {} });
    setBusy(false);
    const name = item.enterpriseName ?? item.id.slice(0, 8);
    onResult(error ? { id: item.id, name, ok: false, text: tr(`refused.${problemCode(error)}`) } : { id: item.id, name, ok: true, text: t('success') });
  }
  return (
    <button type="button" class="grab" disabled={busy} onClick={grab}>
      {t('action.grab')}
    </button>
  );
}

function Notices({ notices }: { notices: Notice[] }) {
  const { t } = useI18n();
  return (
    <ul class="notices" id="notices">
      {notices.map((n) => (
        <li key={n.id} data-request-id={n.id} class={n.ok ? 'ok' : 'refused'} role="status">
          {n.name}：{n.text} {n.ok ? <a href={`/app/requests/${n.id}`}>{t('open')}</a> : null}
        </li>
      ))}
    </ul>
  );
}

function BankTodo({ inbox, reload }: { inbox: BankInbox; reload: () => void }) {
  const { t, locale } = useI18n();
  const [notices, setNotices] = useState<Notice[]>([]);
  const onResult = (n: Notice) => {
    setNotices((all) => [n, ...all.filter((x) => x.id !== n.id)]);
    reload();
  };
  const by = (...statuses: string[]) => inbox.claims.filter((c) => statuses.includes(c.claim!.status));
  const deadline = (i: InboxItem) => (
    <span class="due">
      {t('deadline')} <Countdown to={i.claim?.deadlineAt} />
    </span>
  );
  return (
    <>
      <Notices notices={notices} />
      <Section id="directed" title="todo.directed" items={inbox.directed} render={(i) => [<Brief item={i} />, deadline(i)]} />
      <Section
        id="pool"
        title="todo.pool"
        items={inbox.pool}
        render={(i) => [
          <Brief item={i} />,
          <span class="due">
            {t('slotsLeft')} <b class="slots">{i.slotsLeft}</b> · {t('poolCloses')} <Countdown to={i.poolClosesAt} />
          </span>,
          <GrabButton item={i} onResult={onResult} />,
        ]}
      />
      <Section id="review" title="todo.review" items={by('accepted', 'under_review')} render={(i) => [<Brief item={i} />, deadline(i)]} />
      <Section id="approved" title="todo.approved" items={by('approved')} render={(i) => [<Brief item={i} />, deadline(i)]} />
      <Section id="guarantee" title="todo.guarantee" items={by('guarantee_pending')} render={(i) => [<Brief item={i} />, deadline(i)]} />
      <p class="updated">
        {t('todo.updated')} {dateTime(new Date().toISOString(), locale)}
      </p>
    </>
  );
}

function GuarantorTodo({ inbox }: { inbox: GuarantorInbox }) {
  const { t } = useI18n();
  return (
    <Section
      id="guarantees"
      title="todo.guarantees"
      items={inbox.guarantees}
      render={(i) => [
        <Brief item={i} />,
        <span class="due">
          {t('deadline')} <Countdown to={i.guarantee?.deadlineAt} />
        </span>,
      ]}
    />
  );
}

export function Todo() {
  const { t } = useI18n();
  const { data, reload } = usePolled(async () => (await api.GET('/v1/inbox')).data as BankInbox | GuarantorInbox | undefined, POLL_MS);
  return (
    <div class="todo">
      <h1>
        {t('todo.title')}{' '}
        <button type="button" class="link" onClick={reload}>
          {t('refresh')}
        </button>
      </h1>
      {!data ? <p>{t('loading')}</p> : data.role === 'bank' ? <BankTodo inbox={data} reload={reload} /> : <GuarantorTodo inbox={data} />}
    </div>
  );
}
