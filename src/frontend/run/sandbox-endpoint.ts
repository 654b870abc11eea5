/**
 * The frontend's side of the hop to one sandbox host: its address, and the shared secret
 * (SANDBOX_TOKEN) every request presents. The secret travels only in this header.
 */
export class SandboxEndpoint {
  readonly url: string;

  constructor(url: string, private readonly token: string) {
    this.url = url.replace(/\/$/, '');
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    return fetch(`${this.url}${path}`, { ...init, headers });
  }
}

/** SANDBOX_URL: one sandbox host or several, comma-separated. */
export function sandboxUrls(value: string): string[] {
  return value.split(',').map((u) => u.trim()).filter((u) => u !== '');
}

/** The start-up check of SANDBOX_URL: every entry an http(s) URL, none twice. */
export function checkSandboxUrls(value: string): void {
  const urls = sandboxUrls(value);
  if (urls.length === 0) throw new Error('name at least one sandbox host');
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new Error(`"${u}" is not a URL`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new Error(`"${u}": only http and https are spoken`);
  }
  const seen = new Set(urls.map((u) => u.replace(/\/$/, '')));
  if (seen.size !== urls.length) throw new Error('a sandbox host is named twice');
}
