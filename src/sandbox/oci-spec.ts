import { SandboxLimits, supervisorEnv, tmpfsOptions } from './container-spec';

/**
 * The OCI runtime configuration (config.json of a bundle) of one sandbox that runsc runs without
 * Docker: the same locked-down shape as sandboxContainerSpec gives Docker. gVisor is the trust
 * boundary; user 65534, no capabilities, no-new-privileges, a read-only root of nothing but the
 * supervisor and the time zone database, an exec-able size-limited /tmp, fresh namespaces
 * (the network one empty: runsc runs with --network=none), memory and process limits in a cgroup
 * of its own under `cgroupParent`.
 */
export function sandboxOciSpec(input: { name: string; rootfs: string; cgroupParent: string; limits: SandboxLimits }): object {
  const { limits } = input;
  const memory = limits.memoryMb * 1024 * 1024;
  const none: string[] = [];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 65534, gid: 65534 },
      args: ['/supervisor'],
      cwd: '/',
      env: supervisorEnv(limits),
      capabilities: { bounding: none, effective: none, inheritable: none, permitted: none, ambient: none },
      noNewPrivileges: true,
    },
    root: { path: input.rootfs, readonly: true },
    hostname: 'sandbox',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: tmpfsOptions(limits).split(',') },
    ],
    linux: {
      namespaces: ['pid', 'ipc', 'uts', 'mount', 'network'].map((type) => ({ type })),
      resources: { memory: { limit: memory, swap: memory }, pids: { limit: limits.pidsLimit } },
      cgroupsPath: `/${input.cgroupParent}/${input.name}`,
    },
  };
}
