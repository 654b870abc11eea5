import { BadProgramError } from './bad-program.error';
import { parseTxtar } from './txtar';

const entries = (body: string): Array<[string, string]> => [...parseTxtar(body).files.entries()];
const errorOf = (body: string): BadProgramError => {
  try {
    parseTxtar(body);
  } catch (e) {
    if (e instanceof BadProgramError) return e;
    throw e;
  }
  throw new Error('expected parseTxtar to throw');
};
const withFile = (name: string): string => `package main\n-- ${name} --\nx\n`;

describe('parseTxtar', () => {
  it('treats a body without markers as prog.go', () => {
    expect(entries('package main\n\nfunc main() {}\n')).toEqual([['prog.go', 'package main\n\nfunc main() {}\n']]);
  });

  it('adds a final newline to the last section, as txtar does', () => {
    expect(entries('package main')).toEqual([['prog.go', 'package main\n']]);
    expect(entries('-- a.go --\npackage a')).toEqual([['a.go', 'package a\n']]);
  });

  it('keeps a blank or empty body as prog.go when there is nothing else', () => {
    expect(entries('  \n\t\n')).toEqual([['prog.go', '  \n\t\n']]);
    expect(entries('')).toEqual([['prog.go', '']]);
  });

  it('splits files in order, with the leading text as prog.go', () => {
    const body = 'package main\nfunc main() {}\n-- go.mod --\nmodule m\n-- sub/a.go --\npackage sub\n';
    expect(entries(body)).toEqual([
      ['prog.go', 'package main\nfunc main() {}\n'],
      ['go.mod', 'module m\n'],
      ['sub/a.go', 'package sub\n'],
    ]);
  });

  it('omits whitespace-only leading text when other files exist', () => {
    expect(entries('\n  \n-- main.go --\npackage main\n')).toEqual([['main.go', 'package main\n']]);
  });

  it('keeps empty file sections', () => {
    expect(entries('-- a.go --\n-- b.go --\nb\n')).toEqual([
      ['a.go', ''],
      ['b.go', 'b\n'],
    ]);
  });

  it('only recognises markers that are whole lines', () => {
    const body = 'x := "-- a.go --"\n --  b.go --\n-- c.go -- \n';
    expect(entries(body)).toEqual([['prog.go', body]]);
  });

  it('does not treat a marker with an empty name as a marker', () => {
    expect(entries('a\n--  --\nb\n')).toEqual([['prog.go', 'a\n--  --\nb\n']]);
  });

  it('trims spaces around the marker name and tolerates CRLF marker lines', () => {
    expect(entries('-- \t a.go  --\r\nA\r\n-- b.go --\r\n')).toEqual([
      ['a.go', 'A\r\n'],
      ['b.go', ''],
    ]);
  });

  it('allows 20 files including prog.go and rejects 21', () => {
    const files = (n: number): string => Array.from({ length: n }, (_, i) => `-- f${i}.go --\n`).join('');
    expect(parseTxtar('package main\n' + files(19)).files.size).toBe(20);
    expect(errorOf('package main\n' + files(20)).message).toBe(
      'too many files in txtar archive (21 exceeds limit of 20)',
    );
    expect(parseTxtar(files(20)).files.size).toBe(20);
  });

  it('rejects duplicate names, including an explicit prog.go after leading text', () => {
    expect(errorOf('-- a.go --\n-- a.go --\n').message).toBe('duplicate file name "a.go"');
    expect(errorOf('package main\n-- prog.go --\n').message).toBe('duplicate file name "prog.go"');
  });

  it('accepts an explicit prog.go when there is no leading text', () => {
    expect(entries('-- prog.go --\npackage main\n')).toEqual([['prog.go', 'package main\n']]);
  });

  it.each([
    ['../x.go', 'invalid file name "../x.go": must not contain ".." elements'],
    ['a/../x.go', 'invalid file name "a/../x.go": must not contain ".." elements'],
    ['./x.go', 'invalid file name "./x.go": must not contain "." elements'],
    ['a/./x.go', 'invalid file name "a/./x.go": must not contain "." elements'],
    ['/etc/passwd', 'invalid file name "/etc/passwd": must not be an absolute path'],
    ['a\\b.go', 'invalid file name "a\\\\b.go": must not contain backslashes'],
    ['a\u0001.go', 'invalid file name "a\\u0001.go": must not contain control characters'],
    ['a\u007f.go', 'invalid file name "a\\u007f.go": must not contain control characters'],
    ['a\u0085.go', 'invalid file name "a\\u0085.go": must not contain control characters'],
    ['a//b.go', 'invalid file name "a//b.go": must not contain empty path elements'],
    ['sub/', 'invalid file name "sub/": must not end with a slash'],
    ['.', 'invalid file name ".": must not contain "." elements'],
  ])('rejects %j', (name, message) => {
    const err = errorOf(withFile(name));
    expect(err).toBeInstanceOf(BadProgramError);
    expect(err.message).toBe(message);
  });

  it('limits depth to 10 path elements', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `d${i}`).join('/');
    expect(parseTxtar(withFile(ten)).files.has(ten)).toBe(true);
    expect(errorOf(withFile(`${ten}/x.go`)).message).toBe(
      `invalid file name "${ten}/x.go": more than 10 path elements`,
    );
  });

  it('limits names to 200 bytes, counting UTF-8 bytes', () => {
    const ok = 'a'.repeat(197) + '.go';
    expect(parseTxtar(withFile(ok)).files.has(ok)).toBe(true);
    const long = 'a'.repeat(198) + '.go';
    const err = errorOf(withFile(long));
    expect(err.message).toMatch(/^invalid file name "a{80}…": longer than 200 bytes$/);
    expect(errorOf(withFile('é'.repeat(100) + '.go')).message).toMatch(/longer than 200 bytes/);
  });

  it('accepts ordinary nested and non-ASCII names', () => {
    expect([...parseTxtar('-- a/b/c.go --\n-- testdata/データ.txt --\n-- with space.txt --\n').files.keys()]).toEqual([
      'a/b/c.go',
      'testdata/データ.txt',
      'with space.txt',
    ]);
  });

  it('refuses a name that is both a file and a directory, in either order', () => {
    expect(errorOf('-- foo --\n-- foo/bar.go --\n').message).toBe('invalid file name "foo/bar.go": "foo" is also a file, so it cannot be a directory');
    expect(errorOf('-- a/b/c.go --\n-- a/b --\n').message).toBe('invalid file name "a/b/c.go": "a/b" is also a file, so it cannot be a directory');
    expect([...parseTxtar('-- foo/a.go --\n-- foo/b.go --\n-- foobar --\n').files.keys()]).toEqual(['foo/a.go', 'foo/b.go', 'foobar']);
  });

  it('refuses a directory named like a file the build writes beside the program', () => {
    expect(errorOf(withFile('go.mod/x.go')).message).toBe('invalid file name "go.mod/x.go": "go.mod" is a file of the build, so it cannot be a directory');
    expect(errorOf('-- x.go --\n-- x_test.go/y.go --\n').message).toBe('invalid file name "x_test.go/y.go": "x_test.go" is what "x.go" is built as in a test, so it cannot be a directory');
    // Deeper down the build writes nothing: these are ordinary directories.
    expect(parseTxtar(withFile('sub/go.mod/x.go')).files.has('sub/go.mod/x.go')).toBe(true);
    // The binary is written apart from the program's files: a.out is a name like any other.
    expect(parseTxtar(withFile('a.out/x.go')).files.has('a.out/x.go')).toBe(true);
    expect(parseTxtar('-- sub/x.go --\n-- sub/x_test.go/y --\n').files.size).toBe(2);
  });

  it('checks names in file order so the first bad name is reported', () => {
    expect(errorOf('-- ok.go --\n-- ../a --\n-- /b --\n').message).toContain('"../a"');
  });
});
