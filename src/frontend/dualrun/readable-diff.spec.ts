import { MAX_EDIT_LINES, readableDiff } from './readable-diff';

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`): string =>
  Array.from({ length: n }, (_, i) => f(i) + '\n').join('');

describe('readableDiff', () => {
  it('is empty for equal inputs', () => {
    expect(readableDiff('a\nb\n', 'a\nb\n', 'x', 'y')).toBe('');
    expect(readableDiff('', '', 'x', 'y')).toBe('');
  });

  it('shows an inserted line with context and a correct hunk header', () => {
    const a = 'hello\nworld\n';
    const b = 'hello\nEXTRA\nworld\n';
    expect(readableDiff(a, b, 'primary/stdout', 'shadow/stdout')).toBe(
      ['--- primary/stdout', '+++ shadow/stdout', '@@ -1,2 +1,3 @@', ' hello', '+EXTRA', ' world', ''].join('\n'),
    );
  });

  it('shows a changed line as removal then addition', () => {
    expect(readableDiff('a\nb\nc\n', 'a\nB\nc\n', 'A', 'B')).toBe(
      ['--- A', '+++ B', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', ''].join('\n'),
    );
  });

  it('handles one side empty', () => {
    expect(readableDiff('', 'x\ny\n', 'A', 'B')).toBe(['--- A', '+++ B', '@@ -0,0 +1,2 @@', '+x', '+y', ''].join('\n'));
    expect(readableDiff('x\n', '', 'A', 'B')).toBe(['--- A', '+++ B', '@@ -1 +0,0 @@', '-x', ''].join('\n'));
  });

  it('marks a missing final newline', () => {
    expect(readableDiff('a\n', 'a', 'A', 'B')).toBe(
      ['--- A', '+++ B', '@@ -1 +1 @@', '-a', '+a', '\\ No newline at end of file', ''].join('\n'),
    );
  });

  it('limits context to three lines and splits distant changes into hunks', () => {
    const a = lines(20);
    const b = a.replace('line 2\n', 'line two\n').replace('line 17\n', 'line seventeen\n');
    const diff = readableDiff(a, b, 'A', 'B');
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -15,6 +15,6 @@']);
    expect(diff).not.toContain(' line 9\n');
    expect(diff).toContain('-line 17\n+line seventeen\n');
  });

  it('merges changes whose contexts overlap into one hunk', () => {
    const a = lines(12);
    const b = a.replace('line 3\n', 'x\n').replace('line 8\n', 'y\n');
    expect(readableDiff(a, b, 'A', 'B').match(/^@@ .* @@$/gm)).toEqual(['@@ -1,12 +1,12 @@']);
  });

  it('finds a minimal diff for reordered blocks', () => {
    const diff = readableDiff('a\nb\nc\nd\n', 'c\nd\na\nb\n', 'A', 'B');
    const changes = diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(changes).toHaveLength(4);
  });

  it('compares long inputs in full, with no line cap', () => {
    const n = 200_000;
    const changedAt = new Set([10, 2100, 150_000, n - 1]);
    const a = lines(n);
    const b = lines(n, (i) => (changedAt.has(i) ? `changed ${i}` : `line ${i}`));
    const started = Date.now();
    const diff = readableDiff(a, b, 'A', 'B');
    expect(Date.now() - started).toBeLessThan(5000);
    for (const i of changedAt) expect(diff).toContain(`-line ${i}\n+changed ${i}\n`);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -8,7 +8,7 @@', '@@ -2098,7 +2098,7 @@', '@@ -149998,7 +149998,7 @@', `@@ -${n - 3},4 +${n - 3},4 @@`]);
    expect(diff).not.toContain('differ');
  });

  it('finds a minimal diff in long inputs where lines were inserted and removed', () => {
    const a = lines(50_000);
    const b = lines(50_000, (i) => `line ${i}`).replace('line 30000\n', '').replace('line 40000\n', 'line 40000\nnew\n');
    const diff = readableDiff(a, b, 'A', 'B');
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-line 30000', '+new']);
  });

  it('stays fast when every line differs, showing the middle as one change past the edit bound', () => {
    const n = 50_000;
    const started = Date.now();
    const diff = readableDiff(lines(n, (i) => `a${i}`), lines(n, (i) => `b${i}`), 'A', 'B');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(diff).toContain(`(more than ${MAX_EDIT_LINES} lines differ: the differing middle is shown as one change)`);
    expect(diff.split('\n').filter((l) => l.startsWith('-a')).length).toBe(n);
    expect(diff.split('\n').filter((l) => l.startsWith('+b')).length).toBe(n);
    expect(diff).toContain(`@@ -1,${n} +1,${n} @@`);
  });

  it('keeps the diff minimal up to the edit bound', () => {
    const n = MAX_EDIT_LINES / 2 - 1;
    const diff = readableDiff(lines(n, (i) => `a${i}`), lines(n, (i) => `b${i}`), 'A', 'B');
    expect(diff).not.toContain('differ');
    expect(diff.split('\n').filter((l) => l.startsWith('-a')).length).toBe(n);
  });
});
