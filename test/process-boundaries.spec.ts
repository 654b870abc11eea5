/**
 * src/ is split by process: the frontend (src/frontend/), the sandbox service (src/sandbox/),
 * the wire contract between them (src/contract/) and process plumbing both use
 * (src/platform/); src/launcher/ is `npm start`, which starts both. Each half of the legacy plugin
 * belongs to its process. This walks every relative import and fails on one that crosses a
 * line, so that the sandbox service never loads frontend code (nor the reverse) and the
 * shared parts stay free of either.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const LEGACY = ['legacy', 'nacl'].join('-'); // spelled in pieces: see legacy-confinement.spec.ts

/** Each part, by folder (longest prefix wins), and the parts its files may import. */
const PARTS: Record<string, { dir: string; may: string[] }> = {
  contract: { dir: 'src/contract', may: [] },
  platform: { dir: 'src/platform', may: [] },
  frontend: { dir: 'src/frontend', may: ['contract', 'platform', 'legacyFrontend', 'migrations'] },
  sandbox: { dir: 'src/sandbox', may: ['contract', 'platform', 'legacySandbox'] },
  launcher: { dir: 'src/launcher', may: ['platform', 'frontend', 'sandbox'] },
  legacyFrontend: { dir: `${LEGACY}/frontend`, may: ['frontend', 'contract', 'platform', 'legacyShared'] },
  legacySandbox: { dir: `${LEGACY}/sandbox`, may: ['sandbox', 'contract', 'platform', 'legacyShared'] },
  legacyShared: { dir: LEGACY, may: [] },
  migrations: { dir: 'migrations', may: ['frontend'] },
};

function partOf(rel: string): string | null {
  let best: string | null = null;
  for (const [name, p] of Object.entries(PARTS)) {
    if ((rel + '/').startsWith(p.dir + '/') && (!best || p.dir.length > PARTS[best].dir.length)) best = name;
  }
  return best;
}

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g;

/** Every crossing import that the table above does not allow, as "from -> to". */
function crossings(files: string[]): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    const from = partOf(rel);
    if (!from) continue;
    const isSpec = /\.(spec|e2e-spec|fixture)\.ts$/.test(rel);
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      if (isSpec && (target + '/').startsWith('test/')) continue; // specs may use test/support
      const to = partOf(target);
      if (to !== from && !(to && PARTS[from].may.includes(to))) bad.push(`${rel} -> ${target} (${from} -> ${to ?? 'outside'})`);
    }
  }
  return bad;
}

describe('the two processes stay apart', () => {
  const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, LEGACY)), ...sources(path.join(ROOT, 'migrations'))];

  it('walks the whole tree', () => {
    expect(files.length).toBeGreaterThan(150);
    for (const p of ['frontend', 'sandbox', 'contract', 'platform', 'launcher']) expect(files.some((f) => partOf(path.relative(ROOT, f)) === p)).toBe(true);
  });

  it('has no import across a line: the sandbox service reaches no frontend code, the frontend only the contract of the sandbox side', () => {
    expect(crossings(files)).toEqual([]);
  });

  it('sees a crossing when there is one (so the check above cannot pass by being blind)', () => {
    const tmp = path.join(ROOT, 'src', 'sandbox', `boundary-probe-${process.pid}.ts`);
    fs.writeFileSync(tmp, "import type { BuildService } from '../frontend/builder/build.service';\nexport type X = BuildService;\n");
    try {
      expect(crossings([tmp])).toEqual([`${path.relative(ROOT, tmp)} -> src/frontend/builder/build.service (sandbox -> frontend)`]);
    } finally {
      fs.rmSync(tmp);
    }
  });
});
