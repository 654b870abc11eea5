/** Reads just enough of an ELF header to route a binary to the right pool. */
export interface ElfIdent {
  class: 32 | 64;
  machine: number;
}

export const EM_386 = 3;
export const EM_X86_64 = 62;

export function readElfIdent(binary: Buffer): ElfIdent | null {
  if (binary.length < 20 || binary.readUInt32BE(0) !== 0x7f454c46) return null;
  const cls = binary[4] === 1 ? 32 : binary[4] === 2 ? 64 : null;
  if (cls === null || binary[5] !== 1 /* little-endian */) return null;
  return { class: cls, machine: binary.readUInt16LE(18) };
}
