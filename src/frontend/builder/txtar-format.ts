import { PROG_NAME } from './txtar';

/** Writes files back as a playground body: prog.go first without a marker, the rest as txtar. */
export function formatTxtar(files: Map<string, string>): string {
  let out = files.get(PROG_NAME) ?? '';
  for (const [name, data] of files) {
    if (name === PROG_NAME) continue;
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += `-- ${name} --\n${data}`;
  }
  return out;
}
