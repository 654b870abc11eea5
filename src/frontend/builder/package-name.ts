import { stripGoCommentsAndLiterals } from './program-kind';

/**
 * The package names declared by the files in the root directory, as play.golang.org reads them
 * (every root file whose start parses as a package clause, test files included): each must be
 * main, whatever else the program is.
 */
export function rootPackageNames(files: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, src] of files) {
    if (name.includes('/')) continue;
    const m = /^\s*package\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(stripGoCommentsAndLiterals(src));
    if (m) names.add(m[1]);
  }
  return names;
}
