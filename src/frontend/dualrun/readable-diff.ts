import { diffArrays } from 'diff';

const CONTEXT = 3;
/**
 * Myers' diff costs about the square of the number of differing lines (half a second for
 * 1000 on this machine, seconds for 2000): past this bound a minimal diff would hold the
 * event loop, and a reviewer learns no more from it than from "all of this changed". The
 * length of the inputs is not bounded: common lines cost next to nothing.
 */
export const MAX_EDIT_LINES = 1000;

type Op = { tag: ' ' | '-' | '+'; line: string };

/**
 * A unified-style line diff for humans reviewing stored mismatches ('' when equal). Lines keep
 * their terminator while comparing, so a missing final newline shows up as a difference,
 * marked the way diff(1) marks it.
 */
export function readableDiff(a: string, b: string, labelA: string, labelB: string): string {
  if (a === b) return '';
  const { ops, minimal } = editScript(splitLines(a), splitLines(b));
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  if (!minimal) out.push(`(more than ${MAX_EDIT_LINES} lines differ: the differing middle is shown as one change)`);
  out.push(...renderHunks(ops));
  return out.join('\n') + '\n';
}

function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function editScript(a: string[], b: string[]): { ops: Op[]; minimal: boolean } {
  // Common ends are cheap to peel off and usually most of the text.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const changes = diffArrays(midA, midB, { maxEditLength: MAX_EDIT_LINES });
  const middle: Op[] = changes
    ? changes.flatMap((c) => c.value.map((line): Op => ({ tag: c.added ? '+' : c.removed ? '-' : ' ', line })))
    : [...midA.map((line): Op => ({ tag: '-', line })), ...midB.map((line): Op => ({ tag: '+', line }))];
  const ops = [
    ...a.slice(0, pre).map((line): Op => ({ tag: ' ', line })),
    // Within a changed block, show removals before additions, as diff(1) does.
    ...groupChanges(middle),
    ...a.slice(a.length - suf).map((line): Op => ({ tag: ' ', line })),
  ];
  return { ops, minimal: changes !== undefined };
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
  // Line numbers before each op, counted once: a hunk header needs those at its start.
  const lineA = new Uint32Array(ops.length + 1);
  const lineB = new Uint32Array(ops.length + 1);
  lineA[0] = lineB[0] = 1;
  ops.forEach((op, i) => {
    lineA[i + 1] = lineA[i] + (op.tag !== '+' ? 1 : 0);
    lineB[i + 1] = lineB[i] + (op.tag !== '-' ? 1 : 0);
  });
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
    const header = `@@ -${range(lineA[start], lineA[end] - lineA[start])} +${range(lineB[start], lineB[end] - lineB[start])} @@`;
    out.push(header, ...ops.slice(start, end).flatMap(renderOp));
  }
  return out;
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
