import * as path from 'node:path';

/**
 * What a program's go.mod files may not ask for, refused with a build error before anything
 * runs: a directory replacement that leaves the program (`replace x => /etc` or `../..`) would
 * build code the user did not send, and a go.work file would make the go command look beyond
 * the one module. (The sandbox holds nothing else anyway; this makes the refusal clear.)
 */
export function modulePolicyErrors(files: Map<string, string>): string | null {
  const problems: string[] = [];
  for (const [name, data] of files) {
    const base = path.posix.basename(name);
    if (base === 'go.work') problems.push(`${name}: go.work files are not supported: the playground builds one module (use replace directives in go.mod)`);
    if (base !== 'go.mod') continue;
    const dir = path.posix.dirname(name);
    for (const r of replacements(data)) {
      if (!isFilesystemPath(r.target)) continue;
      const resolved = path.posix.normalize(path.posix.join(dir, r.target));
      if (r.target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
        problems.push(`${name}:${r.line}: replace ${r.from} => ${r.target}: a directory replacement must stay inside the program (the playground builds only the files you sent)`);
      }
    }
  }
  return problems.length ? problems.join('\n') + '\n' : null;
}

interface Replacement {
  line: number;
  from: string;
  target: string;
}

/** The replace directives of a go.mod, single-line and in blocks, comments removed. */
function replacements(gomod: string): Replacement[] {
  const out: Replacement[] = [];
  let inBlock = false;
  gomod.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line) push(out, i + 1, line);
      return;
    }
    const m = /^replace\s*(.*)$/.exec(line);
    if (!m) return;
    if (m[1] === '(') inBlock = true;
    else push(out, i + 1, m[1]);
  });
  return out;
}

function push(out: Replacement[], line: number, directive: string): void {
  const arrow = directive.indexOf('=>');
  if (arrow < 0) return;
  const unquote = (s: string): string => s.replace(/^["`](.*)["`]$/, '$1');
  const from = unquote(directive.slice(0, arrow).trim().split(/\s+/)[0] ?? '');
  const target = unquote(directive.slice(arrow + 2).trim().split(/\s+/)[0] ?? '');
  out.push({ line, from, target });
}

/** The go command's rule: a replacement is a directory when it is absolute or starts with ./ or ../. */
function isFilesystemPath(target: string): boolean {
  return target.startsWith('/') || target === '.' || target === '..' || target.startsWith('./') || target.startsWith('../') || /^[A-Za-z]:[\\/]/.test(target) || target.startsWith('\\');
}
