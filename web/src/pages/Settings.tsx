// The institution's notification preferences (channels, quiet hours, pool digest window, language)
// and its webhook endpoint, through the same API an integrator uses.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ActionForm } from '../actions';
import { useI18n } from '../i18n';
import type { components } from '../api/schema';

type Me = components['schemas']['Principal'];
type Prefs = {
  channels?: { sms?: boolean; email?: boolean; webhook?: boolean };
  quietHours?: { startHour: number; endHour: number } | null;
  poolBatchWindowMinutes?: number;
};

export function SettingsPage() {
  const { t } = useI18n();
  const [me, setMe] = useState<Me>();
  const [prefs, setPrefs] = useState<Prefs>();
  const [endpoint, setEndpoint] = useState<string | null>();
  const [secret, setSecret] = useState<string>();
  const [tick, setTick] = useState(0);
  const recipient =
    me &&
    (me.role === 'bank'
      ? { recipientType: 'bank' as const, recipientId: me.bankId! }
      : { recipientType: 'guaranteeInstitution' as const, recipientId: me.guaranteeInstitutionId! });
  useEffect(() => void api.GET('/v1/me').then(({ data }) => data && setMe(data as Me)), []);
  useEffect(() => {
    if (!recipient) return;
    void api
      .GET('/v1/notification-preferences/{recipientType}/{recipientId}', { params: { path: recipient } })
      .then(({ data }) => setPrefs(((data as { preferences?: Prefs | null } | undefined)?.preferences ?? {}) as Prefs));
    void api
      .GET('/v1/webhook-endpoints', { params: { query: recipient } })
      .then(({ data }) => setEndpoint(((data as { items?: { url: string }[] } | undefined)?.items ?? [])[0]?.url ?? null));
  }, [me?.id, tick]);
  if (!recipient || !prefs) return <p>{t('loading')}</p>;
  const channel = (c: 'sms' | 'email' | 'webhook') => prefs.channels?.[c] !== false;
  return (
    <div id="settings">
      <h1>{t('nav.settings')}</h1>
      <ActionForm
        id="preferences-form"
        label="settings.save"
        onDone={() => setTick((n) => n + 1)}
        run={(key, f) =>
          api.PUT('/v1/notification-preferences/{recipientType}/{recipientId}', {
            params: { path: recipient, header: { 'Idempotency-Key': key } },
            body: {
              channels: { sms: f.get('sms') === 'on', email: f.get('email') === 'on', webhook: f.get('webhook') === 'on' },
              quietHours: f.get('quiet') === 'on' ? { startHour: 22, endHour: 8 } : null,
              poolBatchWindowMinutes: Number(f.get('batch') ?? 0),
            },
          })
        }
      >
        <h2>{t('settings.notifications')}</h2>
        {(['sms', 'email', 'webhook'] as const).map((c) => (
          <label class="check">
            <input type="checkbox" name={c} checked={channel(c)} /> {t(`settings.${c}`)}
          </label>
        ))}
        <label class="check">
          <input type="checkbox" name="quiet" checked={prefs.quietHours !== null} /> {t('settings.quietHours')}
        </label>
        <label>
          {t('settings.batch')}
          <input name="batch" type="number" min="0" max="240" value={prefs.poolBatchWindowMinutes ?? 0} />
        </label>
      </ActionForm>
      <ActionForm
        id="webhook-form"
        label="settings.webhookSave"
        onDone={() => setTick((n) => n + 1)}
        run={async (key, f) => {
          const r = await api.POST('/v1/webhook-endpoints', {
            params: { header: { 'Idempotency-Key': key } },
            body: { ...recipient, url: String(f.get('url')) },
          });
          if (r.data) setSecret((r.data as { secret: string }).secret);
          return r;
        }}
      >
        <h2>{t('settings.webhook')}</h2>
        <p class="muted" id="webhook-url">
          {endpoint ?? t('none')}
        </p>
        <label>
          URL
          <input name="url" type="url" required placeholder="https://hooks.example-bank.cn/loanbridge" />
        </label>
        {secret ? (
          <p class="ok">
            {t('settings.secret')}: <code>{secret}</code>
          </p>
        ) : null}
      </ActionForm>
    </div>
  );
}
