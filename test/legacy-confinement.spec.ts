/**
 * The legacy NaCl runner must stay removable in one step: nothing but its two registrations
 * (its frontend half in src/frontend/registered-plugins.ts, its sandbox half in src/sandbox/registered-plugins.ts)
 * may reach into its folder, and the project must still compile once the folder and those
 * registrations are gone. (This spec lives in test/ because it checks the rest of the tree; after the folder
 * is retired it keeps checking that nothing reaches for it.)
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const execFile$ = promisify(execFile);

const ROOT = path.resolve(__dirname, '..');
// Spelled in pieces so that this file's own text never looks like an import of the folder.
const FOLDER = ['legacy', 'nacl'].join('-');
const LEGACY_DIR = path.join(ROOT, FOLDER);
const SCANNED_DIRS = ['src', 'test', 'bench', 'migrations', 'scripts', 'admin-ui'];
const EXTENSIONS = new Set(['.ts', '.js', '.mjs', '.tsx', '.vue']);
const SKIPPED = new Set(['node_modules', 'dist']);
/** Where each half of the runner is registered, under which name, from which subfolder. */
const REGISTRATIONS = [
  { file: path.join('src', 'frontend', 'registered-plugins.ts'), name: 'legacyNaclFrontend', from: `../../${FOLDER}/frontend`, type: 'FrontendPlugin' },
  { file: path.join('src', 'sandbox', 'registered-plugins.ts'), name: 'legacyNaclSandbox', from: `../../${FOLDER}/sandbox`, type: 'SandboxPlugin' },
];
/** After release day the folder is gone; then nothing at all may reach for it. */
const PRESENT = fs.existsSync(LEGACY_DIR);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.isFile() && EXTENSIONS.has(path.extname(e.name))) out.push(p);
  }
  return out;
}

/**
 * Module specifiers of a file's imports, re-exports, dynamic imports and requires:
 * `import x from 's'`, `import 's'`, `export … from 's'`, `import('s')`, `require('s')`,
 * `require.resolve('s')`, `jest.mock('s')`, `jest.requireActual('s')`.
 */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /\bfrom\s*(['"`])([^'"`\n]+)\1/g,
    /\bimport\s*(['"`])([^'"`\n]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1/g,
    /\b(?:require|require\.resolve|requireActual|requireMock|mock|doMock|unmock)\s*\(\s*(['"`])([^'"`\n]+)\1/g,
  ];
  const out: string[] = [];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[2]);
  return out;
}

/** Whether a specifier, written in `file`, leads into the legacy folder. */
function reachesLegacy(file: string, spec: string): boolean {
  if (spec.includes(FOLDER)) return true;
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), spec);
  return target === LEGACY_DIR || target.startsWith(LEGACY_DIR + path.sep);
}

describe('the legacy NaCl runner stays confined to its folder', () => {
  it(PRESENT ? 'is imported by its two registrations alone, each exactly once' : 'is imported by no file at all now that it is retired', () => {
    const files = SCANNED_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(50); // the walk did find the project
    for (const reg of REGISTRATIONS) expect(files).toContain(path.join(ROOT, reg.file));
    const importers: Record<string, string[]> = {};
    for (const file of files) {
      const hits = moduleSpecifiers(fs.readFileSync(file, 'utf8')).filter((s) => reachesLegacy(file, s));
      if (hits.length) importers[path.relative(ROOT, file)] = hits;
    }
    expect(importers).toEqual(PRESENT ? Object.fromEntries(REGISTRATIONS.map((reg) => [reg.file, [reg.from]])) : {});
  });

  it('recognises the ways a file can reach the folder (so the check above cannot pass by being blind)', () => {
    const file = path.join(ROOT, 'src', 'x', 'y.ts');
    const samples = [
      `import { a } from '../../${FOLDER}/index';`,
      `import '../../${FOLDER}/settings';`,
      `export * from "../../${FOLDER}";`,
      `const m = await import('../../${FOLDER}/sel-ldr');`,
      `const m = require('../../${FOLDER}');`,
      `jest.mock('../../${FOLDER}/nacl-image');`,
    ];
    for (const s of samples) expect(moduleSpecifiers(s).some((spec) => reachesLegacy(file, spec))).toBe(true);
    expect(moduleSpecifiers(`import { b } from './plugin';`).some((spec) => reachesLegacy(file, spec))).toBe(false);
  });

  // Once the folder is gone there is nothing left to remove (the ordinary build checks the rest).
  (PRESENT ? it : it.skip)('can be removed in one step: without the folder and its registration the project still compiles', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-removal-'));
    try {
      for (const d of ['src', 'migrations']) fs.cpSync(path.join(ROOT, d), path.join(tmp, d), { recursive: true });
      for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(tmp, f));
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
      expect(fs.existsSync(path.join(tmp, FOLDER))).toBe(false);

      const pluginsFiles = REGISTRATIONS.map((reg) => {
        const pluginsFile = path.join(tmp, reg.file);
        const after = withoutLegacyRegistration(fs.readFileSync(pluginsFile, 'utf8'), reg);
        expect(after).not.toContain(reg.name);
        expect(moduleSpecifiers(after).filter((s) => reachesLegacy(path.join(ROOT, reg.file), s))).toEqual([]);
        fs.writeFileSync(pluginsFile, after);
        return pluginsFile;
      });

      const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
      expect(fs.existsSync(tsc)).toBe(true); // so that npx below runs the project's compiler, never a download
      // --listFiles proves the compile covered the edited registration, not some other tree.
      const r = await execFile$('npx', ['--no-install', 'tsc', '--noEmit', '--listFiles', '-p', 'tsconfig.build.json'], { cwd: tmp, maxBuffer: 64 << 20, timeout: 300_000 })
        .then((o) => ({ ok: true, output: o.stdout }), (e: { stdout?: string; stderr?: string; message: string }) => ({ ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message }));
      if (!r.ok) throw new Error(`tsc failed without ${FOLDER}/:\n${r.output.split('\n').filter((l) => !l.startsWith('/')).join('\n').slice(0, 4000)}`);
      const compiled = r.output.split('\n').map((l) => l.trim()).filter(Boolean);
      for (const f of pluginsFiles) expect(compiled).toContain(fs.realpathSync(f));
      expect(compiled.filter((f) => f.includes(`/${FOLDER}/`))).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    expect(fs.existsSync(tmp)).toBe(false);
  }, 330_000);
});

/**
 * A registration file minus the legacy runner's half: its import line and its entry in PLUGINS.
 * Throws when the file no longer has the shape this expects, rather than quietly editing
 * something else.
 */
function withoutLegacyRegistration(text: string, reg: (typeof REGISTRATIONS)[number]): string {
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const importLine = new RegExp(String.raw`^import \{ ${reg.name} \} from '${escape(reg.from)}';\r?\n`, 'gm');
  const imports = text.match(importLine) ?? [];
  if (imports.length !== 1) throw new Error(`${reg.file}: expected exactly one import line of ${reg.name}, found ${imports.length}`);
  const array = new RegExp(String.raw`^(export const PLUGINS: ${reg.type}\[\] = \[)([^\]]*)(\];)$`, 'gm');
  const arrays = [...text.matchAll(array)];
  if (arrays.length !== 1) throw new Error(`${reg.file}: expected exactly one one-line "export const PLUGINS: ${reg.type}[] = [...];", found ${arrays.length}`);
  const entries = arrays[0][2].split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.filter((e) => e === reg.name).length !== 1) {
    throw new Error(`${reg.file}: expected ${reg.name} once in PLUGINS, found entries [${entries.join(', ')}]`);
  }
  const kept = entries.filter((e) => e !== reg.name);
  return text.replace(importLine, '').replace(array, `$1${kept.join(', ')}$3`);
}
