/** Where the loader sits inside the legacy image. */
export const SEL_LDR_IN_IMAGE = '/sel_ldr_x86_64';

/**
 * The NaCl loader's command line, exactly as play.golang.org ran it: no log (-l /dev/null),
 * no signal handlers of its own (-S), no ELF outer sandbox checks for the program (-e).
 * The sandbox supervisor appends the binary's path and then the program's arguments.
 */
export function selLdrPrefix(loader: string = SEL_LDR_IN_IMAGE): string[] {
  return [loader, '-l', '/dev/null', '-S', '-e'];
}

/** The whole argv for one program, for logs and tests. */
export function selLdrCommand(binaryPath: string, args: string[], loader?: string): string[] {
  return [...selLdrPrefix(loader), binaryPath, ...args];
}
