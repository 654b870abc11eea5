import { elfSections, sectionContents, sectionName, SHT_SYMTAB } from '../../src/sandbox/elf';

/** The symbol every nacl/amd64p32 Go binary carries: its entry point. */
export const NACL_ENTRY_SYMBOL = '_rt0_amd64p32_nacl';
/** As a whole entry of an ELF string table: NUL before and after. */
const strtabEntry = Buffer.from(`\0${NACL_ENTRY_SYMBOL}\0`);
/** As a function name in Go's pc-line table: NUL-terminated. */
const pclnName = Buffer.from(`${NACL_ENTRY_SYMBOL}\0`);

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
  const sections = elfSections(binary);
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB) continue;
    const names = sectionContents(binary, sections[s.link]);
    if (names?.includes(strtabEntry)) return true;
  }
  const pcln = sectionContents(binary, sections.find((s) => sectionName(binary, sections, s) === '.gopclntab'));
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
