/**
 * One run of the NaCl EMULATION (linux/386 natively under runc) must not be able to hurt
 * another's: a fork bomb beside ten ordinary programs, all at once through the public /compile.
 * Before each run had a user of its own, RLIMIT_NPROC counted every emulation process on the
 * host together, and the bomb's forks made the others fail with "runtime: failed to create new
 * OS thread" (and that answer was then cached). Real stack: toolchain, Docker with runc, SQLite.
 */
import { randomBytes } from 'crypto';
import { execFile } from 'child_process';
import { promisify } from 'util';
import { startFrontendStack, Stack } from '../../test/support/stack';
import { CompileResponse, output, postCompile } from '../../test/support/compile';
import { sleep } from '../../test/support/http';
import { go } from '../../test/frontend/helpers';
import { FIRST_UID } from './emulation-confinement';

const execFile$ = promisify(execFile);
const PREFIX = `play_test_${process.pid}_`;

const FORK_BOMB = go`
  package main

  import (
    "os"
    "os/exec"
  )

  func main() {
    self, _ := os.Executable()
    for {
      exec.Command(self).Start()
    }
  }
`;

/** Ten goroutines and a GC: a program that needs a few OS threads of its own. */
const ordinary = (tag: string): string => go`
  package main

  import (
    "fmt"
    "runtime"
    "sync"
  )

  func main() {
    var wg sync.WaitGroup
    sums := make([]int, 10)
    for i := range sums {
      wg.Add(1)
      go func(i int) {
        defer wg.Done()
        for j := 0; j < 100000; j++ {
          sums[i] += j % (i + 1)
        }
      }(i)
    }
    wg.Wait()
    runtime.GC()
    fmt.Println("${tag}", sums[9])
  }
`;

let stack: Stack;

interface Inspected { Config: { User: string }; HostConfig: { SecurityOpt: string[]; NanoCpus: number } }

beforeAll(async () => {
  stack = await startFrontendStack({ NACL_GOROOT: '', NACL_SEL_LDR: '', LEGACY_BACKEND: 'auto', NACL_EMULATION_POOL_SIZE: '2' });
  const deadline = Date.now() + 60_000;
  while ((await postCompile(stack, ordinary('ready'), { json: true, backend: 'nacl' })).status !== 200) {
    if (Date.now() > deadline) throw new Error('the emulation never became ready');
    await sleep(250);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  const { stdout } = await execFile$('docker', ['ps', '-a', '--filter', `name=${PREFIX}`, '--format', '{{.Names}}']);
  expect(stdout.trim()).toBe('');
}, 60_000);

it('runs ten ordinary programs correctly beside a fork bomb', async () => {
  const bomb = postCompile(stack, FORK_BOMB, { json: true, backend: 'nacl' });
  await sleep(1000); // the bomb is forking by now
  const tags = Array.from({ length: 10 }, (_, i) => `ordinary-${i}-${randomBytes(4).toString('hex')}`);
  const answers = await Promise.all(tags.map((t) => postCompile(stack, ordinary(t), { json: true, backend: 'nacl' })));
  const seen = answers.map((a, i) => ({ tag: tags[i], status: a.status, out: a.status === 200 ? output(a.json<CompileResponse>()) : a.text.slice(0, 200) }));
  expect(seen).toEqual(tags.map((tag) => ({ tag, status: 200, out: `${tag} 450000\n` })));
  const b = await bomb;
  // The bomb only hurts itself: its own answer, whichever limit it met first.
  expect([200, 500]).toContain(b.status);
}, 180_000);

it('gives every emulation container a user of its own, a seccomp allowlist and a CPU quota', async () => {
  // The pool refills behind the runs above: wait for its two warm containers. A container seen
  // by `docker ps` may be gone by `docker inspect` (a finished run's, being removed): skip it.
  let containers: Inspected[] = [];
  for (const deadline = Date.now() + 30_000; containers.length < 2 && Date.now() < deadline; await sleep(250)) {
    const { stdout } = await execFile$('docker', ['ps', '--no-trunc', '--filter', `name=${PREFIX}emulated-386_`, '--format', '{{.ID}}']);
    containers = [];
    for (const id of stdout.split('\n').filter(Boolean)) {
      const inspected = await execFile$('docker', ['inspect', id]).then((r) => JSON.parse(r.stdout) as Inspected[], () => []);
      containers.push(...inspected);
    }
  }
  expect(containers.length).toBeGreaterThanOrEqual(2);
  const users = containers.map((c) => c.Config.User);
  expect(new Set(users).size).toBe(users.length);
  for (const c of containers) {
    const [uid, gid] = c.Config.User.split(':').map(Number);
    expect(uid).toBeGreaterThanOrEqual(FIRST_UID);
    expect(gid).toBe(uid);
    expect(c.HostConfig.SecurityOpt.find((o) => o.startsWith('seccomp='))).toMatch(/"defaultAction":"SCMP_ACT_ERRNO"/);
    expect(c.HostConfig.NanoCpus).toBe(1e9);
  }
}, 60_000);
