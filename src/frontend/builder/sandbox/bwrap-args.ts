export interface SandboxMount {
  host: string;
  inside: string;
  writable?: boolean;
}

export interface BwrapSpec {
  /** Everything the sandbox sees of the host; nothing else is there. */
  mounts: SandboxMount[];
  env: Record<string, string>;
  cwd: string;
  /** Size of the sandbox's /tmp (the go command's work directories). */
  tmpfsBytes: number;
  /** The file descriptor carrying the seccomp filter. */
  seccompFd: number;
  /** Where bubblewrap reports the child it started (and so that it started at all). */
  statusFd: number;
  command: string[];
}

/**
 * bubblewrap's command line for one tool run. Every namespace is new: the sandbox has its own
 * users, processes, network (loopback only), IPC, hostname and cgroup view. (Not
 * --disable-userns: our helper makes one nested user and mount namespace to mount the build
 * cache's layer; the tools' seccomp filter, loaded after it, refuses any further namespace.) Its root is an empty tmpfs turned read-only once the mounts are in place, with
 * a fresh /proc of its own processes and a minimal /dev. The environment is exactly `env`.
 */
export function bwrapArgs(spec: BwrapSpec): string[] {
  const args = [
    '--unshare-all', '--unshare-user',
    '--uid', '65534', '--gid', '65534', '--hostname', 'play',
    '--die-with-parent', '--new-session', '--clearenv',
    '--proc', '/proc', '--dev', '/dev',
    '--size', String(spec.tmpfsBytes), '--tmpfs', '/tmp',
  ];
  for (const m of spec.mounts) args.push(m.writable ? '--bind' : '--ro-bind', m.host, m.inside);
  args.push('--remount-ro', '/', '--chdir', spec.cwd);
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  args.push('--json-status-fd', String(spec.statusFd), '--seccomp', String(spec.seccompFd), '--', ...spec.command);
  return args;
}
