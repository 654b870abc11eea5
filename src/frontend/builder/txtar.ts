import * as path from 'node:path';
import { BadProgramError } from './bad-program.error';

export const PROG_NAME = 'prog.go';
const MAX_FILES = 20;
const MAX_NAME_BYTES = 200;
const MAX_PATH_ELEMENTS = 10;

/**
 * Files the build itself writes at the root of the program's directory: go.mod, when the
 * program has none. A directory of that name could not be written (EISDIR). (The binary goes
 * to a directory of its own, so a.out is an ordinary name.)
 */
const BUILD_FILES = ['go.mod'];

export interface ProgramFiles {
  /** File name to content, in archive order (prog.go first when present). */
  files: Map<string, string>;
}

interface RawFile {
  name: string;
  data: string;
}

/**
 * Splits a playground body into files the way play.golang.org does (golang.org/x/tools/txtar
 * semantics): a marker is a whole line `-- name --` with a non-empty trimmed name, and the last
 * section gets a final newline if it lacks one. A trailing CR on a marker line is tolerated so
 * that bodies which went through CRLF normalisation still split.
 */
export function parseTxtar(body: string): ProgramFiles {
  const { comment, files } = splitSections(body);
  const all: RawFile[] = [];
  // A lone body is prog.go even when blank, so "no files" never reaches the builder.
  if (files.length === 0 || comment.trim() !== '') all.push({ name: PROG_NAME, data: comment });
  all.push(...files);

  if (all.length > MAX_FILES) {
    throw new BadProgramError(`too many files in txtar archive (${all.length} exceeds limit of ${MAX_FILES})`);
  }
  const result = new Map<string, string>();
  for (const f of all) {
    validateFileName(f.name);
    if (result.has(f.name)) throw new BadProgramError(`duplicate file name ${quote(f.name)}`);
    result.set(f.name, f.data);
  }
  refuseFileDirectoryClashes(result);
  return { files: result };
}

/**
 * A name that is a file cannot also be a directory ("foo" and "foo/bar.go"): the request could
 * not be written out. Besides the user's files that counts the build's own (BUILD_FILES) and
 * the x_test.go a test program's root x.go is built as.
 */
function refuseFileDirectoryClashes(files: Map<string, string>): void {
  const builds = new Map(BUILD_FILES.map((n) => [n, `${quote(n)} is a file of the build`]));
  for (const name of files.keys()) {
    if (!name.includes('/') && name.endsWith('.go') && !name.endsWith('_test.go')) {
      builds.set(`${name.slice(0, -3)}_test.go`, `${quote(`${name.slice(0, -3)}_test.go`)} is what ${quote(name)} is built as in a test`);
    }
  }
  for (const name of files.keys()) {
    const elements = name.split('/');
    for (let i = 1; i < elements.length; i++) {
      const dir = elements.slice(0, i).join('/');
      const why = files.has(dir) ? `${quote(dir)} is also a file` : i === 1 ? builds.get(dir) : undefined;
      if (why) throw new BadProgramError(`invalid file name ${quote(name)}: ${why}, so it cannot be a directory`);
    }
  }
}

function splitSections(body: string): { comment: string; files: RawFile[] } {
  const files: RawFile[] = [];
  let comment: string | undefined;
  let currentName: string | undefined;
  let sectionStart = 0;
  let lineStart = 0;
  while (lineStart < body.length) {
    const nl = body.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? body.length : nl;
    const name = markerName(body.slice(lineStart, lineEnd));
    if (name !== undefined) {
      const data = body.slice(sectionStart, lineStart);
      if (currentName === undefined) comment = data;
      else files.push({ name: currentName, data });
      currentName = name;
      sectionStart = nl < 0 ? body.length : nl + 1;
    }
    lineStart = nl < 0 ? body.length : nl + 1;
  }
  const rest = withFinalNewline(body.slice(sectionStart));
  if (currentName === undefined) return { comment: rest, files };
  files.push({ name: currentName, data: rest });
  return { comment: comment ?? '', files };
}

function markerName(line: string): string | undefined {
  const l = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!l.startsWith('-- ') || !l.endsWith(' --') || l.length < 6) return undefined;
  const name = l.slice(3, -3).trim();
  return name === '' ? undefined : name;
}

function withFinalNewline(s: string): string {
  return s === '' || s.endsWith('\n') ? s : s + '\n';
}

/** Like Go's %q, so messages read the same as the playground's; long names are shortened. */
function quote(name: string): string {
  const shown = name.length > 80 ? name.slice(0, 80) + '…' : name;
  // JSON leaves DEL and C1 controls raw, which would make the message itself garble a terminal.
  return JSON.stringify(shown).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function validateFileName(name: string): void {
  const bad = (why: string): BadProgramError => new BadProgramError(`invalid file name ${quote(name)}: ${why}`);
  // Bytes, not UTF-16 units: the limit is play.golang.org's, which counts bytes.
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) throw bad(`longer than ${MAX_NAME_BYTES} bytes`);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw bad('must not contain control characters');
  if (name.includes('\\')) throw bad('must not contain backslashes');
  if (name.startsWith('/')) throw bad('must not be an absolute path');
  const elements = name.split('/');
  if (elements.includes('..')) throw bad('must not contain ".." elements');
  if (elements.includes('.')) throw bad('must not contain "." elements');
  if (name.endsWith('/')) throw bad('must not end with a slash');
  if (elements.includes('')) throw bad('must not contain empty path elements');
  if (elements.length > MAX_PATH_ELEMENTS) throw bad(`more than ${MAX_PATH_ELEMENTS} path elements`);
  // Belt and braces: anything the checks above missed that a path cleaner would rewrite.
  if (path.posix.normalize(name) !== name) throw bad('must be a clean path');
}
