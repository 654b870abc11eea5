// SANDBOX_URL's parsing: in the settings table, which both processes validate, and the frontend's
// list of sandbox hosts.

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
