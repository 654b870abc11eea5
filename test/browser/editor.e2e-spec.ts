// The editor page in a real Chromium against the real stack (frontend + gVisor sandbox):
// what a person does with the playground, checked through what the page shows.
import type { Page } from 'playwright-core';
import { startStack } from '../support/stack';
import { launchBrowser, screenshot, type LaunchedBrowser } from '../support/browser';
import { EXAMPLES } from '../../src/frontend/editor/examples';

// Callbacks given to page.evaluate/waitForFunction run inside the page; the test build's
// type set has no DOM, so the little of it they touch is declared here.
declare const document: {
  getElementById(id: string): any;
  querySelector(selector: string): any;
};

// The first build in a fresh stack compiles the standard library into the cache.
const RUN_TIMEOUT = 90_000;

let stack: { frontendUrl: string; stop(): Promise<void> };
let browser: LaunchedBrowser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 120_000);

async function openEditor(path = '/'): Promise<Page> {
  const page = await browser.page();
  await page.goto(stack.frontendUrl + path);
  // The page fetches its starting code (hello example or snippet) after load.
  await page.waitForFunction(() => {
    const el = document.querySelector('.CodeMirror');
    return !!el && el.CodeMirror.getValue() !== '';
  });
  return page;
}

function getCode(page: Page): Promise<string> {
  return page.locator('.CodeMirror').evaluate((el: any) => el.CodeMirror.getValue() as string);
}

async function setCode(page: Page, source: string): Promise<void> {
  await page.locator('.CodeMirror').evaluate((el: any, src: string) => el.CodeMirror.setValue(src), source);
}

async function outputText(page: Page): Promise<string> {
  return (await page.locator('#output').textContent()) ?? '';
}

// Resolves once the output contains `needle`; an error answer from the server (shown with
// class "error") ends the wait at once, and the failure quotes what the page showed.
async function waitForOutput(page: Page, needle: string): Promise<string> {
  let waitError: unknown;
  await page
    .waitForFunction(
      (n: string) => {
        const out = document.getElementById('output');
        return (out.textContent || '').includes(n) || !!out.querySelector('.error');
      },
      needle,
      { timeout: RUN_TIMEOUT },
    )
    .catch((e: unknown) => {
      waitError = e;
    });
  const shown = await outputText(page);
  if (!shown.includes(needle)) {
    throw new Error(`output never contained ${JSON.stringify(needle)}; it shows ${JSON.stringify(shown)}${waitError ? `\n${String(waitError)}` : ''}`);
  }
  return shown;
}

async function loadExample(page: Page, name: string, marker: string): Promise<void> {
  await page.selectOption('#examples', name);
  await page.waitForFunction(
    (m: string) => document.querySelector('.CodeMirror').CodeMirror.getValue().includes(m),
    marker,
  );
}

describe('editor page', () => {
  it('lists the examples in menu order', async () => {
    const page = await openEditor();
    const values = await page.locator('#examples option').evaluateAll((opts: any[]) =>
      opts.map((o) => o.value as string).filter((v) => v !== ''),
    );
    expect(values).toEqual(EXAMPLES.map((e) => e.name));
    expect(await getCode(page)).toContain('package main');
  });

  it('runs a program typed into the editor', async () => {
    const page = await openEditor();
    await page.click('.CodeMirror');
    await page.keyboard.press('Control+A');
    // CodeMirror indents new lines itself, so the body is typed without leading tabs.
    await page.keyboard.type('package main\n\nimport "fmt"\n\nfunc main() {\nfmt.Println("typed into the editor", 6*7)\n}\n');
    expect(await getCode(page)).toContain('\tfmt.Println("typed into the editor", 6*7)');

    await page.click('#run');
    const out = await waitForOutput(page, 'Program exited.');
    expect(out).toContain('typed into the editor 42');
    expect(out).not.toContain('Waiting for remote server');
    await screenshot(page, 'editor');
  });

  it('runs on Shift+Enter', async () => {
    const page = await openEditor();
    await setCode(page, 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("run by shift-enter")\n}\n');
    await page.click('.CodeMirror');
    await page.keyboard.press('Shift+Enter');
    const out = await waitForOutput(page, 'Program exited.');
    expect(out).toContain('run by shift-enter');
    // Shift+Enter must not also have typed a newline into the program.
    expect(await getCode(page)).toBe('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("run by shift-enter")\n}\n');
  });

  it('clears the output on a form feed (clear example)', async () => {
    const page = await openEditor();
    await loadExample(page, 'clear', 'form feed');
    // Every state the output passes through is recorded, to prove earlier frames were shown
    // and then wiped rather than never drawn.
    await page.evaluate(() => {
      const w = globalThis as any;
      const out = document.getElementById('output');
      w.__outputStates = [];
      new w.MutationObserver(() => w.__outputStates.push(out.textContent)).observe(out, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await page.click('#run');
    const out = await waitForOutput(page, 'Program exited.');
    const states: string[] = await page.evaluate(() => (globalThis as any).__outputStates);

    expect(states.some((s) => s.includes('frame 3'))).toBe(true);
    expect(out).toBe('done: the animation has finished\n\nProgram exited.');
    expect(out).not.toContain('frame');
  });

  it('shows an image written as IMAGE:<base64> (image example)', async () => {
    const page = await openEditor();
    await loadExample(page, 'image', 'IMAGE:');
    await page.click('#run');
    await waitForOutput(page, 'Program exited.');
    const img = page.locator('#output img');
    expect(await img.count()).toBe(1);
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/);
    // A decoded PNG has a size; a broken one stays 0×0.
    const width = await img.evaluate((el: any) => (el.complete ? el.naturalWidth : -1));
    expect(width).toBeGreaterThan(0);
  });

  it('shares a snippet that a fresh page loads again', async () => {
    const page = await openEditor();
    const source = `package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("shared at ${Date.now()}")\n}\n`;
    await setCode(page, source);
    await page.click('#share');
    const shareURL = page.locator('#shareURL');
    await shareURL.waitFor({ state: 'visible' });
    const url = await shareURL.inputValue();
    expect(url).toMatch(new RegExp(`^${stack.frontendUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/p/[A-Za-z0-9_-]{11,}$`));
    expect(page.url()).toBe(url);

    const fresh = await browser.page();
    await fresh.goto(url);
    await fresh.waitForFunction(() => document.querySelector('.CodeMirror').CodeMirror.getValue() !== '');
    expect(await getCode(fresh)).toBe(source);
  });

  it('runs on the Go release picked in the menu, and keeps the pick in the address (?v=goprev)', async () => {
    const page = await openEditor();
    const releases: { value: string; text: string }[] = await page.locator('#version option').evaluateAll((os: any[]) => os.map((o) => ({ value: o.value, text: o.textContent })));
    const prev = releases.find((r) => r.value === 'goprev');
    expect(releases[0].value).toBe('');
    expect(prev?.text).toMatch(/^Go 1\.\d+\.\d+ \(goprev\)$/);
    const version = `go${prev!.text.split(' ')[1]}`;
    await page.selectOption('#version', 'goprev');
    expect(new URL(page.url()).search).toBe('?v=goprev');
    await setCode(page, 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n)\n\nfunc main() {\n\tfmt.Println("on", runtime.Version())\n}\n');
    await page.click('#run');
    expect(await waitForOutput(page, 'Program exited.')).toContain(`on ${version}`);

    // Shared on goprev: the link keeps the release, and a fresh page opens with it picked.
    await page.click('#share');
    const shareURL = page.locator('#shareURL');
    await shareURL.waitFor({ state: 'visible' });
    const url = await shareURL.inputValue();
    expect(url).toMatch(/\/p\/[A-Za-z0-9_-]+\?v=goprev$/);
    const fresh = await openEditor(url.slice(stack.frontendUrl.length));
    expect(await fresh.locator('#version').inputValue()).toBe('goprev');

    await page.selectOption('#version', '');
    expect(new URL(page.url()).search).toBe('');
    await page.click('#run');
    const out = await waitForOutput(page, 'Program exited.');
    expect(out).not.toContain(`on ${version}`);
    expect(out).toMatch(/on go1\.\d+/);
  });

  it('reports a non-zero exit status', async () => {
    const page = await openEditor();
    await setCode(page, 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println("about to fail")\n\tos.Exit(3)\n}\n');
    await page.click('#run');
    const out = await waitForOutput(page, 'Program exited: status 3.');
    expect(out).toContain('about to fail');
  });

  it('shows build errors and nothing else', async () => {
    const page = await openEditor();
    await setCode(page, 'package main\n\nfunc main() {\n\tx := 1\n}\n');
    await page.click('#run');
    const out = await waitForOutput(page, 'declared and not used');
    expect(out).not.toContain('Program exited');
    expect(await page.locator('#output .stderr').count()).toBeGreaterThan(0);
  });

  // Waits until Format has either changed the code or reported something, so a failure
  // shows the server's answer instead of a bare timeout.
  async function formatAndWait(page: Page, before: string): Promise<{ code: string; output: string }> {
    await page.click('#fmt');
    await page.waitForFunction(
      (b: string) =>
        document.querySelector('.CodeMirror').CodeMirror.getValue() !== b ||
        (document.getElementById('output').textContent || '') !== '',
      before,
      { timeout: RUN_TIMEOUT },
    );
    return { code: await getCode(page), output: await outputText(page) };
  }

  it('formats the code (gofmt)', async () => {
    const page = await openEditor();
    const messy = 'package main\nimport "fmt"\nfunc main() {\n        fmt.Println("tidy")\n}\n';
    await setCode(page, messy);
    await page.uncheck('#imports');
    const { code, output } = await formatAndWait(page, messy);
    expect(output).toBe('');
    expect(code).toBe('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("tidy")\n}\n');
  });

  it('formats and fixes imports when Imports is checked', async () => {
    const page = await openEditor();
    const messy = 'package main\n\nfunc main() {\n  fmt.Println("imports fixed")\n}\n';
    await setCode(page, messy);
    expect(await page.isChecked('#imports')).toBe(true); // the default, as a user finds it
    const { code, output } = await formatAndWait(page, messy);
    expect(output).toBe('');
    expect(code).toBe('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("imports fixed")\n}\n');
  });
});
