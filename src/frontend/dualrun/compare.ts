import type { DiffClass } from './diff-class';
import { applyRule, compileRule, type CompiledRule, type DiffRuleSpec } from './diff-rule';
import { normalise, type NormalisedOutcome } from './normalise';
import type { Outcome } from './outcome';
import { readableDiff } from './readable-diff';

export interface Comparison {
  diffClass: DiffClass;
  /** For 'expected': the rules without which the two sides would not be equal. */
  matchedRules: string[];
  /** Readable diff of the parts that differ ('' for a match). */
  diff: string;
}

type Texts = [stdout: string, stderr: string, errors: string];

const GAVE_UP: ReadonlySet<Outcome['kind']> = new Set(['timeout', 'too-large', 'exhausted']);

/**
 * Classifies a primary/shadow pair. Rules only ever make text equal; they cannot excuse a
 * different exit status, test-failure count or kind of result. A difference in virtual timing
 * (including how stdout and stderr interleave) is reported as timing-only when the text
 * agrees, and is not looked at once rules are needed: 'expected' means "explained", not
 * "identical apart from the rules". 'flaky' is never returned here; see sameOutcome.
 */
export function compareOutcomes(primary: Outcome, shadow: Outcome, rules: DiffRuleSpec[]): Comparison {
  const compiled = rules.map(compileRule);
  const a = normalise(primary);
  const b = normalise(shadow);
  const diff = contentDiff(a, b);

  if (a.kind === 'backend-error' || b.kind === 'backend-error') return result('backend-error', diff);
  if (GAVE_UP.has(a.kind) && GAVE_UP.has(b.kind)) return result('both-failed', diff);
  if (sameContent(a, b)) {
    if (sameTiming(a, b)) return result('match', '');
    return result('timing-only', readableDiff(timelineText(a), timelineText(b), 'primary/timeline', 'shadow/timeline'));
  }
  if (sameVerdict(a, b)) {
    const needed = neededRules(compiled, texts(a), texts(b));
    if (needed !== undefined) return { diffClass: 'expected', matchedRules: needed, diff };
  }
  return result('mismatch', diff);
}

/**
 * Whether two runs produced the same result (text, errors, status, test failures, kind),
 * ignoring timing: the caller reruns the primary after a mismatch and calls the pair 'flaky'
 * when the primary does not even agree with itself.
 */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return sameContent(normalise(a), normalise(b));
}

function result(diffClass: DiffClass, diff: string): Comparison {
  return { diffClass, matchedRules: [], diff };
}

function texts(o: NormalisedOutcome): Texts {
  return [o.stdout, o.stderr, o.errors];
}

function sameVerdict(a: NormalisedOutcome, b: NormalisedOutcome): boolean {
  return a.kind === b.kind && a.status === b.status && a.testsFailed === b.testsFailed && a.isTest === b.isTest;
}

function sameContent(a: NormalisedOutcome, b: NormalisedOutcome): boolean {
  return sameVerdict(a, b) && sameTexts(texts(a), texts(b));
}

function sameTexts(x: Texts, y: Texts): boolean {
  return x.every((t, i) => t === y[i]);
}

function sameTiming(a: NormalisedOutcome, b: NormalisedOutcome): boolean {
  return (
    a.events.length === b.events.length &&
    a.events.every((e, i) => e.kind === b.events[i].kind && e.at === b.events[i].at && e.message === b.events[i].message)
  );
}

function applyAll(rules: CompiledRule[], t: Texts): Texts {
  return t.map((s) => rules.reduce((acc, r) => applyRule(r, acc), s)) as Texts;
}

function equalUnder(rules: CompiledRule[], x: Texts, y: Texts): boolean {
  return sameTexts(applyAll(rules, x), applyAll(rules, y));
}

/**
 * The names of a minimal set of rules (in rule order) that makes the texts equal, or
 * undefined when even all rules together do not. First drop rules that touch nothing, then
 * drop each remaining rule whose absence still leaves the sides equal, so that a rule that
 * merely matched identical text on both sides is not credited.
 */
function neededRules(rules: CompiledRule[], x: Texts, y: Texts): string[] | undefined {
  if (!equalUnder(rules, x, y)) return undefined;
  let kept: CompiledRule[] = [];
  let curX = x;
  let curY = y;
  for (const r of rules) {
    const nextX = applyAll([r], curX);
    const nextY = applyAll([r], curY);
    if (!sameTexts(nextX, curX) || !sameTexts(nextY, curY)) kept.push(r);
    curX = nextX;
    curY = nextY;
  }
  for (const r of [...kept]) {
    const without = kept.filter((k) => k !== r);
    if (equalUnder(without, x, y)) kept = without;
  }
  return kept.map((r) => r.name);
}

function verdictText(o: NormalisedOutcome): string {
  return `kind: ${o.kind}\nstatus: ${o.status}\ntestsFailed: ${o.testsFailed}\nisTest: ${o.isTest}\n`;
}

function contentDiff(a: NormalisedOutcome, b: NormalisedOutcome): string {
  const parts: Array<[string, string, string]> = [
    ['result', verdictText(a), verdictText(b)],
    ['stdout', a.stdout, b.stdout],
    ['stderr', a.stderr, b.stderr],
    ['errors', a.errors, b.errors],
  ];
  return parts
    .map(([name, x, y]) => readableDiff(x, y, `primary/${name}`, `shadow/${name}`))
    .filter((d) => d !== '')
    .join('\n');
}

function timelineText(o: NormalisedOutcome): string {
  return o.events.map((e) => `@${e.at}ns ${e.kind} ${JSON.stringify(e.message)}\n`).join('');
}
