import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, setUnauthorizedHandler, storedToken, storeToken, whoIs } from './api';
import { BASE, linkClick, navigate, useLocation } from './router';
import { SessionContext, useSession, type Session } from './session';
import type { Me } from './types';
import { ErrorBox, Loading, ViewerBanner } from './components/common';
import { useId, useLoad } from './hooks';
import { loadVocabulary, VocabularyContext } from './vocabulary';
import { OverviewPage } from './pages/overview';
import { FlagsPage } from './pages/flags';
import { DiffsPage } from './pages/diffs';
import { DiffDetailPage } from './pages/diff-detail';
import { ReleasePage } from './pages/release';
import { AuditPage } from './pages/audit';
import { RulesPage } from './pages/rules';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/flags', label: 'Flags' },
  { path: '/diffs', label: 'Diffs' },
  { path: '/release-day', label: 'Release day' },
  { path: '/audit', label: 'Audit log' },
  { path: '/rules', label: 'Rules' },
];

function sessionOf(me: Me): Session {
  const canChange = me.role === 'release-manager';
  return { me, canChange, why: canChange ? '' : `${me.name} is signed in as a viewer; only a release manager can change anything.` };
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => storedToken() !== null);
  const [signInError, setSignInError] = useState<unknown>(null);

  useEffect(() => {
    setUnauthorizedHandler((message) => {
      storeToken(null);
      setMe(null);
      setSignInError(new ApiError(`The server no longer accepts this token (${message}). Sign in again.`, 401));
    });
    const token = storedToken();
    if (token) {
      whoIs(token)
        .then(setMe, (e: unknown) => {
          if (e instanceof ApiError && e.status === 401) storeToken(null);
          setSignInError(e);
        })
        .finally(() => setChecking(false));
    }
    return () => setUnauthorizedHandler(null);
  }, []);

  if (checking) return <p class="loading" role="status">Checking your sign-in…</p>;
  if (!me) {
    return <SignIn error={signInError} onSignedIn={(m) => { setSignInError(null); setMe(m); }} />;
  }
  return (
    <SessionContext.Provider value={sessionOf(me)}>
      <Shell onSignOut={() => { storeToken(null); setMe(null); }} />
    </SessionContext.Provider>
  );
}

function SignIn({ error, onSignedIn }: { error: unknown; onSignedIn: (me: Me) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(error);
  const id = useId('token');
  useEffect(() => setErr(error), [error]);
  useEffect(() => { document.title = 'Sign in · Playground migration admin'; }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setErr(new Error('Enter an admin token.'));
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const who = await whoIs(t);
      storeToken(t);
      onSignedIn(who);
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin" id="main">
      <form noValidate class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Playground migration admin</h1>
        <p>Sign in with an admin token. It is kept only in this browser tab (session storage) and sent as an <code>Authorization: Bearer</code> header.</p>
        <div class="field">
          <label for={id}>Admin token</label>
          <input id={id} name="token" type="password" autoComplete="off" spellcheck={false} value={token}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} required autoFocus />
        </div>
        <ErrorBox error={err} title="Sign-in failed:" />
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

function NavLink({ path, label, active, onNavigate }: { path: string; label: string; active: boolean; onNavigate: () => void }) {
  return (
    <li>
      <a href={BASE + (path === '/' ? '/' : path)} aria-current={active ? 'page' : undefined}
        onClick={(e) => { linkClick(e as unknown as MouseEvent); onNavigate(); }}>
        {label}
      </a>
    </li>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const loc = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const s = useSession();
  const section = '/' + (loc.path.split('/')[1] ?? '');
  const first = useRef(true);
  const vocabulary = useLoad(loadVocabulary, 'vocabulary');

  // After moving to another page, start at its top with the focus on its heading, so keyboard
  // and screen-reader users land where sighted users look (not on the first load).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const h1 = document.querySelector<HTMLElement>('#main h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus();
    }
  }, [loc.path]);

  let page: ComponentChildren;
  const detail = /^\/diffs\/(\d+)$/.exec(loc.path);
  if (loc.path === '/') page = <OverviewPage />;
  else if (loc.path === '/flags') page = <FlagsPage />;
  else if (loc.path === '/diffs') page = <DiffsPage />;
  else if (detail) page = <DiffDetailPage id={Number(detail[1])} />;
  else if (loc.path === '/release-day') page = <ReleasePage />;
  else if (loc.path === '/audit') page = <AuditPage />;
  else if (loc.path === '/rules') page = <RulesPage />;
  else page = <NotFound path={loc.path} />;

  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">▶</span>
          <span>Playground migration</span>
        </div>
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <nav id="nav" class={menuOpen ? 'nav open' : 'nav'} aria-label="Admin pages">
          <ul>
            {NAV.map((n) => (
              <NavLink key={n.path} path={n.path} label={n.label} active={section === n.path} onNavigate={() => setMenuOpen(false)} />
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="who-name" title={`signed in as ${s.me.name}`}>{s.me.name}</span>
          <span class={`tag ${s.canChange ? 'tag-rm' : 'tag-viewer'}`}>{s.me.role}</span>
          <button type="button" class="link-button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <ViewerBanner />
      <main id="main" class="content" tabIndex={-1} key={loc.path}>
        <ErrorBox error={vocabulary.error} title="Could not load the server's vocabulary:" />
        {vocabulary.data
          ? <VocabularyContext.Provider value={vocabulary.data}>{page}</VocabularyContext.Provider>
          : !vocabulary.error && <Loading what="the admin vocabulary" />}
      </main>
    </div>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no admin page at <code>{BASE + path}</code>.</p>
      <p><button type="button" onClick={() => navigate('/')}>Go to the overview</button></p>
    </section>
  );
}
