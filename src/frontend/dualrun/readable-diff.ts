/** Lines compared per side: the LCS table is quadratic, and stored diffs should stay small. */
export const MAX_DIFF_LINES = 2000;
const CONTEXT = 3;

type Op = { tag: ' ' | '-' | '+'; line: string };

/**
 * A unified-style line diff for humans reviewing stored mismatches ('' when equal). Lines keep
 * their terminator while comparing, so a missing final newline shows up as a difference,
 * marked the way diff(1) marks it.
 */
export function readableDiff(a: string, b: string, labelA: string, labelB: string): string {
  if (a === b) return '';
  const allA = splitLines(a);
  const allB = splitLines(b);
  const truncated = allA.length > MAX_DIFF_LINES || allB.length > MAX_DIFF_LINES;
  const linesA = allA.slice(0, MAX_DIFF_LINES);
  const linesB = allB.slice(0, MAX_DIFF_LINES);
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  if (truncated) {
    out.push(
      `(inputs have ${allA.length} and ${allB.length} lines; only the first ${MAX_DIFF_LINES} of each are compared)`,
    );
  }
  out.push(...renderHunks(editScript(linesA, linesB)));
  return out.join('\n') + '\n';
}

function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function editScript(a: string[], b: string[]): Op[] {
  // Common ends are cheap to peel off and usually most of the text.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  return [
    ...a.slice(0, pre).map((line): Op => ({ tag: ' ', line })),
    ...lcsDiff(midA, midB),
    ...a.slice(a.length - suf).map((line): Op => ({ tag: ' ', line })),
  ];
}

function lcsDiff(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // suffix[i*width+j] = LCS length of a[i:] and b[j:]; ≤ MAX_DIFF_LINES fits in 16 bits.
  const suffix = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      suffix[i * width + j] =
        a[i] === b[j]
          ? suffix[(i + 1) * width + j + 1] + 1
          : Math.max(suffix[(i + 1) * width + j], suffix[i * width + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ tag: ' ', line: a[i++] });
      j++;
    } else if (j < m && (i === n || suffix[i * width + j + 1] >= suffix[(i + 1) * width + j])) {
      ops.push({ tag: '+', line: b[j++] });
    } else {
      ops.push({ tag: '-', line: a[i++] });
    }
  }
  // Within a changed block, show removals before additions, as diff(1) does.
  return groupChanges(ops);
}

function groupChanges(ops: Op[]): Op[] {
  const out: Op[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].tag === ' ') {
      out.push(ops[k++]);
      continue;
    }
    const removed: Op[] = [];
    const added: Op[] = [];
    while (k < ops.length && ops[k].tag !== ' ') (ops[k].tag === '-' ? removed : added).push(ops[k++]);
    out.push(...removed, ...added);
  }
  return out;
}

function renderHunks(ops: Op[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op, idx) => (op.tag === ' ' ? -1 : idx)).filter((idx) => idx >= 0);
  let c = 0;
  while (c < changed.length) {
    const start = Math.max(0, changed[c] - CONTEXT);
    let end = Math.min(ops.length, changed[c] + CONTEXT + 1);
    // Changes whose context windows touch share one hunk.
    while (c + 1 < changed.length && changed[c + 1] - CONTEXT <= end) {
      c++;
      end = Math.min(ops.length, changed[c] + CONTEXT + 1);
    }
    c++;
    out.push(hunkHeader(ops, start, end), ...ops.slice(start, end).flatMap(renderOp));
  }
  return out;
}

function hunkHeader(ops: Op[], start: number, end: number): string {
  let lineA = 1;
  let lineB = 1;
  for (const op of ops.slice(0, start)) {
    if (op.tag !== '+') lineA++;
    if (op.tag !== '-') lineB++;
  }
  const hunk = ops.slice(start, end);
  const countA = hunk.filter((op) => op.tag !== '+').length;
  const countB = hunk.filter((op) => op.tag !== '-').length;
  return `@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`;
}

/** Unified format names the line before an empty range, and omits a count of 1. */
function range(first: number, count: number): string {
  if (count === 0) return `${first - 1},0`;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function renderOp(op: Op): string[] {
  if (op.line.endsWith('\n')) return [op.tag + op.line.slice(0, -1)];
  return [op.tag + op.line, '\\ No newline at end of file'];
}
