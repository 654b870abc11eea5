/**
 * Reads just enough of a little-endian ELF file to route a binary to the right pool: its class
 * and machine, and the section headers for those who look up a section (the legacy plugin
 * tells NaCl binaries by their symbols). Everything is bounds-checked: the bytes are a
 * stranger's.
 */
export interface ElfIdent {
  class: 32 | 64;
  machine: number;
}

export interface ElfSection {
  /** Offset of its name in the section-name table. */
  name: number;
  type: number;
  offset: number;
  size: number;
  /** For a symbol table: the index of its string table. */
  link: number;
}

export const EM_386 = 3;
export const EM_X86_64 = 62;
export const SHT_SYMTAB = 2;

export function readElfIdent(binary: Buffer): ElfIdent | null {
  if (binary.length < 20 || binary.readUInt32BE(0) !== 0x7f454c46) return null;
  const cls = binary[4] === 1 ? 32 : binary[4] === 2 ? 64 : null;
  if (cls === null || binary[5] !== 1 /* little-endian */) return null;
  return { class: cls, machine: binary.readUInt16LE(18) };
}

/** The section headers of an ELF32 or ELF64 file; [] for anything malformed. */
export function elfSections(b: Buffer): ElfSection[] {
  const ident = b.length >= 64 ? readElfIdent(b) : null;
  if (!ident) return [];
  const is64 = ident.class === 64;
  const shoff = is64 ? Number(b.readBigUInt64LE(0x28)) : b.readUInt32LE(0x20);
  const shentsize = b.readUInt16LE(is64 ? 0x3a : 0x2e);
  const shnum = b.readUInt16LE(is64 ? 0x3c : 0x30);
  if (shentsize < (is64 ? 64 : 40) || shoff <= 0 || shoff + shnum * shentsize > b.length) return [];
  const out: ElfSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    out.push(is64
      ? { name: b.readUInt32LE(h), type: b.readUInt32LE(h + 4), offset: Number(b.readBigUInt64LE(h + 24)), size: Number(b.readBigUInt64LE(h + 32)), link: b.readUInt32LE(h + 40) }
      : { name: b.readUInt32LE(h), type: b.readUInt32LE(h + 4), offset: b.readUInt32LE(h + 16), size: b.readUInt32LE(h + 20), link: b.readUInt32LE(h + 24) });
  }
  return out;
}

/** A section's bytes, or null when it is missing or runs past the end of the file. */
export function sectionContents(b: Buffer, s: ElfSection | undefined): Buffer | null {
  if (!s || s.offset + s.size > b.length) return null;
  return b.subarray(s.offset, s.offset + s.size);
}

/** The section's name, from the section-name table the header points at. */
export function sectionName(b: Buffer, sections: ElfSection[], s: ElfSection): string | null {
  const names = sectionContents(b, sections[b.readUInt16LE(b[4] === 2 ? 0x3e : 0x32)]);
  if (!names || s.name >= names.length) return null;
  const end = names.indexOf(0, s.name);
  return names.toString('latin1', s.name, end < 0 ? names.length : end);
}
