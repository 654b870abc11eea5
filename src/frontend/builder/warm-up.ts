import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildEnv, BuildTarget } from './build-target';
import { BUILD_FLAGS, languageVersion } from './go-builder';
import { BuildSandbox } from './sandbox/build-sandbox';
import { IN_SANDBOX } from './sandbox/sandbox-layout';

/** The packages a typical playground program reaches, for every target; the primary one gets all of std. */
const WARM_PROGRAM = `package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math/rand"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"
)

var _ = []any{base64.StdEncoding, json.Marshal, image.Rect, png.Encode, rand.Int, os.Exit, sort.Ints, strings.Repeat, sync.Mutex{}, time.Now, unsafe.Sizeof(0)}

func main() { fmt.Println("warm") }
`;
const WARM_TEST = 'package main\n\nimport "testing"\n\nfunc TestWarm(t *testing.T) {}\n';
const WARM_TIMEOUT_MS = 30 * 60_000;

/**
 * Fills a toolchain's shared build cache with what the warm-up builds leave: the same flags,
 * tags and sandbox paths as every user build, so their cache keys match. Only the set-up runs
 * this (the shared layer is read-only to user builds); a stamp per target and warm set makes
 * it once per toolchain.
 */
export async function warmSharedCache(sandbox: BuildSandbox, target: BuildTarget, allOfStd: boolean, log: (s: string) => void): Promise<void> {
  const set = createHash('sha256').update(WARM_PROGRAM + WARM_TEST + BUILD_FLAGS.join(' ') + String(allOfStd)).digest('hex').slice(0, 12);
  const base = sandbox.cacheBase(target.toolchain);
  const stamp = path.join(base, `.warm-${target.goos}-${target.goarch}-${set}`);
  if (fs.existsSync(stamp)) return;
  log(`warming the build cache of ${target.toolchain.version} for ${target.goos}/${target.goarch}${allOfStd ? ' (all of std: a few minutes, once)' : ''}`);
  const tags = target.tags.length ? [`-tags=${target.tags.join(',')}`] : [];
  const go = `${IN_SANDBOX.goroot}/bin/go`;
  const steps = [
    [go, 'build', '-o', `${IN_SANDBOX.out}/a.out`, ...BUILD_FLAGS, ...tags, '.'],
    [go, 'vet', ...tags, '.'],
    ...(allOfStd ? [[go, 'build', ...BUILD_FLAGS, ...tags, 'std']] : []),
  ];
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  chownDirectories(base, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const ws = sandbox.workspace('invoker');
  const testWs = sandbox.workspace('invoker');
  try {
    for (const w of [ws, testWs]) {
      w.write('go.mod', `module play\n\ngo ${languageVersion(target.toolchain.version)}\n`);
      w.write('prog.go', WARM_PROGRAM);
    }
    testWs.write('prog_test.go', WARM_TEST);
    const run = async (w: typeof ws, command: string[]): Promise<void> => {
      const r = await sandbox.run(w, { toolchain: target.toolchain, command, env: buildEnv(target, { moduleProxy: false, experiments: '', sumdb: {} }), timeoutMs: WARM_TIMEOUT_MS, fillSharedCache: true });
      if (r.code !== 0) throw new Error(`warm-up \`${command.slice(1).join(' ')}\` failed: ${r.output.trim().slice(0, 500)}`);
    };
    for (const s of steps) await run(ws, s);
    await run(testWs, [go, 'test', '-c', '-o', `${IN_SANDBOX.out}/a.test`, ...BUILD_FLAGS, ...tags, '.']);
    fs.writeFileSync(stamp, new Date().toISOString() + '\n');
  } finally {
    ws.remove();
    testWs.remove();
    if (sandbox.user) chownDirectories(base, sandbox.user.uid, sandbox.user.gid);
  }
}

/**
 * The shared cache's directories (never its files) belong to the sandbox's user between
 * warm-ups: a build's overlay can then copy a directory up when it adds an entry of its own,
 * which it could not do for a directory of root's (its namespace cannot map root). The files
 * stay root's and read-only to builds; the warm-up takes the directories back while it writes.
 */
function chownDirectories(base: string, uid: number, gid: number): void {
  fs.chownSync(base, uid, gid);
  for (const e of fs.readdirSync(base, { withFileTypes: true })) {
    if (e.isDirectory() || e.name === 'trim.txt') fs.chownSync(path.join(base, e.name), uid, gid);
  }
}
