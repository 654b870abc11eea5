import { stripGoCommentsAndLiterals } from './program-kind';

/**
 * The package names declared by the root directory's non-test .go files: a playground program
 * must be package main unless it runs as a test.
 */
export function rootPackageNames(files: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, src] of files) {
    if (name.includes('/') || !name.endsWith('.go') || name.endsWith('_test.go')) continue;
    const m = /^\s*package\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(stripGoCommentsAndLiterals(src));
    if (m) names.add(m[1]);
  }
  return names;
}
