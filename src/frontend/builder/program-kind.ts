export type ProgramKind = 'plain' | 'test' | 'multi-file' | 'module';

/** Every kind, in the order readiness reports coverage. */
export const PROGRAM_KINDS: readonly ProgramKind[] = ['plain', 'test', 'multi-file', 'module'];

export interface ProgramKindResult {
  /** Build with `go test -c` and run with `-test.v`, as play.golang.org does. */
  isTest: boolean;
  kind: ProgramKind;
}

const IDENT = String.raw`[\p{L}_][\p{L}\p{N}_]*`;
// Only a named, receiver-less declaration has an identifier right after `func`: literals have
// `(` and methods have `(recv)`, so this finds top-level functions without a real parser.
const FUNC_DECL = new RegExp(String.raw`(?<![\p{L}\p{N}_])func\s+(${IDENT})\s*\(([^()]*)\)\s*(\{)?`, 'gu');
const MAIN_DECL = /(?<![\p{L}\p{N}_])func\s+main\s*[[(]/u;
const PACKAGE_CLAUSE = new RegExp(String.raw`^\s*package\s+(${IDENT})`, 'u');
// go test accepts one parameter of type *T, *F or *M, qualified or not, named or not.
const TESTING_PARAM = new RegExp(String.raw`^\s*(?:${IDENT}\s+)?\*\s*(?:${IDENT}\s*\.\s*)?[TFM]\s*$`, 'u');

/**
 * Classifies a parsed archive. Only files of the main package count for test detection: .go
 * files in the root directory that go build would read (not `_x.go`/`.x.go`), with package
 * main, or main_test in _test.go files. Build constraints are not evaluated.
 */
export function detectProgramKind(files: Map<string, string>): ProgramKindResult {
  const isTest = isTestProgram(files);
  let kind: ProgramKind;
  if (files.has('go.mod')) kind = 'module';
  else if (isTest) kind = 'test';
  else if (files.size > 1) kind = 'multi-file';
  else kind = 'plain';
  return { isTest, kind };
}

function isTestProgram(files: Map<string, string>): boolean {
  let hasTests = false;
  for (const [name, src] of files) {
    if (!isMainPackageFile(name)) continue;
    const code = stripGoCommentsAndLiterals(src);
    const pkg = PACKAGE_CLAUSE.exec(code)?.[1];
    const allowed = name.endsWith('_test.go') ? ['main', 'main_test'] : ['main'];
    if (pkg === undefined || !allowed.includes(pkg)) continue;
    if (MAIN_DECL.test(code)) return false;
    hasTests ||= declaresTestFunction(code);
  }
  return hasTests;
}

function isMainPackageFile(name: string): boolean {
  return !name.includes('/') && name.endsWith('.go') && !name.startsWith('_') && !name.startsWith('.');
}

function declaresTestFunction(code: string): boolean {
  for (const m of code.matchAll(FUNC_DECL)) {
    const [, name, params, body] = m;
    // A result list (anything before the body) disqualifies tests and examples alike.
    if (body === undefined) continue;
    if ((hasTestPrefix(name, 'Test') || hasTestPrefix(name, 'Fuzz')) && TESTING_PARAM.test(params)) return true;
    if (hasTestPrefix(name, 'Example') && params.trim() === '') return true;
  }
  return false;
}

/** go test's rule: `Testimony` is not a test, `Test`, `Test_x` and `TestX` are. */
function hasTestPrefix(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  const next = name.slice(prefix.length);
  return next === '' || !/^\p{Ll}/u.test(next);
}

/**
 * Blanks out comments and the contents of string and rune literals so that text inside them
 * cannot look like declarations. Newlines inside comments and raw strings are kept.
 */
export function stripGoCommentsAndLiterals(src: string): string {
  let out = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      out += ' ';
      i = end < 0 ? n : end;
    } else if (c === '/' && next === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      // A block comment containing a newline acts as one for the tokens around it.
      out += src.slice(i, end).includes('\n') ? '\n' : ' ';
      i = end;
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close < 0 ? n : close + 1;
      out += '``' + '\n'.repeat(countNewlines(src, i, end));
      i = end;
    } else if (c === '"' || c === "'") {
      i = skipQuoted(src, i, c);
      out += c + c;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past an interpreted string or rune literal; an unterminated one ends at the line. */
function skipQuoted(src: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return src.length;
}

function countNewlines(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (s[i] === '\n') count++;
  return count;
}
