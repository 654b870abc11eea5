import { buildSandboxSeccompFilter, DENIED_SYSCALLS, SECCOMP_ARCH, seccompVerdict } from './seccomp-filter';

describe('build sandbox seccomp filter', () => {
  const filter = buildSandboxSeccompFilter();

  it('allows what the go tools use', () => {
    // read, write, openat, mmap, clone, execve, wait4, futex, exit_group
    for (const nr of [0, 1, 257, 9, 56, 59, 61, 202, 231]) expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, nr)).toBe('allow');
  });

  it('refuses every listed call with EPERM', () => {
    for (const [name, nr] of Object.entries(DENIED_SYSCALLS)) {
      expect([name, seccompVerdict(filter, SECCOMP_ARCH.x86_64, nr)]).toEqual([name, 'eperm']);
    }
  });

  it('refuses the x32 ABI and kills any other architecture', () => {
    expect(seccompVerdict(filter, SECCOMP_ARCH.x86_64, 0x40000000 + 1)).toBe('eperm');
    expect(seccompVerdict(filter, SECCOMP_ARCH.i386, 1)).toBe('kill');
  });

  it('fits classic BPF jump offsets', () => {
    expect(filter.length % 8).toBe(0);
    expect(filter.length / 8).toBeLessThan(256);
  });
});
