import { sandboxContainerSpec, SandboxLimits } from './container-spec';
import { sandboxOciSpec } from './oci-spec';

const limits: SandboxLimits = { memoryMb: 100, pidsLimit: 128, processLimit: 48, tmpfsMb: 64, runTimeoutMs: 5000, outputLimitBytes: 1 << 20, maxBinaryBytes: 100 << 20 };

interface Oci {
  process: { user: { uid: number; gid: number }; args: string[]; env: string[]; noNewPrivileges: boolean; capabilities: Record<string, string[]> };
  root: { path: string; readonly: boolean };
  mounts: Array<{ destination: string; type: string; options?: string[] }>;
  linux: { namespaces: Array<{ type: string }>; resources: { memory: { limit: number; swap: number }; pids: { limit: number } }; cgroupsPath: string };
}

describe('sandboxOciSpec: what runsc gets without Docker', () => {
  const spec = sandboxOciSpec({ name: 'play_run_gvisor_abc', rootfs: '/srv/rootfs', cgroupParent: 'playground-sandbox', limits }) as Oci;

  it('runs the supervisor as nobody with no capability and no way to gain one', () => {
    expect(spec.process.user).toEqual({ uid: 65534, gid: 65534 });
    expect(spec.process.args).toEqual(['/supervisor']);
    expect(spec.process.noNewPrivileges).toBe(true);
    for (const set of Object.values(spec.process.capabilities)) expect(set).toEqual([]);
  });

  it('mounts the root read-only and nothing of the host but /proc and a sized, exec-able /tmp', () => {
    expect(spec.root).toEqual({ path: '/srv/rootfs', readonly: true });
    expect(spec.mounts.map((m) => `${m.destination}:${m.type}`)).toEqual(['/proc:proc', '/tmp:tmpfs']);
    expect(spec.mounts[1].options).toEqual(expect.arrayContaining(['exec', 'nosuid', 'nodev', 'size=64m']));
  });

  it('gives every namespace anew, the network one included, and limits memory (no swap) and processes in its own cgroup', () => {
    expect(spec.linux.namespaces.map((n) => n.type).sort()).toEqual(['ipc', 'mount', 'network', 'pid', 'uts']);
    expect(spec.linux.resources.memory).toEqual({ limit: 100 << 20, swap: 100 << 20 });
    expect(spec.linux.resources.pids.limit).toBe(128);
    expect(spec.linux.cgroupsPath).toBe('/playground-sandbox/play_run_gvisor_abc');
  });

  it('hands the supervisor the same settings as a Docker container gets', () => {
    const docker = sandboxContainerSpec({ image: 'i', runtime: 'runsc', name: 'n', pool: 'gvisor', limits });
    expect(spec.process.env).toEqual(docker.Env);
  });
});
