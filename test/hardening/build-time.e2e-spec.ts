/**
 * Build-time attacks through the public POST /compile: what a stranger's files can make the
 * go command, the compiler, the assembler and the linker do before anything runs. Each must be
 * refused with a clear build error or contained in the build sandbox: no host file's content in
 * any answer, no secret of the service, no host command run (a marker file that a command
 * would create stays absent), no connection to anything but the module proxy relay.
 *
 * The service runs with GOPROXY=file://<a proxy folder>,direct: the folder holds one module,
 * and answers everything else as missing, the way the public proxy answers (404/410), which
 * is when the go command would fall back to `direct` and run git. Nothing here leaves this
 * machine; a listener on the host's loopback counts connections that must never arrive.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { Stack } from '../support/stack';
import { CompileResponse, output, postCompile } from '../support/compile';
import { fileModuleProxy } from '../support/module-proxy';
import { BuildDirs, go } from '../frontend/helpers';
import { startHardeningStack, uniquePrefix } from './support';

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const MARKER = path.join(os.tmpdir(), `play-marker-${randomBytes(6).toString('hex')}`);
const prefix = uniquePrefix('buildtime');
const proxy = fileModuleProxy([{
  path: 'example.com/greet',
  version: 'v1.0.0',
  files: { 'greet.go': 'package greet\n\nfunc Hello() string { return "hello from a module" }\n' },
}]);
let stack: Stack;
let buildDirs: BuildDirs;
let listener: net.Server;
let connections = 0;
let canaryAddr = '';
const hostPasswd = fs.readFileSync('/etc/passwd', 'utf8').split('\n').filter((l) => l.includes(':'));

beforeAll(async () => {
  process.env.HARDENING_CANARY_SECRET = CANARY;
  // The fake module has no entry in the public checksum database.
  process.env.GONOSUMDB = 'example.com';
  listener = net.createServer((s) => { connections++; s.destroy(); });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  canaryAddr = `127.0.0.1:${(listener.address() as net.AddressInfo).port}`;
  buildDirs = new BuildDirs();
  stack = await startHardeningStack(prefix, { GOPROXY: `${proxy.url},direct` });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  listener?.close();
  delete process.env.HARDENING_CANARY_SECRET;
  delete process.env.GONOSUMDB;
  fs.rmSync(proxy.dir, { recursive: true, force: true });
  expect(connections).toBe(0);
  expect(fs.existsSync(MARKER)).toBe(false);
  expect(await buildDirs.leftovers()).toEqual([]);
}, 60_000);

/** Compiles a txtar on linux-amd64 and checks that no secret and no host file is in the answer. */
async function attempt(body: string): Promise<CompileResponse & { text: string }> {
  const r = await postCompile(stack, body, { json: true });
  expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status: 200, text: expect.any(String) });
  for (const secret of [CANARY, stack.tokens.releaseManager, stack.tokens.viewer]) expect(r.text).not.toContain(secret);
  for (const line of hostPasswd) expect(r.text).not.toContain(line);
  return { ...r.json<CompileResponse>(), text: r.text };
}

const ASM_PROGRAM = 'package main\n\nfunc f()\n\nfunc main() { f() }\n';

describe('files of the host, through the assembler and the compiler', () => {
  it('an #include of a host file in a .s file finds nothing there', async () => {
    const r = await attempt(`${ASM_PROGRAM}-- x.s --\n#include "/etc/passwd"\nTEXT ·f(SB),0,$0\n\tRET\n`);
    expect(r.Errors).toMatch(/x\.s:\d+: #include: open .*etc\/passwd: no such file or directory/);
  });

  it('an #include chain through a .h file reaches neither host files nor the service\'s environment', async () => {
    const r = await attempt(`${ASM_PROGRAM}-- x.s --\n#include "x.h"\nTEXT ·f(SB),0,$0\n\tRET\n-- x.h --\n#include "/proc/${process.pid}/environ"\n#include "/etc/shadow"\n`);
    expect(r.Errors).toMatch(/#include: open .*environ: no such file or directory/);
  });

  it('/proc/self/environ shows the sandbox\'s own environment only', async () => {
    const r = await attempt(`${ASM_PROGRAM}-- x.s --\n#include "/proc/self/environ"\nTEXT ·f(SB),0,$0\n\tRET\n`);
    expect(r.Errors).toMatch(/environ:1:\d+: invalid character NUL/);
    expect(r.text).not.toMatch(/ADMIN_TOKENS|SANDBOX_URL|HARDENING_CANARY_SECRET/);
  });

  it.each([
    ['/etc/passwd', /pattern \/etc\/passwd: invalid pattern syntax/],
    ['../../../../etc/passwd', /pattern \.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd: invalid pattern syntax/],
  ])('//go:embed %s is refused', async (pattern, error) => {
    const r = await attempt(go`
      package main

      import _ "embed"

      //go:embed ${pattern}
      var s string

      func main() { println(s) }
    `);
    expect(r.Errors).toMatch(error);
  });

  it('//go:embed * sees the request\'s own files and nothing else', async () => {
    const r = await attempt(`${go`
      package main

      import (
        "embed"
        "fmt"
      )

      //go:embed *
      var files embed.FS

      func main() {
        es, _ := files.ReadDir(".")
        for _, e := range es {
          fmt.Println(e.Name())
        }
      }
    `}\n-- note.txt --\nmine\n`);
    expect(r.Errors).toBe('');
    expect(output(r).split('\n').filter(Boolean).sort()).toEqual(['go.mod', 'note.txt', 'prog.go']);
  });
});

describe('the go command: modules, version control, toolchains, workspaces', () => {
  it('a third-party module arrives through the module proxy relay', async () => {
    const r = await attempt(`${go`
      package main

      import (
        "fmt"

        "example.com/greet"
      )

      func main() { fmt.Println(greet.Hello()) }
    `}\n-- go.mod --\nmodule play\n\ngo 1.21\n\nrequire example.com/greet v1.0.0\n`);
    expect({ errors: r.Errors, out: output(r) }).toEqual({ errors: '', out: 'hello from a module\n' });
  });

  it('a module the proxy lacks never falls back to git, whatever .gitconfig the request brings', async () => {
    const gitconfig = `[protocol "ext"]\n\tallow = always\n[url "ext::sh -c touch% ${MARKER}% #"]\n\tinsteadOf = https://github.com/\n`;
    const r = await attempt(`${go`
      package main

      import "github.com/attacker/notthere"

      func main() { notthere.Run() }
    `}\n-- go.mod --\nmodule play\n\ngo 1.21\n\nrequire github.com/attacker/notthere v1.0.0\n-- .gitconfig --\n${gitconfig}-- .config/git/config --\n${gitconfig}-- .netrc --\nmachine github.com login x password ${CANARY}\n`);
    expect(r.Errors).toMatch(/github\.com\/attacker\/notthere.*(404|not found)/i);
    expect(r.Errors).toContain(proxy.url); // named as the operator configured it, not the relay's address
    expect(fs.existsSync(MARKER)).toBe(false);
  });

  it('a module path that names a host address goes nowhere', async () => {
    const r = await attempt(`${go`
      package main

      import "${canaryAddr}/x"

      func main() { x.Run() }
    `}\n-- go.mod --\nmodule play\n\ngo 1.21\n\nrequire ${canaryAddr}/x v1.0.0\n`);
    expect(r.Errors).not.toBe('');
    expect(connections).toBe(0);
  });

  it.each([
    ['an absolute directory', 'replace example.com/x => /usr/local/go/src/fmt', 'go.mod:5'],
    ['a directory outside the program', 'replace example.com/x => ../../../../../etc', 'go.mod:5'],
  ])('a replace to %s is refused with a clear build error', async (_what, directive, where) => {
    const r = await attempt(`package main\n\nimport "example.com/x"\n\nfunc main() { x.F() }\n-- go.mod --\nmodule play\n\ngo 1.21\n\n${directive}\n`);
    expect(r.Errors).toBe(`${where}: ${directive}: a directory replacement must stay inside the program (the playground builds only the files you sent)\n`);
  });

  it('a replace to a directory inside the program builds', async () => {
    const r = await attempt(`package main\n\nimport "example.com/local"\n\nfunc main() { println(local.Name) }\n-- go.mod --\nmodule play\n\ngo 1.21\n\nrequire example.com/local v0.0.0\n\nreplace example.com/local => ./local\n-- local/go.mod --\nmodule example.com/local\n-- local/local.go --\npackage local\n\nconst Name = "local"\n`);
    expect({ errors: r.Errors, out: output(r) }).toEqual({ errors: '', out: 'local\n' });
  });

  it('a go.work file is refused', async () => {
    const r = await attempt(`package main\n\nfunc main() {}\n-- go.work --\ngo 1.21\n\nuse /usr/local/go/src\n`);
    expect(r.Errors).toMatch(/go\.work files are not supported/);
  });

  it('a go.mod asking for a newer Go does not download one', async () => {
    const r = await attempt(`package main\n\nfunc main() {}\n-- go.mod --\nmodule play\n\ngo 1.99\n\ntoolchain go1.99.1\n`);
    expect(r.Errors).toMatch(/requires go >= 1\.99.*GOTOOLCHAIN=local/);
  });

  it('a go env file in the request is not read', async () => {
    const r = await attempt(`package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("env file ignored") }\n-- .config/go/env --\nGOFLAGS=-toolexec=/bin/false\nGOPROXY=direct\n`);
    expect({ errors: r.Errors, out: output(r) }).toEqual({ errors: '', out: 'env file ignored\n' });
  });

  it('cgo is off: a file that imports "C" is not built', async () => {
    const r = await attempt(`package main\n\n// #cgo LDFLAGS: -Wl,-rpath,/etc\n// #include "/etc/passwd"\nimport "C"\n\nfunc main() {}\n`);
    expect(r.Errors).toMatch(/build constraints exclude all Go files/);
  });
});

describe('a build that would never end', () => {
  // 2^31 × 32 bytes of string constant: the compiler works until the build's time or memory runs out.
  const bomb = `package main\n\nconst a0 = "0123456789abcdef0123456789abcdef"\n${Array.from({ length: 31 }, (_, i) => `const a${i + 1} = a${i} + a${i}\n`).join('')}\nfunc main() { println(len(a31)) }\n`;

  it('is stopped at its limit with the contract\'s message, and not cached', async () => {
    const first = await attempt(bomb);
    expect(first.Errors).toMatch(/^timeout running go build\n|ran out of memory/);
    const began = Date.now();
    const again = await attempt(bomb);
    expect(again.Errors).toBe(first.Errors);
    if (first.Errors.startsWith('timeout')) expect(Date.now() - began).toBeGreaterThan(5_000);
  }, 60_000);
});
