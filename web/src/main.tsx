// The workbench: one web app for every role. Banks and guarantee institutions work here now; the
// enterprise portal and the supervisor pages join by adding routes and nav entries to routes.tsx.
// The shell: i18n (Chinese default), session (sign-in with e-mail and password), layout, routing.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LocationProvider, Router, Route, useLocation } from 'preact-iso';
import { I18nContext, makeI18n, saveLocale, savedLocale, useI18n, type Locale } from './i18n';
import { currentSession, onSessionChange, saveSession, type Session } from './session';
import { ROUTES, navFor } from './routes';
import { SignIn } from './pages/SignIn';

function useSession(): Session | undefined {
  const [s, setS] = useState(currentSession());
  useEffect(() => onSessionChange(() => setS(currentSession())), []);
  // Expiry signs out even without a 401 (the token dies after 15 minutes).
  useEffect(() => {
    if (!s) return;
    const t = setTimeout(() => saveSession(undefined), Math.max(0, Date.parse(s.expiresAt) - Date.now()));
    return () => clearTimeout(t);
  }, [s]);
  return s;
}

function Header({ session }: { session: Session }) {
  const { t, locale, setLocale } = useI18n();
  const { path } = useLocation();
  return (
    <header class="top">
      <a class="brand" href="/app/">
        {t('brand')}
      </a>
      <nav>
        {navFor(session.principal.role).map((n) => (
          <a key={n.path} href={n.path} class={path === n.path ? 'active' : ''}>
            {t(n.label)}
          </a>
        ))}
      </nav>
      <span class="who" data-testid="who">
        {session.principal.name}
      </span>
      <button type="button" class="link" id="locale-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {t('switchLocale')}
      </button>
      <button type="button" class="link" id="sign-out" onClick={() => saveSession(undefined)}>
        {t('signOut')}
      </button>
    </header>
  );
}

function NotFound() {
  const { t } = useI18n();
  return <p class="empty">{t('notFound')}</p>;
}

function Shell() {
  const session = useSession();
  const { url } = useLocation();
  if (!session) return <SignIn next={url} />;
  const role = session.principal.role;
  return (
    <>
      <Header session={session} />
      <main>
        <Router>
          {[
            ...ROUTES.filter((r) => r.roles.includes(role)).map((r) => <Route key={r.path} path={r.path} component={r.component} />),
            <Route key="404" default component={NotFound} />,
          ]}
        </Router>
      </main>
    </>
  );
}

function App() {
  const [locale, setLocaleState] = useState<Locale>(savedLocale());
  const i18n = useMemo(
    () =>
      makeI18n(locale, (l) => {
        saveLocale(l);
        setLocaleState(l);
      }),
    [locale],
  );
  useEffect(() => saveLocale(locale), [locale]);
  return (
    <I18nContext.Provider value={i18n}>
      <LocationProvider scope="/app">
        <Shell />
      </LocationProvider>
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
