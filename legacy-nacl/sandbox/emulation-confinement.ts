import { randomInt } from 'crypto';
import type { ContainerConfinement } from '../../src/sandbox/container-spec';

/**
 * The emulation runs a stranger's 32-bit code natively under runc, on the host's kernel (gVisor
 * cannot run 32-bit binaries, and no user-mode 386 emulator runs Go programs inside it: QEMU
 * 7.2's qemu-i386 crashes Go's runtime, see docs/reliability.md). So each run gets what gVisor
 * would otherwise give it:
 *
 * - a user of its own: RLIMIT_NPROC counts the processes of a user across the whole host, so
 *   with one shared user (65534) one run's fork bomb used up every other run's threads;
 * - a seccomp profile of only the calls a Go program and the supervisor make (Docker's default
 *   allows several hundred), as an allowlist, clone without namespace flags;
 * - a CPU quota, so a busy loop takes its share and no more.
 */
export class EmulationConfinement {
  private next = randomInt(SPAN);

  constructor(private readonly nanoCpus: number) {}

  /** A fresh confinement for one container: users rotate through a range no other pool uses. */
  take(): ContainerConfinement {
    const uid = FIRST_UID + (this.next++ % SPAN);
    return { user: `${uid}:${uid}`, seccompProfile: EMULATION_SECCOMP_PROFILE, nanoCpus: this.nanoCpus };
  }
}

/**
 * 2^20 users from 2^20 on: far above system and login users, and a run's container lives
 * seconds, so a user comes round again only after a million runs of this sandbox service (one
 * per Docker host, as in production). Starting at a random point keeps a restarted service
 * clear of its predecessor's last users.
 */
export const FIRST_UID = 1 << 20;
const SPAN = 1 << 20;

/** clone's namespace flags (CLONE_NEWNS … CLONE_NEWNET): a run may create none. */
const CLONE_NAMESPACES = 0x7e020000;

// From tracing Go programs (runtime, goroutines, timers, GC, files in /tmp, pipes, loopback
// sockets, os/exec of itself, signals, panics) on linux/386 and linux/amd64, and the
// supervisor (amd64), plus what the standard library can reach in the same families.
const ALLOWED = [
  'accept', 'accept4', 'access', 'arch_prctl', 'bind', 'brk', 'chdir', 'clock_getres', 'clock_getres_time64',
  'clock_gettime', 'clock_gettime64', 'clock_nanosleep', 'clock_nanosleep_time64', 'close', 'close_range', 'connect',
  'dup', 'dup2', 'dup3', 'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_pwait', 'epoll_pwait2', 'epoll_wait',
  'eventfd', 'eventfd2', 'execve', 'exit', 'exit_group', 'faccessat', 'faccessat2', 'fadvise64', 'fadvise64_64',
  'fchdir', 'fchmod', 'fchmodat', 'fcntl', 'fcntl64', 'fdatasync', 'flock', 'fstat', 'fstat64', 'fstatat64',
  'fstatfs', 'fstatfs64', 'fsync', 'ftruncate', 'ftruncate64', 'futex', 'futex_time64', 'getcwd', 'getdents',
  'getdents64', 'getegid', 'getegid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getgroups', 'getgroups32',
  'getitimer', 'getpeername', 'getpgid', 'getpgrp', 'getpid', 'getppid', 'getpriority', 'getrandom', 'getresgid',
  'getresgid32', 'getresuid', 'getresuid32', 'getrlimit', 'getrusage', 'getsid', 'getsockname', 'getsockopt',
  'gettid', 'gettimeofday', 'getuid', 'getuid32', 'ioctl', 'kill', 'lchown', 'link', 'linkat', 'listen', 'lseek',
  '_llseek', 'lstat', 'lstat64', 'madvise', 'membarrier', 'mincore', 'mkdir', 'mkdirat', 'mlock', 'mmap', 'mmap2',
  'mprotect', 'mremap', 'munlock', 'munmap', 'nanosleep', 'newfstatat', 'open', 'openat', 'openat2', 'pause',
  'pidfd_open', 'pidfd_send_signal', 'pipe', 'pipe2', 'poll', 'ppoll', 'ppoll_time64', 'prctl', 'pread64',
  'preadv', 'prlimit64', 'pselect6', 'pselect6_time64', 'pwrite64', 'pwritev', 'read', 'readlink', 'readlinkat',
  'readv', 'recvfrom', 'recvmmsg', 'recvmsg', 'rename', 'renameat', 'renameat2', 'restart_syscall', 'rmdir',
  'rseq', 'rt_sigaction', 'rt_sigpending', 'rt_sigprocmask', 'rt_sigqueueinfo', 'rt_sigreturn', 'rt_sigsuspend',
  'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_tgsigqueueinfo', 'sched_getaffinity', 'sched_getparam',
  'sched_getscheduler', 'sched_yield', 'select', '_newselect', 'sendfile', 'sendfile64', 'sendmmsg', 'sendmsg',
  'sendto', 'set_robust_list', 'set_thread_area', 'set_tid_address', 'setitimer', 'setpgid', 'setrlimit',
  'setsid', 'setsockopt', 'shutdown', 'sigaltstack', 'sigreturn', 'socket', 'socketcall', 'socketpair', 'stat',
  'stat64', 'statfs', 'statfs64', 'statx', 'symlink', 'symlinkat', 'sysinfo', 'tgkill', 'time', 'timer_create',
  'timer_delete', 'timer_getoverrun', 'timer_gettime', 'timer_gettime64', 'timer_settime', 'timer_settime64',
  'times', 'tkill', 'truncate', 'truncate64', 'ugetrlimit', 'umask', 'uname', 'unlink', 'unlinkat', 'utimensat',
  'utimensat_time64', 'vfork', 'wait4', 'waitid', 'waitpid', 'write', 'writev',
];

/** Docker's seccomp JSON: everything not allowed fails with EPERM. */
const EMULATION_SECCOMP_PROFILE = JSON.stringify({
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: 1,
  archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }],
  syscalls: [
    { names: ALLOWED, action: 'SCMP_ACT_ALLOW' },
    { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: CLONE_NAMESPACES, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] },
    // Without clone3 a C library falls back to clone, whose flags the rule above can see.
    { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
  ],
});
