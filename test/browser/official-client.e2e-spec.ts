// The official Go playground browser client (playground.js with its jquery.js, from
// golang.org/x/tools/godoc, fetched through the module proxy at set-up) in a real Chromium,
// against our API on the real stack: "existing clients work unchanged", checked through what the
// client shows a person for every feature it has.
import type { Page } from 'playwright-core';
import { startFrontendStack, type Stack } from '../support/stack';
import { launchBrowser, screenshot, type LaunchedBrowser } from '../support/browser';
import { officialClientDir, serveClientPage, type ClientPage } from '../support/official-client';
import { request } from '../support/http';

declare const document: { querySelector(selector: string): any; querySelectorAll(selector: string): any };
declare const window: any;

const RUN_TIMEOUT = 60_000;
/** What the client prints when a run is over, one of these whatever happened. */
const ENDINGS = ['Program exited', 'All tests passed.', 'failed.', 'Go build failed.', 'Error communicating with remote server.'];

let stack: Stack;
let browser: LaunchedBrowser;
let client: ClientPage;

beforeAll(async () => {
  const dir = await officialClientDir();
  stack = await startFrontendStack();
  client = await serveClientPage(dir, stack.frontendUrl);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await stack?.stop();
}, 120_000);

async function openClient(): Promise<Page> {
  const page = await browser.page();
  await page.goto(client.url);
  await page.waitForFunction(() => typeof window.playground === 'function' && !!document.querySelector('#output pre'));
  return page;
}

function output(page: Page): Promise<string> {
  return page.locator('#output pre').evaluate((el: any) => el.textContent as string);
}

/** Runs `source` with the client's Run button and returns what the output shows once it ended. */
async function run(page: Page, source: string): Promise<string> {
  await page.fill('#code', source);
  await page.click('#run');
  await page.waitForFunction(
    (endings: string[]) => endings.some((e) => (document.querySelector('#output pre').textContent || '').includes(e)),
    ENDINGS,
    { timeout: RUN_TIMEOUT },
  );
  return output(page);
}

const prog = (body: string, imports: string[] = ['fmt']): string =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\n${body}\n`;

describe('the official client (golang.org/x/tools/godoc playground.js) against our API', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openClient();
  });

  it('runs a program and shows its output and "Program exited."', async () => {
    const shown = await run(page, prog('func main() { fmt.Println("hello, official client") }'));
    expect(shown).toBe('hello, official client\n\nProgram exited.');
    expect(await page.locator('#output pre span.stdout').first().textContent()).toBe('hello, official client\n');
  });

  it('plays the output back with its delays, stdout and stderr apart', async () => {
    const source = prog('func main() {\n\tfmt.Println("first")\n\ttime.Sleep(1500 * time.Millisecond)\n\tfmt.Fprintln(os.Stderr, "second")\n}', ['fmt', 'os', 'time']);
    await page.fill('#code', source);
    // Records, in the page, when each piece of output appears.
    await page.evaluate(() => {
      window.seen = {};
      const pre = document.querySelector('#output pre');
      new window.MutationObserver(() => {
        for (const w of ['first', 'second']) if (!window.seen[w] && pre.textContent.includes(w)) window.seen[w] = window.performance.now();
      }).observe(pre, { childList: true, subtree: true, characterData: true });
    });
    await page.click('#run');
    await page.waitForFunction(() => (document.querySelector('#output pre').textContent || '').includes('Program exited'), undefined, { timeout: RUN_TIMEOUT });
    const seen = await page.evaluate(() => window.seen as Record<string, number>);
    // The virtual 1.5 s sleep becomes a 1.5 s pause in the playback (a lower bound only).
    expect(seen.second - seen.first).toBeGreaterThanOrEqual(1400);
    expect(await page.locator('#output pre span.stderr').textContent()).toBe('second\n');
  });

  it('clears the output at a form feed and shows what follows the last one', async () => {
    const shown = await run(page, prog('func main() {\n\tfmt.Println("frame 1")\n\ttime.Sleep(100 * time.Millisecond)\n\tfmt.Print("\\x0cframe 2\\n")\n}', ['fmt', 'time']));
    expect(shown).toBe('frame 2\n\nProgram exited.');
  });

  it('shows an IMAGE: line as a picture', async () => {
    const body = 'func main() {\n\tm := image.NewRGBA(image.Rect(0, 0, 3, 2))\n\tvar b bytes.Buffer\n\tpng.Encode(&b, m)\n\tfmt.Println("IMAGE:" + base64.StdEncoding.EncodeToString(b.Bytes()))\n}';
    await run(page, prog(body, ['bytes', 'encoding/base64', 'fmt', 'image', 'image/png']));
    const img = page.locator('#output pre img');
    await expect(img.count()).resolves.toBe(1);
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/);
    await page.waitForFunction(() => document.querySelector('#output pre img').naturalWidth === 3);
  });

  it('shows build errors as "Go build failed." and marks their lines', async () => {
    const shown = await run(page, 'package main\n\nfunc main() {\n\tundefinedThing()\n}\n');
    expect(shown).toContain('prog.go:4');
    expect(shown).toContain('undefined: undefinedThing');
    expect(shown).toContain('Go build failed.');
    const marked = await page.evaluate(() => Array.from(document.querySelectorAll('.lines div')).map((d: any, i: number) => (d.classList.contains('lineerror') ? i + 1 : 0)).filter(Boolean));
    expect(marked).toEqual([4]);
  });

  it('shows vet\'s findings before the output, then "Go vet exited."', async () => {
    const shown = await run(page, prog('func main() { fmt.Printf("%d\\n", "not a number") }'));
    expect(shown).toMatch(/^.*prog\.go:\d+:\d+: fmt\.Printf format %d has arg "not a number" of wrong type string\nGo vet exited\.\n\n%!d\(string=not a number\)\n\nProgram exited\.$/s);
  });

  it('runs passing tests and examples: "All tests passed."', async () => {
    const shown = await run(page, prog(
      'func TestSum(t *testing.T) {\n\tif 1+1 != 2 {\n\t\tt.Fatal("math")\n\t}\n}\n\nfunc Example_hello() {\n\tfmt.Println("hello")\n\t// Output: hello\n}',
      ['fmt', 'testing'],
    ));
    expect(shown).toContain('--- PASS: TestSum');
    expect(shown).toContain('--- PASS: Example_hello');
    expect(shown).toMatch(/\n\nAll tests passed\.$/);
  });

  it('counts failing tests and examples: "2 tests failed."', async () => {
    const shown = await run(page, prog(
      'func TestBad(t *testing.T) { t.Error("wrong") }\n\nfunc Example_wrong() {\n\tfmt.Println("actual")\n\t// Output: expected\n}',
      ['fmt', 'testing'],
    ));
    expect(shown).toContain('--- FAIL: TestBad');
    expect(shown).toContain('--- FAIL: Example_wrong');
    expect(shown).toMatch(/\n\n2 tests failed\.$/);
  });

  it('shows a program that never ends with its output, "timeout running program" and its status, not a build failure', async () => {
    const shown = await run(page, prog('var n int\n\nfunc main() {\n\tfmt.Println("working")\n\tfmt.Fprintln(os.Stderr, "on stderr")\n\tfor {\n\t\tn++\n\t}\n}', ['fmt', 'os']));
    // The notice follows the program's stderr at its last virtual time (as the Go playground
    // decodes it: a program that wrote no stderr would get it at the start of the clock).
    expect(shown).toBe('working\non stderr\ntimeout running program\n\nProgram exited: status 1.');
    expect(await page.locator('#output pre span.stderr').textContent()).toBe('on stderr\ntimeout running program\n');
    await screenshot(page, 'official-client-timeout');
  }, 90_000);

  it('shows the exit status of os.Exit, a panic and a death by signal', async () => {
    expect(await run(page, prog('func main() { fmt.Println("bye"); os.Exit(3) }', ['fmt', 'os']))).toBe('bye\n\nProgram exited: status 3.');
    expect(await run(page, prog('func main() { panic("boom") }', []))).toMatch(/^panic: boom\n\ngoroutine 1 \[running\]:\n.*\n\nProgram exited: status 2\.$/s);
    expect(await run(page, prog('func main() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }', ['os', 'syscall']))).toBe('\nProgram exited: status 255.');
  });

  it('answers a program that churns garbage (Go\'s test/init1.go) with a status, never a failure to communicate', async () => {
    const init1 = 'package main\n\nimport "runtime"\n\nvar x []byte\n\nfunc init() {\n\tc := make(chan int)\n\tgo func() { c <- 1 }()\n\t<-c\n\tb := make([]byte, 1<<20)\n\ts := string(b)\n\tm := new(runtime.MemStats)\n\truntime.ReadMemStats(m)\n\tfor i := 0; i < 1000; i++ {\n\t\tx = []byte(s)\n\t}\n}\n\nfunc main() {}\n';
    const shown = await run(page, init1);
    // Clean, or stopped by its memory limit: the container taken down (137), or the program
    // alone killed inside the sandbox (a death by signal: 255). Never a failure to communicate.
    expect(['\nProgram exited.', '\nProgram exited: status 137.', '\nProgram exited: status 255.']).toContain(shown);
  });

  it('formats the code with gofmt, and with goimports when Imports is ticked', async () => {
    await page.fill('#code', 'package main\nimport "fmt"\nfunc main() {\nfmt.Println( "x" )\n}\n');
    await page.click('#fmt');
    await page.waitForFunction(() => document.querySelector('#code').value.includes('\tfmt.Println("x")'));
    expect(await page.inputValue('#code')).toBe('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("x")\n}\n');

    await page.fill('#code', 'package main\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("x"))\n}\n');
    await page.check('#imports');
    await page.click('#fmt');
    await page.waitForFunction(() => document.querySelector('#code').value.includes('import ('));
    expect(await page.inputValue('#code')).toBe('package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("x"))\n}\n');
    await page.uncheck('#imports');
  });

  it('shows a formatting error in the output, with its line marked', async () => {
    await page.fill('#code', 'package main\n\nfunc main() {\n\tx := \n}\n');
    await page.click('#fmt');
    await page.waitForFunction(() => document.querySelector('#output pre').classList.contains('error') && document.querySelector('#output pre').textContent !== '');
    expect(await output(page)).toMatch(/^prog\.go:5:1: expected operand/);
    const marked = await page.evaluate(() => Array.from(document.querySelectorAll('.lines div')).filter((d: any) => d.classList.contains('lineerror')).length);
    expect(marked).toBe(1);
  });

  it('loads an example from the menu', async () => {
    await page.selectOption('#toys', 'test.txt');
    await page.waitForFunction(() => document.querySelector('#code').value.includes('func Test'));
    const shown = await run(page, await page.inputValue('#code'));
    expect(shown).toMatch(/(All tests passed\.|tests? failed\.)$/);
  });

  it('shares the code and the snippet loads at /p/{id}, in the page itself (no scripts needed) and raw', async () => {
    const source = prog('func main() { fmt.Println("shared <b>&</b> safe") }');
    await page.fill('#code', source);
    await page.click('#share');
    await page.waitForFunction(() => /\/p\/[A-Za-z0-9_-]+$/.test(document.querySelector('#shareURL').value));
    const id = (await page.inputValue('#shareURL')).split('/p/')[1];

    const raw = await request(`${stack.frontendUrl}/p/${id}.go`);
    expect(raw.status).toBe(200);
    expect(raw.text).toBe(source);

    const noScripts = await browser.page({ javaScriptEnabled: false });
    await noScripts.goto(`${stack.frontendUrl}/p/${id}`);
    expect(await noScripts.inputValue('#source')).toBe(source);
    expect(await noScripts.locator('b').count()).toBe(0); // text, never markup

    const withScripts = await browser.page();
    await withScripts.goto(`${stack.frontendUrl}/p/${id}`);
    await withScripts.waitForFunction(() => !!document.querySelector('.CodeMirror'));
    expect(await withScripts.locator('.CodeMirror').evaluate((el: any) => el.CodeMirror.getValue() as string)).toBe(source);
  });
});
