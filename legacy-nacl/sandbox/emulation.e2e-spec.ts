/**
 * The NaCl EMULATION end to end (this machine has no NaCl toolchain and no sel_ldr, so the
 * real nacl-amd64p32 path is unavailable and every "nacl" request lands on the emulation):
 * real programs through the real frontend and sandbox, linux/386 builds run under runc,
 * compared with linux/amd64 under gVisor. Nothing here runs NaCl, and nothing is mocked.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';
import { startFrontendStack, Stack, toSandbox } from '../../test/support/stack';
import { buildGo, decodeRun, stripPlayback } from '../../test/support/go-build';
import { Reply, sleep } from '../../test/support/http';
import { CompileResponse, output, postCompile } from '../../test/support/compile';
import { FIRST_UID } from './emulation-confinement';

const execFile$ = promisify(execFile);
const PREFIX = `play_test_${process.pid}_`; // what startStack names our containers

type Role = 'nacl' | 'linux-amd64';

async function compile(stack: Stack, source: string, role: Role): Promise<{ reply: Reply; body: CompileResponse }> {
  const reply = await postCompile(stack, source, { json: true, backend: role });
  if (reply.status !== 200) throw new Error(`/compile (${role}) answered ${reply.status}: ${reply.text.slice(0, 500)}`);
  return { reply, body: reply.json<CompileResponse>() };
}

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n';

const WORD_SIZE = `package main

import (
	"fmt"
	"runtime"
	"unsafe"
)

func main() { fmt.Println(unsafe.Sizeof(0), runtime.GOARCH) }
`;

// 1 << 40 is a valid int constant where int has 64 bits, and overflows a 32-bit int.
const OVERFLOW = `package main

import "fmt"

func main() {
	var i int = 1 << 40
	fmt.Println(i)
}
`;

// What a program can see of its confinement.
const PROBE = `package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

func main() {
	err := os.WriteFile("/probe-root-write", []byte("x"), 0o644)
	fmt.Printf("root-write-error=%v\\n", err)
	fmt.Printf("root-write-erofs=%v\\n", errors.Is(err, syscall.EROFS))
	fmt.Printf("tmp-write-error=%v\\n", os.WriteFile("/tmp/probe", []byte("x"), 0o644))
	fmt.Printf("uid=%d gid=%d euid=%d\\n", os.Getuid(), os.Getgid(), os.Geteuid())
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Printf("status-error=%v\\n", err)
		return
	}
	for _, line := range strings.Split(string(status), "\\n") {
		for _, key := range []string{"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:"} {
			if strings.HasPrefix(line, key) {
				fmt.Println(strings.Join(strings.Fields(line), " "))
			}
		}
	}
}
`;

describe('NaCl emulation (linux/386 under runc) through the frontend and the sandbox', () => {
  let stack: Stack;

  beforeAll(async () => {
    // startFrontendStack returns once linux-amd64 runs a program.
    stack = await startFrontendStack({
      SANDBOX_POOL_SIZE: '1',
      // This machine has neither; say so explicitly so an operator's environment cannot leak in.
      NACL_GOROOT: '',
      NACL_SEL_LDR: '',
      LEGACY_BACKEND: 'auto',
      NACL_EMULATION_POOL_SIZE: '1',
    });
    // The frontend learns what the sandbox can run by polling it: wait until the nacl role answers too.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await postCompile(stack, HELLO, { json: true, backend: 'nacl' });
      if (r.status === 200) break;
      if (Date.now() > deadline || r.status !== 503) throw new Error(`the nacl role never became ready: ${r.status} ${r.text.slice(0, 300)}`);
      await sleep(250);
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    // Neither a warm container nor a run's container of ours may outlive the stack.
    const { stdout } = await execFile$('docker', ['ps', '-a', '--filter', `name=${PREFIX}`, '--format', '{{.Names}}']);
    expect(stdout.trim()).toBe('');
  }, 60_000);

  it('labels the emulation as such in the response headers', async () => {
    const nacl = await compile(stack, HELLO, 'nacl');
    expect(nacl.reply.headers['x-playground-backend']).toBe('nacl-emulated');
    const label = nacl.reply.headers['x-playground-emulation'];
    expect(typeof label).toBe('string');
    expect(label).toMatch(/emulation/i);
    const linuxAmd64 = await compile(stack, HELLO, 'linux-amd64');
    expect(linuxAmd64.reply.headers['x-playground-backend']).toBe('linux-amd64');
    expect(linuxAmd64.reply.headers['x-playground-emulation']).toBeUndefined();
  });

  it('has 32-bit int and GOARCH 386 on the emulation, 64-bit int and amd64 on linux-amd64', async () => {
    const nacl = await compile(stack, WORD_SIZE, 'nacl');
    expect(nacl.body.Errors).toBe('');
    expect(output(nacl.body)).toBe('4 386\n'); // not amd64p32: the emulation does not pretend to be NaCl
    const linuxAmd64 = await compile(stack, WORD_SIZE, 'linux-amd64');
    expect(linuxAmd64.body.Errors).toBe('');
    expect(output(linuxAmd64.body)).toBe('8 amd64\n');
  });

  it('fails to build 1 << 40 into an int on the emulation with Go\'s overflow error; linux-amd64 builds and runs it', async () => {
    const nacl = await compile(stack, OVERFLOW, 'nacl');
    expect(nacl.body.Errors).toMatch(/overflows/);
    expect(nacl.body.Events).toBeNull();
    const linuxAmd64 = await compile(stack, OVERFLOW, 'linux-amd64');
    expect(linuxAmd64.body.Errors).toBe('');
    expect(output(linuxAmd64.body)).toBe(`${2 ** 40}\n`);
    expect(linuxAmd64.body.Status).toBe(0);
  });

  it('gives hello world identical Events on both', async () => {
    const nacl = await compile(stack, HELLO, 'nacl');
    const linuxAmd64 = await compile(stack, HELLO, 'linux-amd64');
    expect(nacl.body.Events).toEqual([{ Message: 'hello, world\n', Kind: 'stdout', Delay: 0 }]);
    expect(nacl.body.Events).toEqual(linuxAmd64.body.Events);
    expect({ ...nacl.body, Events: null }).toEqual({ ...linuxAmd64.body, Events: null });
  });

  it('reports in the sandbox\'s /status that sel_ldr is unavailable (naming NACL_SEL_LDR) and the emulation available', async () => {
    const r = await toSandbox(stack, '/status');
    expect(r.status).toBe(200);
    const runners = r.json<{ runners: Array<{ id: string; legacy: boolean; available: boolean; reason?: string }> }>().runners;
    const selLdr = runners.find((x) => x.id === 'nacl-sel-ldr');
    expect(selLdr).toEqual(expect.objectContaining({ legacy: true, available: false, reason: expect.stringContaining('NACL_SEL_LDR') }));
    const emulated = runners.find((x) => x.id === 'emulated-386');
    expect(emulated).toEqual(expect.objectContaining({ legacy: true, available: true }));
    expect(emulated?.reason).toBeUndefined();
  });

  it('leaves a linux/amd64 program that merely prints the NaCl entry symbol\'s name to gVisor', async () => {
    // A plain byte search for _rt0_amd64p32_nacl would hand this binary to the (unavailable) sel_ldr runner.
    const src = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("_rt0_amd64p32_nacl") }\n';
    const linuxAmd64 = await compile(stack, src, 'linux-amd64');
    expect(linuxAmd64.reply.headers['x-playground-backend']).toBe('linux-amd64');
    expect(linuxAmd64.body.Errors).toBe('');
    expect(output(linuxAmd64.body)).toBe('_rt0_amd64p32_nacl\n');
  });

  it('runs a linux/386 binary POSTed to /run in a locked-down runc container', async () => {
    // The warm container that will take the program: the same spec every run of the pool gets.
    const { stdout: ids } = await execFile$('docker', ['ps', '--no-trunc', '--filter', `name=${PREFIX}emulated-386_`, '--format', '{{.ID}}']);
    const id = ids.split('\n').filter(Boolean)[0];
    expect(id).toBeTruthy();
    const { stdout: inspected } = await execFile$('docker', ['inspect', id]);
    const [c] = JSON.parse(inspected) as Array<{ Config: { User: string }; HostConfig: Record<string, unknown> }>;
    expect(c.HostConfig.Runtime).toBe('runc');
    expect(c.HostConfig.ReadonlyRootfs).toBe(true);
    expect(c.HostConfig.CapDrop).toEqual(['ALL']);
    expect(c.HostConfig.NetworkMode).toBe('none');
    expect(c.HostConfig.SecurityOpt).toEqual(expect.arrayContaining(['no-new-privileges']));
    const [uid] = c.Config.User.split(':').map(Number);
    expect(c.Config.User).toBe(`${uid}:${uid}`); // a user of its own (emulation-isolation.e2e-spec.ts)
    expect(uid).toBeGreaterThanOrEqual(FIRST_UID);

    const binary = await buildGo(PROBE, { goarch: '386' });
    const reply = await toSandbox(stack, '/run', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: binary });
    expect(reply.status).toBe(200);
    const run = decodeRun(reply.json());
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const out = stripPlayback(run.stdout);
    const lines = new Map(out.split('\n').filter(Boolean).map((l) => {
      const at = l.search(/[=:]/);
      return [l.slice(0, at), l.slice(at + 1).trim()] as const;
    }));
    expect(lines.get('root-write-error')).toMatch(/read-only file system/);
    expect(lines.get('root-write-erofs')).toBe('true');
    expect(lines.get('tmp-write-error')).toBe('<nil>'); // the exec-able tmpfs is the one writable place
    expect(out).toMatch(new RegExp(`^uid=${uid} gid=${uid} euid=${uid}$`, 'm'));
    for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(lines.get(cap)).toBe('0000000000000000');
    expect(lines.get('NoNewPrivs')).toBe('1');
    expect(lines.get('Seccomp')).toBe('2'); // the emulation's own seccomp allowlist, which runc applies
  }, 120_000);
});
