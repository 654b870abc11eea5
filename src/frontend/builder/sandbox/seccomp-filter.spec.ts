import { buildSandboxSeccompFilter, DENIED_SYSCALLS, SECCOMP_ARCH, seccompVerdict } from './seccomp-filter';

const CLONE = 56;
const CLONE_THREAD_FLAGS = 0x3d0f00; // what Go's runtime passes for a new thread
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNS = 0x20000;

describe('build sandbox seccomp filters', () => {
  for (const stage of ['bootstrap', 'tools'] as const) {
    const filter = buildSandboxSeccompFilter(stage);

    it(`${stage}: allows what the go tools use`, () => {
      // read, write, openat, mmap, clone (a thread), execve, wait4, futex, exit_group
      for (const nr of [0, 1, 257, 9, 59, 61, 202, 231]) expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, nr)).toBe('allow');
      expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, CLONE, CLONE_THREAD_FLAGS)).toBe('allow');
    });

    it(`${stage}: refuses the listed calls with EPERM`, () => {
      for (const [name, nr] of Object.entries(DENIED_SYSCALLS)) {
        if (name === 'mount' && stage === 'bootstrap') continue;
        expect([name, seccompVerdict(filter, SECCOMP_ARCH.x86_64, nr)]).toEqual([name, 'eperm']);
      }
    });

    it(`${stage}: refuses the x32 ABI and kills any other architecture`, () => {
      expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, 0x40000000 + 1)).toBe('eperm');
      expect(seccompVerdict(filter, SECCOMP_ARCH.i386, 1)).toBe('kill');
    });
  }

  it('bootstrap lets the helper mount its cache layer in a namespace of its own', () => {
    const filter = buildSandboxSeccompFilter('bootstrap');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, DENIED_SYSCALLS.mount)).toBe('allow');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, CLONE, CLONE_NEWUSER | CLONE_NEWNS)).toBe('allow');
  });

  it('tools refuses mount, clone into any new namespace, and clone3', () => {
    const filter = buildSandboxSeccompFilter('tools');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, DENIED_SYSCALLS.mount)).toBe('eperm');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, CLONE, CLONE_NEWUSER)).toBe('eperm');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, CLONE, CLONE_THREAD_FLAGS | CLONE_NEWNS)).toBe('eperm');
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, 435)).toBe('enosys');
  });
});
