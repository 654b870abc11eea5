/**
 * Helpers of the frontend integration specs: the service's build directories, Go source written
 * inside a spec, and a spec file's stack. The loopback HTTP client, the /compile helpers and
 * startFrontendStack live in test/support/; they are re-exported here for the specs elsewhere in
 * test/ that import them from this file.
 */
import * as fs from 'fs';
import * as os from 'os';
import { startFrontendStack, Stack } from '../support/stack';
import { sleep } from '../support/http';

export { freePort, request } from '../support/http';
export type { Reply } from '../support/http';
export { postCompile } from '../support/compile';
export { startFrontendStack } from '../support/stack';

/**
 * Registers this spec file's stack (startFrontendStack before its tests, stopped after them) and
 * hands it and the file's BuildDirs to `use` once started. With `checkBuildDirs`, every build
 * directory the service made during the file must be gone again after the stack stopped.
 */
export function frontendStackForFile(use: (stack: Stack, buildDirs: BuildDirs) => void, opts: { checkBuildDirs?: boolean } = {}): void {
  let stack: Stack | undefined;
  let buildDirs: BuildDirs;
  beforeAll(async () => {
    buildDirs = new BuildDirs();
    stack = await startFrontendStack();
    use(stack, buildDirs);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    if (opts.checkBuildDirs) expect(await buildDirs.leftovers()).toEqual([]);
  }, 60_000);
}

/**
 * The service's build directories (`play-build-*`) in os.tmpdir(). Jest gives a spec its own copy
 * of process.env, so the service's temp dir cannot be made private to a spec; other processes
 * on this machine (a running service, other specs) may be building at the same moment. Left-overs
 * are therefore the new entries that are still there after anybody's build in flight finished.
 */
export class BuildDirs {
  private readonly before: Set<string>;

  constructor() {
    this.before = new Set(BuildDirs.list());
  }

  static list(): string[] {
    return fs.readdirSync(os.tmpdir()).filter((n) => /^play-build-/.test(n));
  }

  count(): number {
    return BuildDirs.list().length;
  }

  /** New build directories that stay for `graceMs` (a build takes at most BUILD_TIMEOUT_MS). */
  async leftovers(graceMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const fresh = BuildDirs.list().filter((n) => !this.before.has(n));
      if (fresh.length === 0 || Date.now() > deadline) return fresh;
      await sleep(200);
    }
  }
}

/**
 * Go source written readably inside a spec: the common indentation is removed and each further
 * two leading spaces become a tab, as gofmt writes them. The text is taken raw, so `\n` stays a
 * Go escape. A template literal's first newline is dropped; the result ends with one newline.
 */
export function go(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.raw.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const base = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => {
      const rest = l.slice(base);
      const m = /^((?:  )*)(.*)$/.exec(rest)!;
      return l.trim() === '' ? '' : '\t'.repeat(m[1].length / 2) + m[2];
    })
    .join('\n') + '\n';
}
