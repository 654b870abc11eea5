import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { Settings, validateSettings } from '../../platform/config/settings';
import { parseToolchainList, ToolchainEntry } from '../../platform/config/toolchain-list';
import { PLUGIN_SETTINGS } from '../registered-plugins';
import { describeToolchain, resolveGo } from '../builder/toolchain';
import { toolchainModule, toolchainRoot } from './toolchain-dir';

const run = promisify(execFile);
const FETCH_TIMEOUT_MS = 10 * 60_000;

/**
 * The set-up's step for PLAYGROUND_TOOLCHAINS (scripts/setup.sh): each release is fetched from
 * the module proxy as golang.org/toolchain, the way the go command itself gets a toolchain,
 * with the checksum database checked (a proxy cannot hand us a different compiler), then
 * moved to var/toolchains/<version> and asked its version. Only the operator's settings are
 * read here, never a user's input.
 */
async function main(): Promise<void> {
  const settings = new Settings(validateSettings(process.env, PLUGIN_SETTINGS));
  const wanted = parseToolchainList(settings.get('PLAYGROUND_TOOLCHAINS'));
  const goBin = resolveGo(settings.get('PLAYGROUND_GO'));
  for (const t of wanted) await ensure(goBin, t);
}

async function ensure(goBin: string, t: ToolchainEntry): Promise<void> {
  const root = toolchainRoot(t.version);
  if (installedVersion(root) === t.version) return;
  // An empty GOSUMDB is the go command's default database, as below.
  const sumdb = process.env.GOSUMDB?.trim() || 'sum.golang.org';
  if (sumdb === 'off') {
    throw new Error(`${t.name}=${t.version}: GOSUMDB=off would take a toolchain unchecked; unset it or name a checksum database`);
  }
  console.log(`[setup] fetching ${t.version} (${t.name}) from the module proxy as ${toolchainModule(t.version)}`);
  const parent = path.dirname(root);
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  const work = fs.mkdtempSync(path.join(parent, '.fetch-'));
  try {
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: work,
      GOMODCACHE: path.join(work, 'mod'),
      GOPATH: path.join(work, 'gopath'),
      GOFLAGS: '-modcacherw',
      GOTOOLCHAIN: 'local',
      GOENV: 'off',
      GOTELEMETRY: 'off',
      GOPROXY: process.env.GOPROXY || 'https://proxy.golang.org',
      // Only the database setting passes: GONOSUMDB, GONOSUMCHECK or GOINSECURE could switch the check off.
      GOSUMDB: sumdb,
    };
    let out: string;
    try {
      ({ stdout: out } = await run(goBin, ['mod', 'download', '-json', toolchainModule(t.version)], { cwd: work, env, timeout: FETCH_TIMEOUT_MS, maxBuffer: 1 << 20 }));
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      const said = (tryJson(err.stdout)?.Error as string | undefined) ?? err.stderr?.trim().split('\n').pop() ?? err.message;
      throw new Error(`${t.name}=${t.version} cannot be had from the module proxy (GOPROXY=${env.GOPROXY}): ${said}`);
    }
    const info = tryJson(out);
    if (!info?.Dir || !info.Sum) throw new Error(`${t.name}=${t.version}: the go command gave no directory or checksum for ${toolchainModule(t.version)}`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(String(info.Dir), root);
    makeToolsRunnable(root);
    const got = installedVersion(root);
    if (got !== t.version) throw new Error(`${t.name}=${t.version}: the fetched toolchain says it is ${got ?? 'nothing (it does not run)'}`);
    fs.writeFileSync(`${root}.sum`, `${toolchainModule(t.version)} ${String(info.Sum)}\n`);
    console.log(`[setup] ${t.version} (${t.name}) in ${root}, checksum ${String(info.Sum)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The module zip keeps no file modes: the go command's own toolchain switch marks these executable too. */
function makeToolsRunnable(root: string): void {
  for (const dir of ['bin', path.join('pkg', 'tool', 'linux_amd64')]) {
    for (const f of fs.readdirSync(path.join(root, dir))) fs.chmodSync(path.join(root, dir, f), 0o755);
  }
}

function installedVersion(root: string): string | undefined {
  try {
    return describeToolchain(path.join(root, 'bin', 'go')).version;
  } catch {
    return undefined;
  }
}

function tryJson(s: string | undefined): Record<string, unknown> | undefined {
  try {
    return s ? (JSON.parse(s) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

main().catch((e: Error) => {
  console.error(`[setup] ERROR: ${e.message}`);
  process.exit(1);
});
