// The admin UI (/admin) in a real headless Chromium against the real stack (frontend, SQLite,
// gVisor sandbox and the labelled NaCl emulation): what a release manager does in a browser,
// checked through what the pages show, plus a viewer who can look but not touch.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { launchBrowser, screenshot, waitForCount, type LaunchedBrowser } from '../support/browser';
import { projectRoot } from '../../src/platform/paths';
import { DIFF_CLASSES } from '../../src/frontend/dualrun/diff-class';

const SIZEOF = 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n\t"unsafe"\n)\n\nfunc main() {\n\tfmt.Println(unsafe.Sizeof(0), runtime.GOARCH)\n}\n';
const TICKER = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n)\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println("tick", i)\n\t\ttime.Sleep(250 * time.Millisecond)\n\t}\n\tfmt.Fprintln(os.Stderr, "done")\n}\n';
// The first builds in a fresh stack fill the build cache; dual runs wait behind the answers.
const SLOW = 90_000;

let stack: Stack;
let browser: LaunchedBrowser;
let page: Page;
let sizeofRunId = 0;

beforeAll(async () => {
  if (!fs.existsSync(path.join(projectRoot(), 'admin-ui', 'dist', 'index.html'))) {
    throw new Error('admin-ui/dist is missing: run bash scripts/setup.sh (npm test does) or npx vite build admin-ui');
  }
  stack = await startStack({ env: { SHADOW_QUEUE_SIZE: '50', RATE_LIMIT_PER_MINUTE: '0', READINESS_MIN_RUNS: '300' } });
  browser = await launchBrowser();
  page = await browser.page();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 120_000);

async function compile(source: string, backendHeader?: string): Promise<{ status: number; backend: string | null; body: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (backendHeader) headers['X-Playground-Backend'] = backendHeader;
  const res = await fetch(`${stack.frontendUrl}/compile`, { method: 'POST', headers, body: new URLSearchParams({ version: '2', body: source }) });
  return { status: res.status, backend: res.headers.get('x-playground-backend'), body: await res.text() };
}

async function adminGet<T>(path: string, token = stack.tokens.releaseManager): Promise<T> {
  const res = await fetch(`${stack.frontendUrl}/admin/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits until `n` dual runs of this exact program are stored, and returns the id of the first. */
async function waitForDualRun(hashOf: string, n = 1): Promise<number> {
  const { createHash } = await import('crypto');
  const hash = createHash('sha256').update(hashOf).digest('hex');
  const until = Date.now() + SLOW;
  for (;;) {
    const runs = await adminGet<{ items: Array<{ id: number; programHash: string }> }>('/dual-runs?pageSize=100');
    const found = runs.items.filter((r) => r.programHash === hash);
    if (found.length >= n) return found[found.length - 1].id;
    if (Date.now() > until) throw new Error(`${n} dual run(s) did not appear for the program within ${SLOW / 1000} s; stored: ${JSON.stringify(runs.items)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function signIn(p: Page, token: string): Promise<void> {
  await p.goto(`${stack.frontendUrl}/admin/`);
  await p.getByLabel('Admin token').fill(token);
  await p.getByLabel('Admin token').press('Enter');
  await p.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

async function go(p: Page, name: string, heading = name): Promise<void> {
  const nav = p.getByRole('navigation', { name: 'Admin pages' });
  if (!(await nav.isVisible())) await p.getByRole('button', { name: 'Menu' }).click();
  await nav.getByRole('link', { name, exact: true }).click();
  await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

async function textOf(l: Locator): Promise<string> {
  return (await l.innerText()).replace(/\s+/g, ' ');
}

describe('admin UI', () => {
  it('is served under /admin with client routes falling back to index.html, never shadowing /admin/api', async () => {
    const get = (path: string, token?: string) =>
      fetch(`${stack.frontendUrl}${path}`, { redirect: 'manual', headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const root = await get('/admin');
    expect(root.status).toBe(301);
    expect(root.headers.get('location')).toBe('/admin/');
    for (const path of ['/admin/', '/admin/flags', '/admin/diffs/12', '/admin/release-day']) {
      const res = await get(path);
      expect(`${path} ${res.status} ${res.headers.get('content-type')}`).toMatch(/ 200 text\/html/);
      expect(await res.text()).toContain('<div id="app"></div>');
    }
    const html = await (await get('/admin/')).text();
    const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    expect((await get(asset!)).headers.get('content-type')).toContain('javascript');
    expect((await get('/admin/assets/missing.js')).status).toBe(404);
    // The API keeps its token check and its own JSON answers, known route or not.
    for (const path of ['/admin/api/state', '/admin/api/vocabulary', '/admin/api/no-such-route']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toContain('sign in');
    }
    const unknown = await get('/admin/api/no-such-route', stack.tokens.viewer);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect((await get('/admin/api/me', stack.tokens.viewer)).status).toBe(200);
    // The UI's words and limits come from the server, to a viewer too.
    const vocabulary = await get('/admin/api/vocabulary', stack.tokens.viewer);
    expect(vocabulary.status).toBe(200);
    const v = (await vocabulary.json()) as { stages: Array<{ name: string }>; diffClasses: Array<{ name: string; meaning: string }>; limits: unknown };
    expect(v.diffClasses.map((c) => c.name)).toEqual([...DIFF_CLASSES]);
    expect(v.stages.map((s) => s.name)).toContain('rolling out {rolloutPercent} % to linux-amd64');
    expect(v.limits).toEqual({ percent: { min: 0, max: 100, step: 0.01 }, reasonMaxLength: 2000 });
  });

  it('signs in with an admin token, refusing a wrong one with the server\'s message', async () => {
    await page.goto(`${stack.frontendUrl}/admin/`);
    // The first Tab reaches the skip link; the token field is labelled.
    await page.getByLabel('Admin token').fill('not-a-real-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown admin token' }).waitFor();

    await signIn(page, stack.tokens.releaseManager);
    const who = await textOf(page.locator('.who'));
    expect(who).toContain('alice');
    expect(who).toContain('release-manager');
    // A client route loaded directly (SPA fallback) keeps the session of this tab.
    await page.goto(`${stack.frontendUrl}/admin/flags`);
    await page.getByRole('heading', { name: 'Flags', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Skip to content');
  });

  it('changes the rollout with a reason after a preview, and the Audit log shows the row (and exports it)', async () => {
    await go(page, 'Flags');
    await page.getByLabel('Rollout to linux-amd64 (%)').fill('25');
    await page.getByRole('button', { name: 'Review change…' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give a reason' }).waitFor();

    await page.getByLabel('Reason (required, kept in the audit log)').fill('canary: first quarter of programs');
    await page.getByRole('button', { name: 'Review change…' }).click();
    const preview = page.getByRole('region', { name: 'Preview: what will change' });
    await preview.waitFor();
    const previewText = await textOf(preview);
    expect(previewText).toContain('Rollout to linux-amd64: 0 % → 25 %');
    expect(previewText).toContain('rolling out 25 % to linux-amd64');
    await screenshot(page, 'admin-flags');
    await preview.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Stage now: rolling out 25 % to linux-amd64' }).waitFor();
    expect((await adminGet<{ flags: { rolloutPercent: number } }>('/state')).flags.rolloutPercent).toBe(25);

    await go(page, 'Audit log');
    const row = page.locator('tr[data-audit]').filter({ hasText: 'canary: first quarter of programs' });
    await row.waitFor();
    const rowText = await textOf(row);
    expect(rowText).toContain('alice');
    expect(rowText).toContain('flags: rolloutBp');
    expect(rowText).toContain('rolloutPercent: 0 → 25');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('audit.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('id,at,actor,action,reason,before,after');
    expect(csv).toContain('"canary: first quarter of programs"');
  });

  it('collects a dual run (shadow 100 % set in the UI) and shows both sides in Diffs', async () => {
    await go(page, 'Flags');
    await page.getByLabel('Shadow: share of requests also run on the other backend (%)').fill('100');
    await page.getByLabel('Reason (required, kept in the audit log)').fill('collect evidence on every request');
    await page.getByRole('button', { name: 'Review change…' }).click();
    await page.getByRole('region', { name: 'Preview: what will change' }).getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Shadow (dual runs): 0 % → 100 %' }).waitFor();

    const answer = await compile(SIZEOF, 'linux-amd64');
    expect(answer.status).toBe(200);
    expect(answer.backend).toBe('linux-amd64');
    expect(answer.body).toContain('8 amd64');
    const ticker = await compile(TICKER, 'linux-amd64');
    expect(ticker.status).toBe(200);
    sizeofRunId = await waitForDualRun(SIZEOF);
    const tickerRunId = await waitForDualRun(TICKER);

    await go(page, 'Diffs');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.locator(`tr[data-run="${sizeofRunId}"]`);
    await row.waitFor();
    expect(await textOf(row)).toMatch(/linux-amd64 → nacl-emulated emulation/);
    // Filtering by class keeps the expected run and drops nothing else it should not.
    await page.getByLabel('Class').selectOption('expected');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/class=expected/);
    await page.locator(`tr[data-run="${tickerRunId}"]`).waitFor({ state: 'detached' });
    await row.waitFor();
    const classes = await page.locator('tr[data-run] .badge').allInnerTexts();
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['expected']));
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator(`tr[data-run="${tickerRunId}"]`).waitFor();
    await screenshot(page, 'admin-diffs');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Dual run #${sizeofRunId}`, level: 1 }).waitFor();
    const stdout = page.locator('section.stream[data-stream="stdout"]');
    const sides = stdout.locator('.side');
    expect(await textOf(sides.nth(0))).toMatch(/linux-amd64 primary.*8 amd64/);
    expect(await textOf(sides.nth(1))).toMatch(/nacl-emulated emulation shadow.*4 386/);
    expect(await textOf(page.locator('pre.diff'))).toContain('-8 amd64 +4 386');
    expect(await textOf(page.locator('.rules-matched'))).toContain('int-size');
    await waitForCount(page.locator('.timeline svg circle'), 2);

    await page.getByRole('button', { name: 'Replay now on both backends' }).click();
    const replay = page.getByTestId('replay-result');
    await replay.waitFor({ timeout: SLOW });
    const replayText = await textOf(replay);
    expect(replayText).toContain('8 amd64');
    expect(replayText).toContain('4 386');
    expect(replayText).toContain('same class as stored (expected)');
    await screenshot(page, 'admin-diff-detail');

    await page.goto(`${stack.frontendUrl}/admin/diffs/${tickerRunId}`);
    await page.getByRole('heading', { name: `Dual run #${tickerRunId}`, level: 1 }).waitFor();
    // Three ticks 250 ms apart and "done" on stderr: the timeline spans 750 ms of virtual time.
    await page.locator('.timeline svg circle').first().waitFor();
    await waitForCount(page.locator('.timeline svg circle'), 6);
    await waitForCount(page.locator('.timeline svg rect[transform]'), 2);
    expect(await textOf(page.locator('.timeline .chart-table'))).toContain('750 ms');
    await screenshot(page, 'admin-diff-timeline');
  });

  it('shows the overview with the stage, traffic, backends and dual-run classes (desktop and phone)', async () => {
    await page.goto(`${stack.frontendUrl}/admin/?hours=1`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByTestId('stage').filter({ hasText: 'rolling out 25 % to linux-amd64' }).waitFor();
    await page.getByTestId('traffic-split').filter({ hasText: 'linux-amd64' }).waitFor();
    expect(await textOf(page.getByTestId('class-split'))).toMatch(/expected \d/);
    const emulated = page.locator('li.backend[data-backend="nacl-emulated"]');
    expect(await textOf(emulated)).toContain('emulation');
    expect(await textOf(page.locator('li.backend[data-backend="linux-amd64"]'))).toContain('available');
    await waitForCount(page.locator('figure.chart svg[role="img"]'), 4);
    // Lost shadows (accepted, never recorded) are counted where the drops are.
    expect(await textOf(page.getByTestId('shadow-figures'))).toMatch(/Dropped \(queue full\) 0 .*Lost \(accepted, could not be run\) 0/);
    await screenshot(page, 'admin-overview');

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.waitFor();
      expect(await page.getByRole('navigation', { name: 'Admin pages' }).isVisible()).toBe(false);
      // The page fits the phone: nothing but tables and code scrolls sideways.
      const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      expect(overflow).toBeLessThanOrEqual(390);
      await screenshot(page, 'admin-overview-phone');
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name: 'Rules' }).waitFor();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('refuses release day without evidence, saying what is missing; flips with an override; rolls back', async () => {
    // The same program once more (its answer comes from the cache; its shadow runs again):
    // one more dual run, not one more program.
    expect((await compile(SIZEOF, 'linux-amd64')).status).toBe(200);
    await waitForDualRun(SIZEOF, 2);
    await go(page, 'Release day');
    const missing = page.getByTestId('missing');
    expect(await textOf(missing)).toMatch(/evidence: \d+ distinct programs? counted from 1 client \(\d+ dual runs; at most 20 per client\) in the last \d+ h \(need 300\)/);
    const expected = page.getByTestId('runs-and-programs').locator('tr[data-class="expected"] td.num');
    expect(await expected.allInnerTexts()).toEqual(['2', '1']);
    const figures = page.getByTestId('evidence-figures');
    const runs = Number(await figures.locator('[data-figure="runs"]').innerText());
    const programs = Number(await figures.locator('[data-figure="programs"]').innerText());
    expect(runs).toBeGreaterThan(programs);
    expect(programs).toBeGreaterThanOrEqual(2);

    const flip = page.locator('form[data-form="flip"]');
    const flipButton = flip.getByRole('button', { name: 'Flip to release day' });
    await flip.getByLabel('Reason (required, kept in the audit log)').fill('Go 1.14 is out');
    expect(await flipButton.isDisabled()).toBe(true);
    await flip.getByLabel('Type release day to confirm').fill('release day');
    await flipButton.click();
    const refused = flip.getByRole('alert');
    await refused.filter({ hasText: 'release day refused: the evidence is not there yet' }).waitFor();
    expect(await textOf(refused)).toContain('need 300');
    expect((await adminGet<{ flags: { releaseDay: boolean } }>('/state')).flags.releaseDay).toBe(false);
    await screenshot(page, 'admin-release-day');

    await flip.getByLabel('Reason (required, kept in the audit log)').fill('Go 1.14 is out; the emulation evidence is enough for us');
    await flip.getByLabel(/^Override/).check();
    await flipButton.click();
    await page.locator('.status-card.on').filter({ hasText: 'Release day is ON' }).waitFor();
    await screenshot(page, 'admin-release-day-on');

    const publicRun = await compile('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("after release day") }\n');
    expect(publicRun.status).toBe(200);
    expect(publicRun.backend).toBe('linux-amd64');
    expect(publicRun.body).toContain('after release day');
    const nacl = await compile('package main\n\nfunc main() {}\n', 'nacl');
    expect(nacl.status).toBe(410);
    expect(nacl.body).toContain('NaCl was retired');

    const rollback = page.locator('form[data-form="rollback"]');
    await rollback.getByRole('button', { name: 'Roll back release day' }).click();
    await rollback.getByRole('alert').filter({ hasText: 'Give a reason' }).waitFor();
    await rollback.getByLabel('Reason (required, kept in the audit log)').fill('rehearsal over: back to the rollout');
    await rollback.getByRole('button', { name: 'Roll back release day' }).click();
    await page.getByText('Release day is off: routing follows the flags.').waitFor();
    expect((await adminGet<{ flags: { releaseDay: boolean } }>('/state')).flags.releaseDay).toBe(false);

    await go(page, 'Audit log');
    await page.getByLabel('Action (exact)').fill('release-day: flip (override)');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('tr[data-audit]').filter({ hasText: 'the emulation evidence is enough for us' }).waitFor();
    await waitForCount(page.locator('tr[data-audit]'), 1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('tr[data-audit]').filter({ hasText: 'rehearsal over' }).waitFor();
    await screenshot(page, 'admin-audit');
  });

  it('lists, adds and edits platform-difference rules', async () => {
    await go(page, 'Rules', 'Platform-difference rules');
    await page.locator('tr[data-rule="int-size"]').waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const form = page.locator('form[data-form="add-rule"]');
    await form.getByLabel('Name (a-z, 0-9, "-")').fill('tmp-dir');
    await form.getByLabel(/^Description/).fill('Temporary directory names differ between sandboxes');
    await form.getByLabel(/^Pattern/).fill(String.raw`/tmp/go-build\d+`);
    await form.getByLabel(/^Try it/).fill('open /tmp/go-build123/x: no such file');
    expect(await textOf(form.locator('pre.out'))).toContain('open <tmp-dir>/x');
    await form.getByLabel('Reason (required, kept in the audit log)').fill('seen in build errors');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('tr[data-rule="tmp-dir"]').waitFor();

    await page.getByRole('button', { name: 'Edit rule tmp-dir' }).click();
    const edit = page.locator('form[data-form="edit-rule"]');
    await edit.getByLabel('Enabled').uncheck();
    expect(await textOf(edit.locator('.preview-inline'))).toContain('enabled: true → false');
    await edit.getByLabel('Reason (required, kept in the audit log)').fill('too broad for now');
    await screenshot(page, 'admin-rules');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule tmp-dir saved (enabled)' }).waitFor();
    await page.locator('tr[data-rule="tmp-dir"]').filter({ hasText: 'off' }).waitFor();
    expect((await adminGet<Array<{ name: string; enabled: boolean }>>('/rules')).find((r) => r.name === 'tmp-dir')?.enabled).toBe(false);
  });

  it('lets a viewer see every page with every change control disabled, and the API refuses anyway', async () => {
    const viewer = await browser.page();
    await signIn(viewer, stack.tokens.viewer);
    expect(await textOf(viewer.locator('#viewer-note'))).toContain('victor is signed in as a viewer');
    const pages: Array<[string, string]> = [['Flags', 'Flags'], ['Release day', 'Release day'], ['Rules', 'Platform-difference rules']];
    let controls = 0;
    for (const [link, heading] of pages) {
      await go(viewer, link, heading);
      if (link === 'Flags') await screenshot(viewer, 'admin-viewer-flags');
      const changeControls = viewer.locator('[data-change]');
      await changeControls.first().waitFor();
      const n = await changeControls.count();
      for (let i = 0; i < n; i++) {
        const c = changeControls.nth(i);
        expect(`${link}: ${await c.evaluate((el: any) => el.outerHTML.slice(0, 80))} disabled=${await c.isDisabled()}`).toMatch(/disabled=true$/);
      }
      expect(await textOf(viewer.locator('main'))).toContain('Disabled: victor is signed in as a viewer');
      controls += n;
    }
    await viewer.goto(`${stack.frontendUrl}/admin/diffs/${sizeofRunId}`);
    const replay = viewer.getByRole('button', { name: 'Replay now on both backends' });
    await replay.waitFor();
    expect(await replay.isDisabled()).toBe(true);
    expect(await replay.getAttribute('title')).toContain('only a release manager can change anything');
    expect(controls).toBeGreaterThan(15);
    // The viewer still sees the data: the audit rows are there.
    await go(viewer, 'Audit log');
    await viewer.locator('tr[data-audit]').filter({ hasText: 'canary: first quarter of programs' }).waitFor();

    const res = await fetch(`${stack.frontendUrl}/admin/api/flags`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${stack.tokens.viewer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ rolloutPercent: 50, reason: 'viewer tries' }),
    });
    expect(res.status).toBe(403);
  });
});
