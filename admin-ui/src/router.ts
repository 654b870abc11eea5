import { useEffect, useState } from 'preact/hooks';

/** Client routes live under /admin/…; the server answers index.html for all of them. */
export const BASE = '/admin';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify(): void {
  for (const l of [...listeners]) l();
}

window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = to.startsWith(BASE) ? to : BASE + to;
  if (url === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
}

export interface Location {
  /** The path below /admin, always starting with "/" ("/" for the overview). */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  let p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  if (!p.startsWith('/')) p = '/' + p;
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return { path: p, query: new URLSearchParams(location.search) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const l = () => setLoc(current());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return loc;
}

/** Replaces the query of the current page (filters, paging) without a new history entry per keystroke. */
export function setQuery(values: Record<string, string | number | undefined>, opts: { replace?: boolean } = {}): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ''), opts);
}

/** Makes a plain <a href> navigate inside the app (keeps open-in-new-tab and modifier clicks). */
export function linkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || a.target) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith(BASE)) return;
  e.preventDefault();
  navigate(href);
}
