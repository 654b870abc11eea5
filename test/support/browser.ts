import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page, Route } from 'playwright-core';
import { projectRoot } from '../../src/platform/paths';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  /** A new page in a context of its own: no cookies, storage or history shared with others. */
  page(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(url: URL): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return false;
  const host = url.hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

// Tests must only ever talk to servers on this machine: anything else is aborted before it
// leaves the browser, and the resolver rule below catches what routing cannot see.
async function confineToLoopback(context: BrowserContext): Promise<void> {
  await context.route(
    (url) => !isLoopback(url),
    (route: Route) => route.abort('blockedbyclient'),
  );
}

/**
 * Launches the Debian Chromium headless with a profile directory made fresh for this run and
 * removed by close(). Playwright refuses a --user-data-dir argument to launch(); a persistent
 * context is its way of taking our own directory, and its browser() still opens ordinary
 * isolated contexts, which page() uses.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-chromium-'));
  let persistent: BrowserContext | undefined;
  const contexts: BrowserContext[] = [];
  const removeProfile = (): void => {
    process.removeListener('exit', removeProfile);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  // A test run that dies before close() still leaves no profile behind.
  process.once('exit', removeProfile);

  try {
    persistent = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true, // Playwright adds --headless itself
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-proxy-server',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.*, EXCLUDE [::1]',
      ],
      viewport: { width: 1280, height: 800 },
    });
    await confineToLoopback(persistent);
    const browser = persistent.browser();
    if (!browser) throw new Error('Chromium started without a browser handle');

    const launched: LaunchedBrowser = {
      browser,
      async page(options: BrowserContextOptions = {}): Promise<Page> {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
        contexts.push(context);
        await confineToLoopback(context);
        return context.newPage();
      },
      async close(): Promise<void> {
        try {
          for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
          await persistent?.close();
        } finally {
          removeProfile();
        }
      },
    };
    return launched;
  } catch (e) {
    await persistent?.close().catch(() => undefined);
    removeProfile();
    throw e;
  }
}

/** Saves a full-page PNG to test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(projectRoot(), 'test-artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until the locator matches exactly `expected` elements. A count read once races the
 * page: after a filter is applied the old rows stay until the new answer has rendered.
 */
export async function waitForCount(locator: Locator, expected: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== expected) {
    if (Date.now() > deadline) throw new Error(`expected ${expected} matches of ${locator}, still ${seen} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await locator.count();
  }
}
