import { BadProgramError } from './bad-program.error';

/**
 * The GOEXPERIMENT a program asks for, as play.golang.org reads it: `// GOEXPERIMENT=x,y`
 * lines among the leading comments of each root-directory file, joined with commas.
 */
export function requestedExperiments(files: Map<string, string>): string {
  const found: string[] = [];
  for (const [name, src] of files) {
    if (name.includes('/')) continue;
    for (const raw of src.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (!line.startsWith('//')) break;
      const m = /^GOEXPERIMENT\s*=\s*(.*)$/.exec(line.slice(2).trim());
      if (m && m[1].trim() !== '') found.push(m[1].trim());
    }
  }
  const value = found.join(',');
  if (!/^[\x21-\x7e]{0,200}$/.test(value)) throw new BadProgramError('invalid GOEXPERIMENT comment: at most 200 printable characters without spaces');
  return value;
}
