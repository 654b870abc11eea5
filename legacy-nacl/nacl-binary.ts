/** The symbol every nacl/amd64p32 Go binary carries: its entry point. */
export const NACL_ENTRY_SYMBOL = '_rt0_amd64p32_nacl';
/** As a whole entry of an ELF string table: NUL before and after. */
const entry = Buffer.from(`\0${NACL_ENTRY_SYMBOL}\0`);

const SHT_SYMTAB = 2;

/**
 * True when the binary's ELF symbol table names `_rt0_amd64p32_nacl`. Go's linker writes
 * nacl/amd64p32 programs as ordinary ELF64 x86-64 files (no NaCl OSABI mark), so the header
 * alone cannot tell them from linux/amd64 ones; the entry symbol can. Only a whole symbol
 * name counts: the same text in a program's string constants, or in a longer name such as
 * `main._rt0_amd64p32_nacl`, must not send a linux binary to the NaCl loader. (A stripped
 * binary has no symbol table and is not recognised; the playground never strips.)
 */
export function isNaclBinary(binary: Buffer): boolean {
  for (const strtab of symbolStringTables(binary)) {
    if (strtab.includes(entry)) return true;
  }
  return false;
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
}

/** The string tables that hold the names of the binary's symbol tables; none when it is no ELF. */
function symbolStringTables(b: Buffer): Buffer[] {
  const sections = sectionHeaders(b);
  const out: Buffer[] = [];
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB) continue;
    const strtab = sections[s.link];
    if (!strtab || strtab.offset + strtab.size > b.length) continue;
    out.push(b.subarray(strtab.offset, strtab.offset + strtab.size));
  }
  return out;
}

/** Little-endian ELF32/ELF64 section headers, bounds-checked; [] for anything malformed. */
function sectionHeaders(b: Buffer): Section[] {
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[5] !== 1 /* little-endian */) return [];
  const is64 = b[4] === 2;
  if (!is64 && b[4] !== 1) return [];
  const shoff = is64 ? Number(b.readBigUInt64LE(0x28)) : b.readUInt32LE(0x20);
  const shentsize = b.readUInt16LE(is64 ? 0x3a : 0x2e);
  const shnum = b.readUInt16LE(is64 ? 0x3c : 0x30);
  if (shentsize < (is64 ? 64 : 40) || shoff <= 0 || shoff + shnum * shentsize > b.length) return [];
  const out: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    out.push(is64
      ? { type: b.readUInt32LE(h + 4), offset: Number(b.readBigUInt64LE(h + 24)), size: Number(b.readBigUInt64LE(h + 32)), link: b.readUInt32LE(h + 40) }
      : { type: b.readUInt32LE(h + 4), offset: b.readUInt32LE(h + 16), size: b.readUInt32LE(h + 20), link: b.readUInt32LE(h + 24) });
  }
  return out;
}
