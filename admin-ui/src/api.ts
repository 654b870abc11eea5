// The one way the UI talks to the server: /admin/api with the signed-in token as a Bearer
// header. Every failure becomes an ApiError with the server's own words, for the page to show.

const TOKEN_KEY = 'playground-admin-token';
export const API = '/admin/api';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Extra lines the server sent (e.g. what release day is missing). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the server says the token is no good (401), so the app can ask again. */
let onUnauthorized: ((message: string) => void) | null = null;
export function setUnauthorizedHandler(f: ((message: string) => void) | null): void {
  onUnauthorized = f;
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method: string, path: string, opts: { query?: Query; body?: unknown; token?: string | null } = {}): Promise<Response> {
  const token = opts.token === undefined ? storedToken() : opts.token;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(API + path, opts.query), { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(`could not reach the server: ${(e as Error).message}`, 0);
  }
  if (!res.ok) throw await errorOf(res, method, path, opts.token === undefined);
  return res;
}

async function errorOf(res: Response, method: string, path: string, signedIn: boolean): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let message = text.trim() || res.statusText || 'no message';
  let details: string[] = [];
  try {
    const j = JSON.parse(text) as { message?: unknown; missing?: unknown; error?: unknown };
    if (Array.isArray(j.message)) message = j.message.map(String).join('; ');
    else if (typeof j.message === 'string') message = j.message;
    else if (typeof j.error === 'string') message = j.error;
    if (Array.isArray(j.missing)) details = j.missing.map(String);
  } catch {
    // not JSON: the text itself is the message
  }
  const err = new ApiError(`${method} ${path} failed (${res.status}): ${message}`, res.status, details);
  if (res.status === 401 && signedIn && onUnauthorized) onUnauthorized(message);
  return err;
}

export async function get<T>(path: string, query?: Query): Promise<T> {
  return (await send('GET', path, { query })).json() as Promise<T>;
}

export async function change<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<T> {
  return (await send(method, path, { body })).json() as Promise<T>;
}

/** Checks a token before keeping it. */
export async function whoIs(token: string): Promise<import('./types').Me> {
  return (await send('GET', '/me', { token })).json() as Promise<import('./types').Me>;
}

/**
 * Downloads a response as a file. A plain link cannot carry the Authorization header, so the
 * file is fetched here and handed to the browser as a blob.
 */
export async function download(path: string, query: Query, fallbackName: string): Promise<string> {
  const res = await send('GET', path, { query });
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(cd)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
