/**
 * The build sandbox itself, probed from the inside: a program of ours (built on the host from
 * the source below, never a user's) runs where the go tools run over a stranger's files, and
 * reports what it can reach. Everything is real: bubblewrap, the seccomp filter, the cgroups
 * the set-up delegates, the module proxy relay. The only address dialled is this machine's
 * loopback, where a listener counts connections that must never arrive.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Settings, validateSettings } from '../../src/platform/config/settings';
import { BuildService } from '../../src/frontend/builder/build.service';
import { describeToolchain } from '../../src/frontend/builder/toolchain';
import { sandboxToolEnv } from '../../src/frontend/builder/build-target';
import { IN_SANDBOX } from '../../src/frontend/builder/sandbox/sandbox-layout';
import type { ToolResult } from '../../src/frontend/builder/sandbox/build-sandbox';
import { buildGo, goBinary } from '../support/go-build';
import { go } from '../frontend/helpers';

const PROBE = go`
  package main

  import (
    "encoding/json"
    "net"
    "os"
    "strconv"
    "strings"
    "syscall"
    "time"
  )

  func try(f func() error) string {
    if err := f(); err != nil {
      return err.Error()
    }
    return "ok"
  }

  func raw(nr uintptr, a ...uintptr) func() error {
    return func() error {
      for len(a) < 3 {
        a = append(a, 0)
      }
      if _, _, e := syscall.RawSyscall(nr, a[0], a[1], a[2]); e != 0 {
        return e
      }
      return nil
    }
  }

  func main() {
    switch os.Args[1] {
    case "memory":
      var keep [][]byte
      for i := 0; i < 64; i++ {
        b := make([]byte, 32<<20)
        for j := range b {
          b[j] = 1
        }
        keep = append(keep, b)
      }
      println(len(keep))
      return
    case "sleep":
      time.Sleep(time.Hour)
      return
    }
    host, canary := os.Args[2], os.Args[3]
    r := map[string]string{
      "read /etc/passwd":     try(func() error { _, err := os.ReadFile("/etc/passwd"); return err }),
      "read a host file":     try(func() error { _, err := os.ReadFile(host); return err }),
      "read the parent env":  try(func() error { _, err := os.ReadFile("/proc/" + os.Args[4] + "/environ"); return err }),
      "write /goroot":        try(func() error { return os.WriteFile("/goroot/x", nil, 0o644) }),
      "write /":              try(func() error { return os.WriteFile("/x", nil, 0o644) }),
      "write /gocache-base":  try(func() error { return os.WriteFile("/gocache-base/x", nil, 0o644) }),
      "write /tmp":           try(func() error { return os.WriteFile("/tmp/x", nil, 0o644) }),
      "dial 127.0.0.1":       try(func() error { c, err := net.DialTimeout("tcp", canary, time.Second); if err == nil { c.Close() }; return err }),
      "dial [::1]":           try(func() error { c, err := net.DialTimeout("tcp", "[::1]:"+strings.Split(canary, ":")[1], time.Second); if err == nil { c.Close() }; return err }),
      "ptrace":               try(raw(syscall.SYS_PTRACE, syscall.PTRACE_TRACEME)),
      "unshare user":         try(func() error { return syscall.Unshare(syscall.CLONE_NEWUSER) }),
      "mount":                try(func() error { return syscall.Mount("none", "/tmp", "tmpfs", 0, "") }),
      "keyctl":               try(raw(250, 0)),
      "bpf":                  try(raw(321, 0)),
      "uid":                  strconv.Itoa(os.Getuid()),
      "env":                  strings.Join(os.Environ(), " "),
    }
    var root, procs []string
    if es, err := os.ReadDir("/"); err == nil {
      for _, e := range es {
        root = append(root, e.Name())
      }
    }
    if es, err := os.ReadDir("/proc"); err == nil {
      for _, e := range es {
        if _, err := strconv.Atoi(e.Name()); err == nil {
          procs = append(procs, e.Name())
        }
      }
    }
    if status, err := os.ReadFile("/proc/self/status"); err == nil {
      for _, line := range strings.Split(string(status), "\n") {
        if k, v, ok := strings.Cut(line, ":"); ok && (strings.HasPrefix(k, "Cap") || k == "NoNewPrivs" || k == "Seccomp") {
          r[k] = strings.TrimSpace(v)
        }
      }
    }
    r["write the cache layer"] = try(func() error { return os.WriteFile("/cache/go/probe-entry", []byte("mine"), 0o644) })
    r["root"] = strings.Join(root, " ")
    r["processes"] = strconv.Itoa(len(procs))
    json.NewEncoder(os.Stdout).Encode(r)
  }
`;

const SECRET = `secret-${randomBytes(8).toString('hex')}`;
let builds: BuildService;
let probe: string;
let secretFile: string;
let listener: net.Server;
let canary: string;
let connections = 0;
const toolchain = describeToolchain(goBinary());

beforeAll(async () => {
  process.env.BUILD_SANDBOX_PROBE_SECRET = SECRET;
  builds = new BuildService(new Settings(validateSettings(process.env)));
  expect(await builds.checkSandbox(toolchain)).toBeNull();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-probe-'));
  probe = path.join(dir, 'probe');
  fs.writeFileSync(probe, await buildGo(PROBE, { tags: '' }), { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  secretFile = path.join(dir, 'secret');
  fs.writeFileSync(secretFile, SECRET, { mode: 0o644 });
  listener = net.createServer((s) => { connections++; s.destroy(); });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  canary = `127.0.0.1:${(listener.address() as net.AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  delete process.env.BUILD_SANDBOX_PROBE_SECRET;
  listener?.close();
  if (probe) fs.rmSync(path.dirname(probe), { recursive: true, force: true });
});

async function runProbe(args: string[], timeoutMs = 30_000): Promise<ToolResult> {
  const ws = builds.sandbox.workspace();
  try {
    return await builds.sandbox.run(ws, {
      toolchain,
      command: [`${IN_SANDBOX.tools}/probe`, ...args],
      env: sandboxToolEnv(),
      timeoutMs,
      tools: [probe],
      moduleProxy: true,
    });
  } finally {
    ws.remove();
  }
}

describe('the build sandbox, seen from inside', () => {
  let seen: Record<string, string>;

  beforeAll(async () => {
    const r = await runProbe(['look', secretFile, canary, String(process.pid)]);
    expect({ code: r.code, output: r.output.slice(0, 300) }).toEqual({ code: 0, output: expect.any(String) });
    seen = JSON.parse(r.stdout);
  }, 60_000);

  it('shows nothing of the host but the toolchain, the request and its own mounts', () => {
    expect(seen.root.split(' ').sort()).toEqual(['cache', 'dev', 'gocache-base', 'goroot', 'out', 'play', 'proc', 'run', 'sandbox', 'tmp'].sort());
    expect(seen['read /etc/passwd']).toMatch(/no such file/);
    expect(seen['read a host file']).toMatch(/no such file/);
    expect(seen['read the parent env']).toMatch(/no such file/);
  });

  it('sees only its own processes, as an unprivileged user', () => {
    expect(Number(seen.processes)).toBeLessThanOrEqual(3); // bubblewrap's init, the helper, the probe
    expect(seen.uid).toBe('65534');
  });

  it('can write only its scratch space, never the toolchain, the shared cache or its root', () => {
    expect(seen['write /tmp']).toBe('ok');
    for (const where of ['write /goroot', 'write /', 'write /gocache-base']) expect([where, seen[where]]).toEqual([where, expect.stringMatching(/read-only file system/)]);
  });

  it('has no network: the host\'s own loopback ports are out of reach', () => {
    expect(seen['dial 127.0.0.1']).toMatch(/connection refused/);
    expect(seen['dial [::1]']).toMatch(/connection refused|cannot assign|network is unreachable/);
    expect(connections).toBe(0);
  });

  it('refuses the kernel interfaces a compiler never needs, and new user namespaces', () => {
    for (const call of ['ptrace', 'mount', 'keyctl', 'bpf', 'unshare user']) {
      expect([call, seen[call]]).toEqual([call, expect.stringMatching(/operation not permitted|no space left/)]);
    }
  });

  it('holds no capability and can gain none, under a seccomp filter', () => {
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect([set, seen[set]]).toEqual([set, '0000000000000000']);
    expect(seen.NoNewPrivs).toBe('1');
    expect(seen.Seccomp).toBe('2');
  });

  it('writes its build cache into a layer of its own, never into the shared cache', () => {
    expect(seen['write the cache layer']).toBe('ok');
    const base = builds.sandbox.cacheBase(toolchain);
    expect(fs.existsSync(path.join(base, 'probe-entry'))).toBe(false);
  });

  it('carries none of the service\'s environment', () => {
    expect(seen.env).not.toContain(SECRET);
    expect(seen.env).not.toMatch(/ADMIN_TOKENS|SANDBOX_URL|DATABASE_PATH/);
  });
});

describe('the build sandbox\'s limits', () => {
  it('stops a tool that outgrows its memory, and says it was memory', async () => {
    const r = await runProbe(['memory']);
    expect(r.code).not.toBe(0);
    expect(r.outOfMemory).toBe(true);
  }, 60_000);

  it('stops a tool at its time limit and leaves nothing running', async () => {
    const r = await runProbe(['sleep'], 1500);
    expect(r.timedOut).toBe(true);
    const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`${IN_SANDBOX.tools}/probe`);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  }, 60_000);
});
