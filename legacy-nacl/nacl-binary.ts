/** The symbol every nacl/amd64p32 Go binary carries: its entry point. */
export const NACL_ENTRY_SYMBOL = '_rt0_amd64p32_nacl';
const needle = Buffer.from(NACL_ENTRY_SYMBOL);

export function isNaclBinary(binary: Buffer): boolean {
  return binary.includes(needle);
}
