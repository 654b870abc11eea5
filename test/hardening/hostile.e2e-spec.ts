/**
 * Hostile programs through the public POST /compile, on every backend the service has:
 * linux-amd64 (gVisor) and the legacy role (here the labelled emulation, linux/386 under runc).
 * Each one must get a clear answer; afterwards the service must still be healthy (a fresh hello
 * runs on both backends, the sandbox's /healthz is 200) and no container of the run is left.
 *
 * Real stack, nothing mocked: Go toolchain, Docker Engine with runsc and runc, SQLite. The only
 * addresses anything here aims at are this machine's loopback ports; the "network" programs
 * dial the host's own frontend and sandbox ports from inside the sandbox and must not connect.
 *
 * The build limits are the production defaults (BUILD_TIMEOUT_MS 10 s, binary 100 MiB): the
 * oversized binary is a real 101 MiB one and the slow build really runs into the 10 s limit.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { toSandbox, type Stack } from '../support/stack';
import { BuildDirs, go, postCompile, Reply, request } from '../frontend/helpers';
import { containers, freshHello, onlyWarmContainers, run, startHardeningStack, uniquePrefix } from './support';

const LINUX_AMD64 = 'linux-amd64';
const LEGACY_HEADER = 'nacl';
const LEGACY = 'nacl-emulated';
const POOL_SIZE = 2;
const BACKENDS = [
  { header: LINUX_AMD64, id: LINUX_AMD64 },
  { header: LEGACY_HEADER, id: LEGACY },
] as const;
type Backend = (typeof BACKENDS)[number]['id'];

interface Answer {
  backend: Backend;
  status: number;
  ms: number;
  text: string;
  json?: { Errors: string; Events: { Message: string; Kind: string; Delay: number }[] | null; Status: number };
  output: string;
}

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const prefix = uniquePrefix('hostile');
let stack: Stack;
let buildDirs: BuildDirs;
/** Answers that show the open holes (see the `known holes` block at the end). */
const knownHoles: { ptrace?: Answer; forge?: Record<Backend, Answer> } = {};
/** What every program answered, printed at the end (docs/reliability.md is written from it). */
const observed: Array<{ program: string; backend: string; status: number; ms: number; summary: string }> = [];

beforeAll(async () => {
  // A secret of the test process (the stack runs in it, so the service's process has it too).
  process.env.HARDENING_CANARY_SECRET = CANARY;
  buildDirs = new BuildDirs();
  stack = await startHardeningStack(prefix, { LEGACY_BACKEND: LEGACY, SANDBOX_POOL_SIZE: String(POOL_SIZE) }, [LINUX_AMD64, LEGACY_HEADER]);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  delete process.env.HARDENING_CANARY_SECRET;
  // eslint-disable-next-line no-console
  console.log(`hostile programs, observed:\n${observed.map((o) => `  ${o.program} on ${o.backend}: ${o.status} in ${Math.round(o.ms)} ms: ${o.summary}`).join('\n')}`);
  // Once the stack is stopped nothing of it may remain: not even the warm pool.
  expect(await containers(prefix)).toEqual([]);
  expect(await buildDirs.leftovers()).toEqual([]);
}, 120_000);

function summarise(a: Answer): string {
  if (!a.json) return a.text.slice(0, 160);
  const out = a.output.length > 160 ? `${a.output.slice(0, 160)}…(${a.output.length} chars)` : a.output;
  return `Errors=${JSON.stringify(a.json.Errors.slice(0, 160))} Status=${a.json.Status} output=${JSON.stringify(out)}`;
}

async function send(program: string, name: string, header: string, id: Backend): Promise<Answer> {
  const r: Reply = await postCompile(stack, program, { backend: header, json: true });
  const a: Answer = { backend: id, status: r.status, ms: r.ms, text: r.text, output: '' };
  if (r.status === 200) {
    a.json = r.json();
    a.output = (a.json!.Events ?? []).map((e) => e.Message).join('');
    expect(r.headers['x-playground-backend']).toBe(id);
  }
  observed.push({ program: name, backend: id, status: a.status, ms: a.ms, summary: summarise(a) });
  // No answer, whatever the program did, may carry a secret of the service.
  for (const secret of [CANARY, stack.tokens.releaseManager, stack.tokens.viewer]) expect(r.text).not.toContain(secret);
  return a;
}

/** Runs the program on both backends at once; returns the answers by backend. */
async function onBoth(name: string, program: string): Promise<Record<Backend, Answer>> {
  const answers = await Promise.all(BACKENDS.map((b) => send(program, name, b.header, b.id)));
  return Object.fromEntries(answers.map((a) => [a.backend, a])) as Record<Backend, Answer>;
}

/** The service is fine after the attack: fresh programs run on both backends, /healthz is 200, no run's container is left. */
async function expectHealthy(): Promise<void> {
  for (const b of BACKENDS) {
    const r = await postCompile(stack, freshHello('after'), { backend: b.header });
    expect({ backend: b.id, status: r.status }).toEqual({ backend: b.id, status: 200 });
    expect(r.json<{ Events: { Message: string }[] }>().Events.map((e) => e.Message).join('')).toMatch(/^hello, hardening after-[0-9a-f]{12}\n$/);
  }
  const health = await toSandbox(stack, '/healthz');
  expect({ status: health.status, body: health.json() }).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
  await onlyWarmContainers(prefix, POOL_SIZE);
}

function expectOk(a: Answer): NonNullable<Answer['json']> {
  expect({ backend: a.backend, status: a.status }).toEqual({ backend: a.backend, status: 200 });
  return a.json!;
}

/**
 * The answer for a program that took the sandbox down (out of memory or processes), as on the
 * Go playground: a 200 with the container's status (137 for the memory limit's SIGKILL, 2 for a
 * supervisor that could make no more threads) and nothing else.
 */
function isExhausted(a: Answer, status?: number): boolean {
  return a.status === 200 && a.json!.Errors === '' && a.json!.Events === null && (status === undefined ? a.json!.Status !== 0 : a.json!.Status === status);
}

/** A program stopped at its time limit: Errors empty, stderr ending with the notice, status 1. */
function isStopped(a: Answer): boolean {
  const stderr = a.json?.Events?.filter((e) => e.Kind === 'stderr').pop();
  return a.status === 200 && a.json!.Errors === '' && a.json!.Status === 1 && !!stderr?.Message.endsWith('timeout running program\n');
}

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

const MEMORY_BOMB = go`
  package main

  import "fmt"

  var keep [][]byte

  func main() {
    // 64 chunks of 16 MiB, every page touched: 1 GiB of resident memory.
    for i := 0; i < 64; i++ {
      b := make([]byte, 16<<20)
      for j := 0; j < len(b); j += 4096 {
        b[j] = 1
      }
      keep = append(keep, b)
    }
    fmt.Println("allocated 1 GiB")
  }
`;

const OUTPUT_FLOOD = go`
  package main

  import "os"

  func main() {
    chunk := make([]byte, 64<<10)
    for i := range chunk {
      chunk[i] = 'x'
    }
    for i := 0; i < (1<<30)/len(chunk); i++ {
      os.Stdout.Write(chunk)
    }
  }
`;

const FILL_TMPFS = go`
  package main

  import (
    "fmt"
    "os"
  )

  func main() {
    f, err := os.Create("/tmp/fill")
    if err != nil {
      fmt.Println("create failed:", err)
      return
    }
    chunk := make([]byte, 1<<20)
    total := 0
    for i := 0; i < 1024; i++ {
      n, err := f.Write(chunk)
      total += n
      if err != nil {
        fmt.Printf("write failed after %d MiB: %v\n", total>>20, err)
        return
      }
    }
    fmt.Println("wrote 1 GiB to /tmp without an error")
  }
`;

const BUSY_LOOP = go`
  package main

  func main() {
    for {
    }
  }
`;

const SELECT_FOREVER = go`
  package main

  func main() {
    select {}
  }
`;

const LONG_SLEEP = go`
  package main

  import (
    "fmt"
    "time"
  )

  func main() {
    time.Sleep(1000 * time.Hour)
    fmt.Println("woke after 1000 hours")
  }
`;

function dialProgram(ports: number[]): string {
  return go`
    package main

    import (
      "fmt"
      "net"
      "time"
    )

    func main() {
      for _, port := range []string{${ports.map((p) => `"${p}"`).join(', ')}} {
        c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 2*time.Second)
        if err != nil {
          fmt.Println("dial", port, "failed:", err)
          continue
        }
        c.Close()
        fmt.Println("dial", port, "CONNECTED")
      }
    }
  `;
}

const READ_FILES = go`
  package main

  import (
    "fmt"
    "os"
  )

  func main() {
    for _, p := range []string{"/etc/shadow", "/proc/1/environ"} {
      b, err := os.ReadFile(p)
      if err != nil {
        fmt.Printf("%s: error: %v\n", p, err)
        continue
      }
      fmt.Printf("%s: read: %q\n", p, b)
    }
  }
`;

const PTRACE = go`
  package main

  import (
    "fmt"
    "runtime"
    "syscall"
  )

  func main() {
    runtime.LockOSThread()
    if err := syscall.PtraceAttach(1); err != nil {
      fmt.Println("ptrace attach pid 1: refused:", err)
      return
    }
    fmt.Println("ptrace attach pid 1: ALLOWED")
    var ws syscall.WaitStatus
    syscall.Wait4(1, &ws, syscall.WALL, nil)
    syscall.PtraceDetach(1)
  }
`;

const MOUNT_UNSHARE = go`
  package main

  import (
    "fmt"
    "os"
    "os/exec"
    "syscall"
  )

  func report(what string, err error) {
    if err == nil {
      fmt.Printf("%s: ALLOWED\n", what)
      return
    }
    fmt.Printf("%s: refused: %v\n", what, err)
  }

  func main() {
    if len(os.Args) > 1 && os.Args[1] == "child" {
      // Only reached when new namespaces were granted: try to use them.
      report("mount in the new namespaces", syscall.Mount("none", "/tmp", "tmpfs", 0, ""))
      return
    }
    os.MkdirAll("/tmp/m", 0o755)
    report("mount tmpfs", syscall.Mount("none", "/tmp/m", "tmpfs", 0, ""))
    report("mount proc", syscall.Mount("proc", "/tmp/m", "proc", 0, ""))
    report("unshare network namespace", syscall.Unshare(syscall.CLONE_NEWNET))
    report("unshare user namespace", syscall.Unshare(syscall.CLONE_NEWUSER))
    report("unshare mount namespace", syscall.Unshare(syscall.CLONE_NEWNS))
    self, _ := os.Executable()
    cmd := exec.Command(self, "child")
    cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
    cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS}
    report("clone into new user+mount namespaces", cmd.Run())
  }
`;

/**
 * The supervisor's stdout is the result channel to the host; the program runs under the same
 * uid, so it may be able to open /proc/1/fd/1 and write a result of its own choosing.
 */
const FORGE_RESULT = go`
  package main

  import (
    "fmt"
    "os"
  )

  func main() {
    f, err := os.OpenFile("/proc/1/fd/1", os.O_WRONLY, 0)
    if err != nil {
      fmt.Println("result channel: refused:", err)
      return
    }
    // {"exitCode":0,"stdout":base64("forged!\n"),"stderr":""}
    _, err = f.Write([]byte("{\"exitCode\":0,\"stdout\":\"Zm9yZ2VkIQo=\",\"stderr\":\"\"}\n"))
    fmt.Println("result channel: written:", err)
  }
`;

/**
 * Program text on the supervisor's stderr, then 2.8 MiB without a newline on its stdout. (The
 * spinning goroutine keeps faketime's runtime from calling a blocked write a deadlock.)
 */
const RESULT_FLOOD = go`
  package main

  import (
    "bytes"
    "fmt"
    "os"
    "runtime"
  )

  func main() {
    go func() {
      for {
        runtime.Gosched()
      }
    }()
    if f, err := os.OpenFile("/proc/1/fd/2", os.O_WRONLY, 0); err == nil {
      f.Write([]byte("PROGRAM-TEXT-${CANARY.slice(-8)} on the supervisor's stderr\n"))
      f.Close()
    }
    f, err := os.OpenFile("/proc/1/fd/1", os.O_WRONLY, 0)
    if err != nil {
      fmt.Println("result channel: refused:", err)
      return
    }
    _, err = f.Write(bytes.Repeat([]byte("x"), 2800<<10))
    fmt.Println("result channel: flooded:", err)
  }
`;

/**
 * A child in a session of its own floods the supervisor's stdout without end; the program
 * prints 300 KB (so the result line is far longer than one atomic pipe write) and exits.
 */
const ESCAPED_WRITER = go`
  package main

  import (
    "bufio"
    "bytes"
    "fmt"
    "os"
    "os/exec"
    "runtime"
    "strings"
    "syscall"
  )

  func main() {
    go func() {
      for {
        runtime.Gosched()
      }
    }()
    if len(os.Args) > 1 && os.Args[1] == "child" {
      f, err := os.OpenFile("/proc/1/fd/1", os.O_WRONLY, 0)
      if err != nil {
        fmt.Println("refused")
        return
      }
      fmt.Println("flooding")
      junk := bytes.Repeat([]byte("y"), 64<<10)
      for {
        f.Write(junk)
      }
    }
    self, _ := os.Executable()
    child := exec.Command(self, "child")
    child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
    out, _ := child.StdoutPipe()
    if err := child.Start(); err != nil {
      fmt.Println("start:", err)
      return
    }
    state, _ := bufio.NewReader(out).ReadString('\n')
    fmt.Print(strings.Repeat("a", 99) + "\n")
    for i := 0; i < 3000; i++ {
      fmt.Print(strings.Repeat("b", 99) + "\n")
    }
    // (the child's line carries faketime's playback header: look for the word)
    if strings.Contains(state, "flooding") {
      fmt.Println("child: flooding")
    } else {
      fmt.Println("child: refused")
    }
  }
`;

/**
 * Every catchable signal sent to PID 1, the supervisor (same uid as the program). SIGKILL and
 * SIGSTOP are left out: they cannot be caught (see docs/reliability.md).
 */
const SIGNAL_SUPERVISOR = go`
  package main

  import (
    "fmt"
    "syscall"
  )

  var spin uint64

  func main() {
    for _, s := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTRAP, syscall.SIGABRT, syscall.SIGUSR1, syscall.SIGSEGV, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM, syscall.SIGTERM, syscall.SIGSYS} {
      fmt.Printf("kill(1, %d): %v\n", int(s), syscall.Kill(1, s))
    }
    // Real time for the signals to land (faketime makes time.Sleep instant).
    for i := 0; i < 300000000; i++ {
      spin += uint64(i)
    }
    fmt.Println("still here", spin > 0)
  }
`;

/** A binary of about 70 MiB: under the 100 MiB build limit, past the 64 MiB /tmp it must fit. */
function binaryPastTmpfs(): string {
  return go`
    package main

    var big = [70 << 20]byte{1, 2, 3}

    const nonce = "${randomBytes(6).toString('hex')}"

    func main() { println(big[0], nonce) }
  `;
}

const PRINT_ENV = go`
  package main

  import (
    "fmt"
    "os"
  )

  func main() {
    for _, kv := range os.Environ() {
      fmt.Println("env:", kv)
    }
    b, err := os.ReadFile("/proc/self/environ")
    fmt.Printf("self environ: %q %v\n", b, err)
  }
`;

/** A 101 MiB initialised array: the linker writes it out whole, so the binary is over 100 MiB. */
function hugeBinary(): string {
  return go`
    package main

    var big = [101 << 20]byte{1, 2, 3}

    const nonce = "${randomBytes(6).toString('hex')}"

    func main() { println(big[0], nonce) }
  `;
}

/**
 * Mutually recursive functions that the compiler's inliner chews on for minutes (and gigabytes:
 * left alone it reached 23 GB), so the build can only end by the build timeout.
 */
function slowBuild(): string {
  let s = `package main\n\nimport "fmt"\n\nconst nonce = "${randomBytes(6).toString('hex')}"\n\n`;
  for (let i = 0; i < 1500; i++) s += `func f${i}(x int) int { if x > ${i} { return x*${i} + f${(i + 1) % 1500}(x-1) }; return x ^ ${i} }\n`;
  return `${s}func main() { fmt.Println(nonce, f0(3)) }\n`;
}

/** Go tool processes (compile, link, go) whose play-build-* directory no longer exists. */
async function orphanCompilers(): Promise<string[]> {
  const ps = await run('ps', ['-eo', 'pid=,args=']);
  return ps.stdout.split('\n').filter((l) => {
    const m = /(\/\S*\/play-build-[A-Za-z0-9]+)/.exec(l);
    return m !== null && !fs.existsSync(m[1]);
  });
}

describe('hostile programs on every backend', () => {
  it('fork bomb: stopped, with the sandbox exhausted (the container\'s status) or a timeout', async () => {
    const a = await onBoth('fork bomb', FORK_BOMB);
    for (const x of Object.values(a)) {
      const clear = isExhausted(x) || isStopped(x) || (x.status === 200 && /timeout running program|Output too large/.test(x.json!.Errors)) || (x.status === 200 && x.json!.Status !== 0);
      expect({ backend: x.backend, clear, answer: summarise(x) }).toEqual({ backend: x.backend, clear: true, answer: expect.any(String) });
    }
    // gVisor: the bomb takes the whole sandbox down; the answer is the container's status.
    expect({ exhausted: isExhausted(a[LINUX_AMD64]), answer: summarise(a[LINUX_AMD64]) }).toEqual({ exhausted: true, answer: expect.any(String) });
    await expectHealthy();
  });

  it('1 GiB memory bomb: stopped at the 100 MiB limit', async () => {
    const a = await onBoth('memory bomb 1 GiB', MEMORY_BOMB);
    expect(isExhausted(a[LINUX_AMD64], 137)).toBe(true);
    // runc: the kernel's OOM killer ends the program (a signal: 255) and the supervisor reports
    // it, or the whole sandbox goes down (137): never "allocated 1 GiB".
    const legacy = a[LEGACY];
    expect(isExhausted(legacy, 137) || (legacy.status === 200 && legacy.json!.Status === 255)).toBe(true);
    for (const x of Object.values(a)) expect(x.output).not.toContain('allocated 1 GiB');
    await expectHealthy();
  });

  it('1 GiB output flood: "Output too large"', async () => {
    const a = await onBoth('output flood 1 GiB', OUTPUT_FLOOD);
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Errors).toBe('Output too large');
      expect(j.Events).toBeNull();
    }
    await expectHealthy();
  });

  it('filling the tmpfs: the program sees "no space left on device"', async () => {
    const a = await onBoth('fill /tmp', FILL_TMPFS);
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Errors).toBe('');
      expect(x.output).toMatch(/^write failed after \d+ MiB: write \/tmp\/fill: no space left on device\n$/);
      const mib = Number(/after (\d+) MiB/.exec(x.output)![1]);
      expect(mib).toBeLessThanOrEqual(64); // SANDBOX_TMPFS_MB
    }
    await expectHealthy();
  });

  it('busy loop: "timeout running program" ending stderr at the run limit less 0.5 s', async () => {
    const a = await onBoth('busy loop', BUSY_LOOP);
    for (const x of Object.values(a)) {
      expectOk(x);
      expect({ backend: x.backend, stopped: isStopped(x), answer: summarise(x) }).toEqual({ backend: x.backend, stopped: true, answer: expect.any(String) });
      expect(x.ms).toBeGreaterThanOrEqual(4500);
      expect(x.ms).toBeLessThan(5000 + 30_000);
    }
    await expectHealthy();
  });

  it('select {}: Go\'s deadlock error, status 2, no timeout', async () => {
    const a = await onBoth('select {}', SELECT_FOREVER);
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Status).toBe(2);
      expect(x.output).toContain('fatal error: all goroutines are asleep - deadlock!');
      // Not a timeout: the runtime saw the deadlock (the answer's time includes the build, so a
      // loaded machine says nothing about the run; Errors would say "timeout running program").
      expect(j.Errors).toBe('');
    }
    await expectHealthy();
  });

  it('a 1000-hour sleep: instant on virtual time, the delay in the events', async () => {
    const a = await onBoth('sleep 1000 h', LONG_SLEEP);
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Errors).toBe('');
      expect(x.output).toBe('woke after 1000 hours\n');
      // 1000 hours passed on the virtual clock within the 5 s run limit (else: a timeout error).
      expect(j.Events![0].Delay).toBe(1000 * 3600 * 1e9);
    }
    await expectHealthy();
  });

  it('dialing the host\'s frontend and sandbox ports on 127.0.0.1: never connects', async () => {
    const ports = [new URL(stack.frontendUrl).port, new URL(stack.sandboxUrl).port].map(Number);
    const a = await onBoth('dial 127.0.0.1 (frontend, sandbox ports)', dialProgram(ports));
    for (const x of Object.values(a)) {
      expectOk(x);
      expect(x.output).not.toContain('CONNECTED');
      for (const p of ports) expect(x.output).toMatch(new RegExp(`^dial ${p} failed: dial tcp 127\\.0\\.0\\.1:${p}: .*(refused|unreachable|timeout)`, 'm'));
    }
    await expectHealthy();
  });

  it('reading /etc/shadow and /proc/1/environ: no shadow file, no secret of the service', async () => {
    const a = await onBoth('read /etc/shadow, /proc/1/environ', READ_FILES);
    for (const x of Object.values(a)) {
      expectOk(x);
      expect(x.output).toMatch(/^\/etc\/shadow: error: open \/etc\/shadow: (no such file or directory|permission denied)$/m);
      // /proc/1 is the supervisor: its environment is the container's own settings, nothing else.
      expect(x.output).not.toMatch(/ADMIN_TOKENS|HARDENING_CANARY|DATABASE_PATH/);
    }
    await expectHealthy();
  });

  it('ptrace of the supervisor (pid 1): refused under gVisor', async () => {
    const a = await onBoth('ptrace attach pid 1', PTRACE);
    expectOk(a[LINUX_AMD64]);
    expect(a[LINUX_AMD64].output).toBe('ptrace attach pid 1: refused: operation not permitted\n');
    // runc (the emulation): see the known hole below. Whatever the program does to its
    // supervisor, the host's backstop (run timeout + 3 s) still ends the run and the container.
    expect(a[LEGACY].status).toBe(200);
    expect(a[LEGACY].ms).toBeLessThan(5000 + 3000 + 15_000);
    knownHoles.ptrace = a[LEGACY];
    await expectHealthy();
  });

  it('mount and unshare: no mount anywhere, no new network or user namespace', async () => {
    const a = await onBoth('mount, unshare', MOUNT_UNSHARE);
    for (const x of Object.values(a)) {
      expectOk(x);
      for (const what of ['mount tmpfs', 'mount proc', 'unshare network namespace', 'unshare user namespace']) {
        // unshare(CLONE_NEWUSER) is EINVAL for a multi-threaded process (every Go program), before any permission check
        expect(x.output).toMatch(new RegExp(`^${what}: refused: (operation not permitted|invalid argument)$`, 'm'));
      }
      expect(x.output).not.toMatch(/^mount.*: ALLOWED$/m);
    }
    // runc: Docker's seccomp profile refuses every namespace without CAP_SYS_ADMIN.
    expect(a[LEGACY].output).toMatch(/^unshare mount namespace: refused: operation not permitted$/m);
    expect(a[LEGACY].output).toMatch(/^clone into new user\+mount namespaces: refused: fork\/exec \/tmp\/a\.out: operation not permitted$/m);
    // gVisor grants a private mount namespace, and a user namespace by clone, inside its own
    // kernel; they confer nothing: a mount in them is still refused.
    expect(a[LINUX_AMD64].output).toMatch(/^unshare mount namespace: (ALLOWED|refused: operation not permitted)$/m);
    expect(a[LINUX_AMD64].output).toMatch(/^(mount in the new namespaces: refused: operation not permitted\nclone into new user\+mount namespaces: ALLOWED|clone into new user\+mount namespaces: refused: .*)$/m);
    await expectHealthy();
  });

  it('writing to the sandbox\'s result channel (/proc/1/fd/1): the program\'s own answer, service healthy', async () => {
    const a = await onBoth('forge the result via /proc/1/fd/1', FORGE_RESULT);
    for (const x of Object.values(a)) expectOk(x);
    knownHoles.forge = a;
    await expectHealthy();
  });

  it('flooding the result channel without a newline, program text on the supervisor\'s stderr: the program\'s own answer, no program text in any message', async () => {
    const a = await onBoth('flood /proc/1/fd/1, write /proc/1/fd/2', RESULT_FLOOD);
    expect(a[LINUX_AMD64].output).toBe('result channel: flooded: <nil>\n');
    expect(a[LEGACY].output).toMatch(/^result channel: refused: .*permission denied\n$/);
    for (const x of Object.values(a)) {
      expectOk(x);
      expect(x.text).not.toContain(CANARY.slice(-8));
    }
    await expectHealthy();
  });

  it('a child that escaped the program\'s process group floods the result channel while the answer is written: the program\'s own answer', async () => {
    const a = await onBoth('escaped child floods /proc/1/fd/1', ESCAPED_WRITER);
    const printed = `${'a'.repeat(99)}\n${`${'b'.repeat(99)}\n`.repeat(3000)}`;
    expect(a[LINUX_AMD64].output).toBe(`${printed}child: flooding\n`);
    expect(a[LEGACY].output).toBe(`${printed}child: refused\n`);
    for (const x of Object.values(a)) expect(expectOk(x).Status).toBe(0);
    await expectHealthy();
  });

  it('signalling the supervisor (PID 1) with every catchable signal: the program\'s own answer', async () => {
    const a = await onBoth('signal PID 1', SIGNAL_SUPERVISOR);
    for (const x of Object.values(a)) {
      expect(expectOk(x).Status).toBe(0);
      expect(x.output).toMatch(/^(kill\(1, \d+\): <nil>\n){12}still here true\n$/);
    }
    await expectHealthy();
  });

  it('a build producing a 70 MiB binary, past the 64 MiB /tmp it must fit: refused with a message, nothing run', async () => {
    const a = await onBoth('binary past /tmp', binaryPastTmpfs());
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Errors).toMatch(/^binary too large: \d+ bytes exceeds the sandbox's limit of 66060288$/);
      expect(Number(/(\d+) bytes/.exec(j.Errors)![1])).toBeGreaterThan(70 << 20);
      expect(j.Events).toBeNull();
    }
    await expectHealthy();
  });

  it('printing the whole environment: a clean one, no admin token, no secret of the service', async () => {
    const a = await onBoth('print environment', PRINT_ENV);
    for (const x of Object.values(a)) {
      expectOk(x);
      expect(x.output).toContain('env: HOME=/tmp');
      expect(x.output).not.toMatch(/ADMIN_TOKENS|HARDENING_CANARY|SANDBOX_|DATABASE_PATH/);
      // (send() already checked that neither token nor the canary appears anywhere in the answer)
    }
    await expectHealthy();
  });

  it('a build producing a 101 MiB binary: refused by the 100 MiB limit, nothing run', async () => {
    const a = await onBoth('binary over 100 MiB', hugeBinary());
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      expect(j.Errors).toMatch(/^binary too large: \d+ bytes exceeds the limit of 104857600$/);
      expect(Number(/(\d+) bytes/.exec(j.Errors)![1])).toBeGreaterThan(100 << 20);
      expect(j.Events).toBeNull();
    }
    await expectHealthy();
  });

  it('a build that runs past the 10 s build timeout: "timeout running go build", no temp dir left', async () => {
    const a = await onBoth('build past the 10 s timeout', slowBuild());
    for (const x of Object.values(a)) {
      const j = expectOk(x);
      // The message, then what the build printed until it was stopped (nothing, here).
      expect(j.Errors).toMatch(/^timeout running go build\n/);
      expect(x.ms).toBeGreaterThanOrEqual(10_000);
      expect(x.ms).toBeLessThan(10_000 + 30_000);
    }
    expect(await buildDirs.leftovers(20_000)).toEqual([]);
    // The compiler was killed with its process group, not left chewing (and growing) in the
    // background: no compiler process still names a build directory that is gone.
    expect(await orphanCompilers()).toEqual([]);
    await expectHealthy();
  });
});

/**
 * Holes this suite found and that are now closed (docs/reliability.md): the supervisor is not
 * dumpable, so under runc the program can neither ptrace it nor open its /proc files; under
 * gVisor, which ignores that flag for /proc/1/fd, the host accepts only the result line that
 * carries the run's nonce, so whatever the program writes there is ignored.
 */
describe('the supervisor and its result channel are out of the program\'s reach', () => {
  it('runc emulation: ptrace of the supervisor (pid 1, same uid 65534) is refused', () => {
    expect(knownHoles.ptrace).toBeDefined();
    expect(knownHoles.ptrace!.output).toMatch(/^ptrace attach pid 1: refused/);
  });

  it('runc emulation: the program cannot open the result channel /proc/1/fd/1', () => {
    expect(knownHoles.forge?.[LEGACY].output).toMatch(/^result channel: refused/);
  });

  it('gVisor: a result written to /proc/1/fd/1 is ignored; the answer is the program\'s real output', () => {
    const x = knownHoles.forge?.[LINUX_AMD64];
    expect(x?.status).toBe(200);
    expect(x!.output).toMatch(/^result channel: (written|refused)/);
    expect(x!.output).not.toContain('forged!');
  });
});
