// Sign-in with e-mail and password (POST /v1/auth/token → 15-minute JWT). Shown in place of any
// page when signed out, so a task link lands on its task right after signing in.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { saveSession, type Role } from '../session';

export function SignIn({ next }: { next: string }) {
  const { t, locale, setLocale } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    const { data, error: err } = await api.POST('/v1/auth/token', { body: { email: String(f.get('email')), password: String(f.get('password')) } });
    setBusy(false);
    if (err || !data) return setError(t('signIn.failed'));
    const body = data as { token: string; expiresAt: string; principal: { id: string; role: Role; name: string } };
    saveSession({ token: body.token, expiresAt: body.expiresAt, principal: body.principal });
  }
  return (
    <main class="signin">
      <h1>{t('brand')}</h1>
      <form id="signin-form" onSubmit={submit} class="card">
        <h2>{t('signIn.title')}</h2>
        {next !== '/app/' && next !== '/app' ? <p class="hint">{t('signIn.forTask')}</p> : null}
        <label>
          {t('signIn.email')}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error ? (
          <p class="refused" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <button type="button" class="link" id="locale-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {t('switchLocale')}
        </button>
      </form>
    </main>
  );
}
