/**
 * One frontend in front of two sandbox hosts: A a sandbox service process, B the sandbox
 * service image run as a sandbox VM runs it (scripts/sandbox-service-container.sh: the Docker
 * socket mounted, sibling gVisor containers), each with its own container prefix as two VMs
 * would have their own Docker. Runs are shared
 * by load; a host killed with SIGKILL costs no request that had not reached it (a refused
 * connection is tried on the other host); a host stopped with SIGTERM drains: the runs it holds
 * finish, new ones go elsewhere; the admin API shows each host. Real stack, loopback only.
 */
import {
  adminAt, buildPrivateDist, compileAt, outputOf, processStackEnv, ProcessStackEnv, Proc, requestFrom, startFrontendProc, startSandboxProc, stopProc, uniquePrefix, waitFor,
  containers, PROJECT, run,
} from '../hardening/support';
import * as path from 'path';
import { freePort } from '../support/http';

let dist: string;
let a: ProcessStackEnv;
let hostA: Proc | undefined;
let hostB: string | undefined; // the container's name
let frontend: Proc | undefined;
let url: string;
let opsA: number;
let opsB: number;

/** The environment of host B: A's settings with its own ports and container prefix. */
let b: ProcessStackEnv;

const program = (tag: string): { source: string; expected: string } => {
  const text = `hosts ${tag} ${Math.random().toString(36).slice(2)}`;
  const source = `package main

import "fmt"

func main() { fmt.Println(${JSON.stringify(text)}) }
`;
  return { source, expected: `${text}\n` };
};

async function runsCorrectly(p: { source: string; expected: string }): Promise<string> {
  const r = await compileAt(url, p.source, 'linux-amd64', { timeoutMs: 120_000 });
  if (r.status !== 200) return `${r.status} ${r.text.slice(0, 300)}`;
  const out = outputOf(r);
  return out === p.expected ? 'ok' : `wrong output ${JSON.stringify(out)} (errors: ${JSON.stringify(r.json<{ Errors: string }>().Errors)})`;
}

function docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('docker', args, 120_000);
}

async function startContainer(name: string, env: Record<string, string>): Promise<void> {
  const r = await run('bash', [path.join(PROJECT, 'scripts', 'sandbox-service-container.sh'), name], 120_000, { ...process.env, ...env });
  if (r.code !== 0) throw new Error(`the sandbox service container did not start: ${r.stderr}`);
}

/** Runs a host has answered, from its /metrics. */
async function runsOn(opsPort: number): Promise<number> {
  const text = (await requestFrom(`http://127.0.0.1:${opsPort}/metrics`)).text;
  return [...text.matchAll(/^sandbox_runs_total\{pool="gvisor",outcome="ok"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

async function hostsView(): Promise<{ url: string; state: string }[]> {
  return (await adminAt(url, 'GET', '/admin/api/state', a.tokens.viewer)).json<{ sandboxHosts: { url: string; state: string }[] }>().sandboxHosts;
}

beforeAll(async () => {
  dist = await buildPrivateDist();
  opsA = await freePort();
  opsB = await freePort();
  a = await processStackEnv('hosts-a', { SANDBOX_OPS_PORT: String(opsA) });
  const other = await processStackEnv('hosts-b');
  b = {
    ...a,
    sandboxPort: other.sandboxPort,
    prefix: uniquePrefix('hosts-b'),
    env: { ...a.env, SANDBOX_PORT: String(other.sandboxPort), SANDBOX_OPS_PORT: String(opsB), SANDBOX_CONTAINER_PREFIX: uniquePrefix('hosts-b') },
  };
  // Not under its own prefix: the service removes containers of its prefix when it starts.
  hostB = `svc_${b.prefix}`;
  const started = startContainer(hostB, b.env);
  hostA = await startSandboxProc(dist, a);
  await started;
  frontend = await startFrontendProc(dist, a, { SANDBOX_URL: `http://127.0.0.1:${a.sandboxPort},http://127.0.0.1:${b.sandboxPort}` });
  url = `http://127.0.0.1:${a.frontendPort}`;
}, 600_000);

afterAll(async () => {
  await Promise.all([stopProc(frontend), stopProc(hostA, 30_000), hostB ? docker(['rm', '-f', hostB]) : null]);
  // A container killed outright leaves its siblings; the next start with its prefix would reap them.
  const left = (await containers(b.prefix)).map((c) => c.name);
  if (left.length) await docker(['rm', '-f', ...left]);
}, 120_000);

describe('several sandbox hosts behind one frontend', () => {
  it('shares runs between the hosts and shows each in the admin API', async () => {
    expect(await waitFor(async () => (await hostsView()).every((h) => h.state === 'up'), 30_000)).toBe(true);
    const before = [await runsOn(opsA), await runsOn(opsB)];
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => runsCorrectly(program(`share-${i}`))));
    expect(answers).toEqual(Array(8).fill('ok'));
    const served = [(await runsOn(opsA)) - before[0], (await runsOn(opsB)) - before[1]];
    console.log(`8 concurrent runs: host A ${served[0]}, host B ${served[1]}`);
    expect(served[0] + served[1]).toBe(8);
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
    expect((await hostsView()).map((h) => h.url)).toEqual([`http://127.0.0.1:${a.sandboxPort}`, `http://127.0.0.1:${b.sandboxPort}`]);
  }, 300_000);

  it('loses no request to a host killed with SIGKILL: a refused connection is tried on the other host', async () => {
    hostA!.child.kill('SIGKILL');
    await hostA!.exited;
    // At once, before any poll has noticed: the frontend still thinks A is up.
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => runsCorrectly(program(`killed-${i}`))));
    expect(answers).toEqual(Array(6).fill('ok'));
    expect(await waitFor(async () => (await hostsView())[0].state === 'down', 10_000)).toBe(true);
    // Back again, it is used again.
    hostA = await startSandboxProc(dist, a);
    expect(await waitFor(async () => (await hostsView())[0].state === 'up', 30_000)).toBe(true);
  }, 300_000);

  it('drains the container host when it is stopped (SIGTERM): the runs it holds finish, new ones go to the other host', async () => {
    const bUrl = `http://127.0.0.1:${b.sandboxPort}`;
    const auth = { Authorization: `Bearer ${a.env.SANDBOX_TOKEN}` };
    const admittedOnB = async (): Promise<number> => (await requestFrom(`${bUrl}/status`, { headers: auth })).json<{ admitted: number }>().admitted;
    // Programs that run until their time limit, so that they are surely running on B when it is
    // stopped; their own answer is the timeout, however busy the machine is.
    const forever = 'package main\n\nfunc main() {\n\tfor {\n\t}\n}\n';
    const timedOut = async (i: number): Promise<string> => {
      const r = await compileAt(url, `${forever}// ${i} ${Math.random()}\n`, 'linux-amd64', { timeoutMs: 120_000 });
      return r.status === 200 && r.text.includes('timeout running program') ? 'timeout' : `${r.status} ${r.text.slice(0, 300)}`;
    };
    const inFlight = Promise.all([0, 1, 2, 3].map(timedOut));
    expect(await waitFor(async () => (await admittedOnB()) > 0, 60_000, 50)).toBe(true);
    const stopped = docker(['stop', '-t', '30', hostB!]);
    const afterStop = await Promise.all(Array.from({ length: 4 }, (_, i) => runsCorrectly(program(`after-stop-${i}`))));
    expect(await inFlight).toEqual(Array(4).fill('timeout'));
    expect(afterStop).toEqual(Array(4).fill('ok'));
    expect((await stopped).code).toBe(0);
    const logs = await docker(['logs', hostB!]);
    expect(logs.stdout + logs.stderr).toMatch(/draining: \d+ run\(s\) to finish/);
    expect(logs.stdout + logs.stderr).not.toMatch(/drain ended with/);
    // Its sibling containers went with it.
    expect(await containers(b.prefix)).toEqual([]);
    await docker(['rm', '-f', hostB!]);
    hostB = undefined;
  }, 300_000);
});
