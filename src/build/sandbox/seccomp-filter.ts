/**
 * The seccomp filter of the build sandbox, as the raw classic-BPF program bubblewrap loads
 * (`--seccomp FD`). Namespaces already hide the host; this takes away the kernel interfaces a
 * compiler never needs and that have a history of privilege escalations, so a bug in a go tool
 * that lets input take it over meets a smaller kernel. Denied calls fail with EPERM; any
 * other syscall ABI than x86-64 (32-bit int 0x80, x32) ends the process.
 */

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const EPERM = 1;

const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const RET_ALLOW = 0x7fff0000;

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

/** x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) no go tool uses. */
export const DENIED_SYSCALLS: Readonly<Record<string, number>> = {
  syslog: 103, ptrace: 101, uselib: 134, personality: 135, ustat: 136, vhangup: 153, pivot_root: 155,
  _sysctl: 156, adjtimex: 159, chroot: 161, acct: 163, settimeofday: 164, mount: 165, umount2: 166,
  swapon: 167, swapoff: 168, reboot: 169, sethostname: 170, setdomainname: 171, iopl: 172, ioperm: 173,
  create_module: 174, init_module: 175, delete_module: 176, get_kernel_syms: 177, query_module: 178,
  quotactl: 179, nfsservctl: 180, lookup_dcookie: 212, clock_settime: 227, kexec_load: 246, add_key: 248,
  request_key: 249, keyctl: 250, migrate_pages: 256, unshare: 272, move_pages: 279, perf_event_open: 298,
  name_to_handle_at: 303, open_by_handle_at: 304, clock_adjtime: 305, setns: 308, process_vm_readv: 310,
  process_vm_writev: 311, kcmp: 312, finit_module: 313, kexec_file_load: 320, bpf: 321, userfaultfd: 323,
  io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, open_tree: 428, move_mount: 429,
  fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
};

function insn(code: number, jt: number, jf: number, k: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(code, 0);
  b.writeUInt8(jt, 2);
  b.writeUInt8(jf, 3);
  b.writeUInt32LE(k >>> 0, 4);
  return b;
}

let program: Buffer | undefined;

/** struct sock_filter[] in host byte order, ready to write to bubblewrap's fd. */
export function buildSandboxSeccompFilter(): Buffer {
  if (program) return program;
  const denied = [...new Set(Object.values(DENIED_SYSCALLS))];
  const out: Buffer[] = [
    insn(LD_W_ABS, 0, 0, 4), // seccomp_data.arch
    insn(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
    insn(RET_K, 0, 0, RET_KILL_PROCESS),
    insn(LD_W_ABS, 0, 0, 0), // seccomp_data.nr
  ];
  // Then: the x32 check and one comparison per denied call, each jumping to the EPERM return
  // after the ALLOW one.
  const checks = 1 + denied.length;
  out.push(insn(JGE_K, checks, 0, X32_SYSCALL_BIT));
  denied.forEach((nr, i) => out.push(insn(JEQ_K, checks - 1 - i, 0, nr)));
  out.push(insn(RET_K, 0, 0, RET_ALLOW));
  out.push(insn(RET_K, 0, 0, RET_ERRNO | EPERM));
  return (program = Buffer.concat(out));
}

/** Runs the filter for one call, as the kernel would (for the spec: it proves the jumps). */
export function seccompVerdict(filter: Buffer, arch: number, nr: number): 'allow' | 'eperm' | 'kill' {
  let acc = 0;
  for (let pc = 0; pc < filter.length / 8;) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    if (code === LD_W_ABS) acc = k === 4 ? arch : nr;
    else if (code === JEQ_K) { pc += 1 + (acc === k ? jt : jf); continue; }
    else if (code === JGE_K) { pc += 1 + (acc >= k ? jt : jf); continue; }
    else if (code === RET_K) return k === RET_ALLOW ? 'allow' : k === RET_KILL_PROCESS ? 'kill' : 'eperm';
    pc++;
  }
  throw new Error('the filter fell off its end');
}

export const SECCOMP_ARCH = { x86_64: AUDIT_ARCH_X86_64, i386: 0x40000003 } as const;
