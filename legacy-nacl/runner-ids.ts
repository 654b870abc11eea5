// The legacy runners' ids, which the frontend half names in its runs and the sandbox half
// registers its runners under: the two halves' one shared fact.
/** The sandbox runner that runs NaCl binaries under sel_ldr. */
export const NACL_RUNNER = 'nacl-sel-ldr';
/** The sandbox runner for the emulation's 32-bit binaries. */
export const EMULATED_RUNNER = 'emulated-386';
