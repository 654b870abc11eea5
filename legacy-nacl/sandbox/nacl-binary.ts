/** The symbol every nacl/amd64p32 Go binary carries: its entry point. */
export const NACL_ENTRY_SYMBOL = '_rt0_amd64p32_nacl';
/** As a whole entry of an ELF string table: NUL before and after. */
const strtabEntry = Buffer.from(`\0${NACL_ENTRY_SYMBOL}\0`);
/** As a function name in Go's pc-line table: NUL-terminated. */
const pclnName = Buffer.from(`${NACL_ENTRY_SYMBOL}\0`);

const SHT_SYMTAB = 2;

/**
 * True when the binary names `_rt0_amd64p32_nacl` as one of its own symbols. Go's linker writes
 * nacl/amd64p32 programs as ordinary ELF64 x86-64 files (no NaCl OSABI mark), so the header
 * alone cannot tell them from linux/amd64 ones; the entry symbol can. It is looked for where
 * symbol names live: the ELF symbol table (absent from stripped builds, `-ldflags=-s`) and
 * the function names of Go's pc-line table `.gopclntab` (always there). The same text in a
 * program's string constants, or inside a longer name such as `main._rt0_amd64p32_nacl`, does
 * not count: it must not send a linux binary to the NaCl loader.
 */
export function isNaclBinary(binary: Buffer): boolean {
  const sections = sectionHeaders(binary);
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB) continue;
    const names = contents(binary, sections[s.link]);
    if (names?.includes(strtabEntry)) return true;
  }
  const pcln = contents(binary, sections.find((s) => sectionName(binary, sections, s) === '.gopclntab'));
  return pcln !== null && hasWholeName(pcln);
}

/** A NUL-terminated occurrence not preceded by a character that would make it part of a longer name. */
function hasWholeName(table: Buffer): boolean {
  for (let at = table.indexOf(pclnName); at >= 0; at = table.indexOf(pclnName, at + 1)) {
    if (at === 0 || !isNameByte(table[at - 1])) return true;
  }
  return false;
}

function isNameByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f /* _ */ || c === 0x2e /* . */ || c === 0x2f /* / */ || c >= 0x80;
}

interface Section {
  name: number;
  type: number;
  offset: number;
  size: number;
  link: number;
}

function contents(b: Buffer, s: Section | undefined): Buffer | null {
  if (!s || s.offset + s.size > b.length) return null;
  return b.subarray(s.offset, s.offset + s.size);
}

function sectionName(b: Buffer, sections: Section[], s: Section): string | null {
  const names = contents(b, sections[shstrndx(b)]);
  if (!names || s.name >= names.length) return null;
  const end = names.indexOf(0, s.name);
  return names.toString('latin1', s.name, end < 0 ? names.length : end);
}

function shstrndx(b: Buffer): number {
  return b.readUInt16LE(b[4] === 2 ? 0x3e : 0x32);
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
      ? { name: b.readUInt32LE(h), type: b.readUInt32LE(h + 4), offset: Number(b.readBigUInt64LE(h + 24)), size: Number(b.readBigUInt64LE(h + 32)), link: b.readUInt32LE(h + 40) }
      : { name: b.readUInt32LE(h), type: b.readUInt32LE(h + 4), offset: b.readUInt32LE(h + 16), size: b.readUInt32LE(h + 20), link: b.readUInt32LE(h + 24) });
  }
  return out;
}
