/**
 * The seccomp filters of the build sandbox, as raw classic-BPF programs (struct sock_filter[]).
 * Namespaces already hide the host; these take away the kernel interfaces a compiler never
 * needs and that have a history of privilege escalations, so a bug in a go tool that lets
 * input take it over meets a smaller kernel. Denied calls fail with EPERM; any other syscall
 * ABI than x86-64 (32-bit int 0x80, x32) ends the process.
 *
 * Two stages: bubblewrap loads `bootstrap` before our helper's first instruction; it lets the
 * helper mount the build cache's layer in a namespace of its own. The helper then loads
 * `tools` on top (filters only ever add up), which also refuses mount and every new namespace,
 * and only then becomes the go tool.
 */

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const EPERM = 1;

const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const RET_ALLOW = 0x7fff0000;
const ENOSYS = 38;

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const JSET_K = 0x45;

const SYS_CLONE = 56;
const SYS_CLONE3 = 435;
const SYS_MOUNT = 165;
/** clone's namespace flags (CLONE_NEWNS … CLONE_NEWNET). */
const CLONE_NAMESPACES = 0x7e020000;

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

type Target = 'allow' | 'eperm' | 'enosys' | 'kill' | 'clone';
type Insn = { code: number; k: number; jt?: Target; jf?: Target } | { label: Target };

/** A tiny assembler: jumps name their targets, which come at the end. */
function assemble(program: Insn[]): Buffer {
  const at = new Map<Target, number>();
  const code: Array<{ code: number; k: number; jt?: Target; jf?: Target }> = [];
  for (const i of program) {
    if ('label' in i) at.set(i.label, code.length);
    else code.push(i);
  }
  return Buffer.concat(code.map((i, pc) => {
    const jump = (t?: Target): number => {
      if (t === undefined) return 0;
      const off = at.get(t)! - pc - 1;
      if (!(off >= 0 && off < 256)) throw new Error(`seccomp jump to ${t} out of range`);
      return off;
    };
    const b = Buffer.alloc(8);
    b.writeUInt16LE(i.code, 0);
    b.writeUInt8(jump(i.jt), 2);
    b.writeUInt8(jump(i.jf), 3);
    b.writeUInt32LE(i.k >>> 0, 4);
    return b;
  }));
}

export type SeccompStage = 'bootstrap' | 'tools';
const programs = new Map<SeccompStage, Buffer>();

/** The filter of a stage, ready to be written to the file descriptor that loads it. */
export function buildSandboxSeccompFilter(stage: SeccompStage): Buffer {
  const cached = programs.get(stage);
  if (cached) return cached;
  const denied = [...new Set(Object.values(DENIED_SYSCALLS))].filter((nr) => stage === 'tools' || nr !== SYS_MOUNT);
  const p: Insn[] = [
    { code: LD_W_ABS, k: 4 }, // seccomp_data.arch
    { code: JEQ_K, k: AUDIT_ARCH_X86_64, jf: 'kill' },
    { code: LD_W_ABS, k: 0 }, // seccomp_data.nr
    { code: JGE_K, k: X32_SYSCALL_BIT, jt: 'eperm' },
    ...(stage === 'tools' ? [{ code: JEQ_K, k: SYS_CLONE, jt: 'clone' as const }, { code: JEQ_K, k: SYS_CLONE3, jt: 'enosys' as const }] : []),
    ...denied.map((nr) => ({ code: JEQ_K, k: nr, jt: 'eperm' as const })),
    { label: 'allow' },
    { code: RET_K, k: RET_ALLOW },
    { label: 'clone' },
    { code: LD_W_ABS, k: 16 }, // the low half of args[0]: clone's flags
    { code: JSET_K, k: CLONE_NAMESPACES, jt: 'eperm' },
    { code: RET_K, k: RET_ALLOW }, // classic BPF jumps only forward
    { label: 'eperm' },
    { code: RET_K, k: RET_ERRNO | EPERM },
    // A C library takes ENOSYS from clone3 as "use clone", whose flags the check above sees.
    { label: 'enosys' },
    { code: RET_K, k: RET_ERRNO | ENOSYS },
    { label: 'kill' },
    { code: RET_K, k: RET_KILL_PROCESS },
  ];
  const built = assemble(p);
  programs.set(stage, built);
  return built;
}

/** Runs a filter for one call, as the kernel would (for the spec: it proves the jumps). */
export function seccompVerdict(filter: Buffer, arch: number, nr: number, arg0 = 0): 'allow' | 'eperm' | 'enosys' | 'kill' {
  let acc = 0;
  for (let pc = 0; pc < filter.length / 8;) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    if (code === LD_W_ABS) acc = k === 4 ? arch : k === 0 ? nr : arg0 >>> 0;
    else if (code === JEQ_K) { pc += 1 + (acc === k ? jt : jf); continue; }
    else if (code === JGE_K) { pc += 1 + (acc >= k ? jt : jf); continue; }
    else if (code === JSET_K) { pc += 1 + ((acc & k) !== 0 ? jt : jf); continue; }
    else if (code === RET_K) return k === RET_ALLOW ? 'allow' : k === RET_KILL_PROCESS ? 'kill' : k === (RET_ERRNO | ENOSYS) ? 'enosys' : 'eperm';
    pc++;
  }
  throw new Error('the filter fell off its end');
}

export const SECCOMP_ARCH = { x86_64: AUDIT_ARCH_X86_64, i386: 0x40000003 } as const;
