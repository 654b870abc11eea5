import { detectProgramKind, stripGoCommentsAndLiterals } from './program-kind';

const files = (...pairs: Array<[string, string]>): Map<string, string> => new Map(pairs);
const one = (src: string): Map<string, string> => files(['prog.go', src]);
const isTest = (src: string): boolean => detectProgramKind(one(src)).isTest;

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n';
const TEST = 'package main\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tt.Log("ok")\n}\n';

describe('detectProgramKind', () => {
  it('classifies a hello program as plain', () => {
    expect(detectProgramKind(one(HELLO))).toEqual({ isTest: false, kind: 'plain' });
  });

  it('classifies a program with only tests as a test', () => {
    expect(detectProgramKind(one(TEST))).toEqual({ isTest: true, kind: 'test' });
  });

  it.each([
    ['TestMain', 'func TestMain(m *testing.M) { m.Run() }'],
    ['Test', 'func Test(t *testing.T) {}'],
    ['Test_under', 'func Test_under(t *testing.T) {}'],
    ['TestÉ (upper-case non-ASCII)', 'func TestÉ(t *testing.T) {}'],
    ['Fuzz', 'func FuzzParse(f *testing.F) {}'],
    ['Example', 'func Example() {\n\t// Output:\n}'],
    ['ExampleFoo', 'func ExampleFoo() {}'],
    ['dot-imported T', 'func TestX(t *T) {}'],
    ['unnamed parameter', 'func TestX(*testing.T) {}'],
    ['spaced declaration', 'func   TestX ( t  * testing . T )  {}'],
  ])('detects %s', (_label, decl) => {
    expect(isTest(`package main\nimport "testing"\n${decl}\n`)).toBe(true);
  });

  it.each([
    ['Testimony (lower-case after prefix)', 'func Testimony(t *testing.T) {}'],
    ['Examples lower-case', 'func Exampleish() {}'],
    ['test with a result', 'func TestX(t *testing.T) error { return nil }'],
    ['test with two parameters', 'func TestX(t *testing.T, n int) {}'],
    ['test without parameters', 'func TestX() {}'],
    ['test with a non-pointer parameter', 'func TestX(t testing.T) {}'],
    ['example with parameters', 'func ExampleX(n int) {}'],
    ['benchmark only', 'func BenchmarkX(b *testing.B) {}'],
    ['method named like a test', 'type S struct{}\nfunc (s S) TestX(t *testing.T) {}'],
    ['lower-case test', 'func testX(t *testing.T) {}'],
  ])('does not count %s', (_label, decl) => {
    expect(isTest(`package main\nimport "testing"\n${decl}\n`)).toBe(false);
  });

  it('is not a test when main is declared, even alongside tests', () => {
    expect(isTest(TEST + 'func main() {}\n')).toBe(false);
    expect(isTest(TEST + 'func main ( ) {}\n')).toBe(false);
  });

  it('is still a test when main is only a method', () => {
    expect(isTest(TEST + 'type S struct{}\nfunc (S) main() {}\n')).toBe(true);
  });

  it('ignores func main in comments and literals', () => {
    expect(isTest(TEST + '// func main() {}\n')).toBe(true);
    expect(isTest(TEST + '/* old:\nfunc main() {}\n*/\n')).toBe(true);
    expect(isTest(TEST + 'var s = "func main() {}"\n')).toBe(true);
    expect(isTest(TEST + 'var s = `\nfunc main() {}\n`\n')).toBe(true);
    expect(isTest(TEST + 'var s = "\\"func main() {}"\n')).toBe(true);
  });

  it('ignores test functions in comments and literals', () => {
    const noMain = 'package main\nimport "testing"\n';
    expect(isTest(noMain + '// func TestX(t *testing.T) {}\n')).toBe(false);
    expect(isTest(noMain + '/* func TestX(t *testing.T) {} */\n')).toBe(false);
    expect(isTest(noMain + 'var s = "func TestX(t *testing.T) {}"\n')).toBe(false);
    expect(isTest(noMain + 'var s = `\nfunc TestX(t *testing.T) {}\n`\n')).toBe(false);
  });

  it('is not confused by rune literals holding quotes', () => {
    expect(isTest(TEST + "var q = '\"'\nvar r = '\\''\nfunc main() {}\n")).toBe(false);
    expect(isTest(TEST + "var q = '`'\nfunc main() {}\n")).toBe(false);
  });

  it('requires the main package', () => {
    expect(isTest(TEST.replace('package main', 'package foo'))).toBe(false);
    expect(isTest('// package main\npackage foo\n' + TEST.slice('package main\n'.length))).toBe(false);
    expect(isTest('/* header */ package main\n' + TEST.slice('package main\n'.length))).toBe(true);
  });

  it('looks at tests in _test.go files, including package main_test', () => {
    const lib = 'package main\n\nfunc Add(a, b int) int { return a + b }\n';
    const ext = TEST.replace('package main', 'package main_test');
    expect(detectProgramKind(files(['prog.go', lib], ['prog_test.go', TEST]))).toEqual({ isTest: true, kind: 'test' });
    expect(detectProgramKind(files(['prog.go', lib], ['prog_test.go', ext])).isTest).toBe(true);
  });

  it('does not accept package main_test outside _test.go files', () => {
    expect(detectProgramKind(files(['prog.go', TEST.replace('package main', 'package main_test')])).isTest).toBe(false);
  });

  it('sees func main in any root file of the package', () => {
    const main = 'package main\n\nfunc main() {}\n';
    expect(detectProgramKind(files(['prog_test.go', TEST], ['main.go', main]))).toEqual({
      isTest: false,
      kind: 'multi-file',
    });
  });

  it('ignores files outside the root directory and files go build skips', () => {
    const main = 'package main\n\nfunc main() {}\n';
    expect(detectProgramKind(files(['prog.go', TEST], ['cmd/x/main.go', main])).isTest).toBe(true);
    expect(detectProgramKind(files(['prog.go', TEST], ['_old.go', main])).isTest).toBe(true);
    expect(detectProgramKind(files(['prog.go', TEST], ['.hidden.go', main])).isTest).toBe(true);
    expect(detectProgramKind(files(['prog.go', TEST], ['main.txt', main])).isTest).toBe(true);
    expect(detectProgramKind(files(['prog.go', 'package main\n'], ['sub/a_test.go', TEST])).isTest).toBe(false);
  });

  it('says module when there is a go.mod, whatever else is true', () => {
    expect(detectProgramKind(files(['prog.go', TEST], ['go.mod', 'module m\n']))).toEqual({
      isTest: true,
      kind: 'module',
    });
    expect(detectProgramKind(files(['prog.go', HELLO], ['go.mod', 'module m\n'])).kind).toBe('module');
    expect(detectProgramKind(files(['prog.go', HELLO], ['sub/go.mod', 'module m\n'])).kind).toBe('multi-file');
  });

  it('says multi-file for several files without go.mod or tests', () => {
    expect(detectProgramKind(files(['prog.go', HELLO], ['data.txt', 'x\n']))).toEqual({
      isTest: false,
      kind: 'multi-file',
    });
  });

  it('says plain for an empty program', () => {
    expect(detectProgramKind(one(''))).toEqual({ isTest: false, kind: 'plain' });
  });
});

describe('stripGoCommentsAndLiterals', () => {
  it('blanks comments and literal contents but keeps code and line structure', () => {
    const src = 'a := "x // y" // c\nb := `p\nq` /* d\ne */ + \'r\'\n';
    const out = stripGoCommentsAndLiterals(src);
    expect(out).toBe('a := ""  \nb := ``\n \n + \'\'\n');
    expect(out.split('\n')).toHaveLength(src.split('\n').length);
  });

  it('stops an unterminated interpreted string at the end of the line', () => {
    expect(stripGoCommentsAndLiterals('s := "oops\nfunc main() {}\n')).toBe('s := ""\nfunc main() {}\n');
  });

  it('copes with unterminated comments and raw strings', () => {
    expect(stripGoCommentsAndLiterals('x /* never closed')).toBe('x  ');
    expect(stripGoCommentsAndLiterals('x `never\nclosed')).toBe('x ``\n');
  });

  it('does not treat comment openers inside strings as comments', () => {
    expect(stripGoCommentsAndLiterals('u := "http://x" + y')).toBe('u := "" + y');
  });
});
