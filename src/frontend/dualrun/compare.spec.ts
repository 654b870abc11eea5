import type { PlaybackEvent } from '../playground/contract';
import { compareOutcomes, sameOutcome } from './compare';
import { DIFF_CLASSES } from './diff-class';
import { BadRuleError, BUILT_IN_RULES, type DiffRuleSpec } from './diff-rule';
import type { Outcome } from './outcome';
import { ranOutcome } from './outcome.fixture';

const ev = (Message: string, Delay = 0, Kind: 'stdout' | 'stderr' = 'stdout'): PlaybackEvent => ({
  Message,
  Kind,
  Delay,
});
const ran = ranOutcome;
const failed = (kind: Outcome['kind'], errors: string, events: PlaybackEvent[] = []): Outcome =>
  ran(events, { kind, errors, status: kind === 'ran' ? 0 : 1 });

const hello = (): Outcome => ran([ev('Hello, 世界\n')]);

describe('DIFF_CLASSES', () => {
  it('lists every class once', () => {
    expect([...DIFF_CLASSES].sort()).toEqual(
      ['backend-error', 'both-failed', 'expected', 'flaky', 'match', 'mismatch', 'timing-only'].sort(),
    );
  });
});

describe('compareOutcomes', () => {
  it('matches identical hello runs with an empty diff', () => {
    expect(compareOutcomes(hello(), hello(), BUILT_IN_RULES)).toEqual({ diffClass: 'match', matchedRules: [], diff: '' });
  });

  it('calls the same text at different virtual times timing-only, and shows the timeline', () => {
    const a = ran([ev('tick\n', 1e9), ev('tock\n', 1e9)]);
    const b = ran([ev('tick\n', 1e9), ev('tock\n', 2e9)]);
    const r = compareOutcomes(a, b, BUILT_IN_RULES);
    expect(r.diffClass).toBe('timing-only');
    expect(r.matchedRules).toEqual([]);
    expect(r.diff).toContain('-@2000000000ns stdout "tock\\n"');
    expect(r.diff).toContain('+@3000000000ns stdout "tock\\n"');
  });

  it('treats a different split of the same text into events as timing-only', () => {
    const a = ran([ev('ab\n')]);
    const b = ran([ev('a'), ev('b\n', 5)]);
    expect(compareOutcomes(a, b, []).diffClass).toBe('timing-only');
  });

  it('treats a different interleaving of stdout and stderr as timing-only', () => {
    const a = ran([ev('out\n', 1), ev('err\n', 1, 'stderr')]);
    const b = ran([ev('err\n', 1, 'stderr'), ev('out\n', 1)]);
    expect(compareOutcomes(a, b, []).diffClass).toBe('timing-only');
  });

  it('explains "4 386" vs "8 amd64" with the size and goarch rules only', () => {
    const r = compareOutcomes(ran([ev('4 386\n')]), ran([ev('8 amd64\n')]), BUILT_IN_RULES);
    expect(r.diffClass).toBe('expected');
    expect(r.matchedRules).toEqual(['goarch', 'int-size']);
    expect(r.matchedRules).not.toContain('hex-address');
    expect(r.diff).toContain('-4 386');
    expect(r.diff).toContain('+8 amd64');
  });

  it('does not credit a rule that only matched text equal on both sides', () => {
    const a = ran([ev('nacl 0xc000010000 goroutine 1\n')]);
    const b = ran([ev('linux 0xc000010000 goroutine 1\n')]);
    expect(compareOutcomes(a, b, BUILT_IN_RULES).matchedRules).toEqual(['goos']);
  });

  it('explains a typical NaCl vs linux traceback with several rules', () => {
    const trace = (ver: string, addr: string, id: number): Outcome =>
      ran([ev(`panic: boom\n\ngoroutine ${id} [running]:\nmain.main()\n\t/tmp/x/prog.go:8 +0x${addr}\n${ver}\n`, 0, 'stderr')], {
        status: 2,
      });
    const r = compareOutcomes(trace('go1.13.8', '20', 1), trace('go1.22.1', '1d', 18), BUILT_IN_RULES);
    expect(r.diffClass).toBe('expected');
    expect(r.matchedRules).toEqual(['go-version', 'hex-address', 'goroutine-id']);
  });

  it('keeps the version rule from being credited to number rules', () => {
    const r = compareOutcomes(ran([ev('go1.13.4\n')]), ran([ev('go1.22.8\n')]), BUILT_IN_RULES);
    expect(r).toMatchObject({ diffClass: 'expected', matchedRules: ['go-version'] });
  });

  it('reports a planted extra line as a mismatch with a diff that shows it', () => {
    const a = ran([ev('Hello\nWorld\n')]);
    const b = ran([ev('Hello\nPLANTED\nWorld\n')]);
    const r = compareOutcomes(a, b, BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.matchedRules).toEqual([]);
    expect(r.diff).toContain('--- primary/stdout\n+++ shadow/stdout\n');
    expect(r.diff).toMatch(/^\+PLANTED$/m);
    expect(r.diff).not.toContain('primary/stderr');
  });

  it('is a mismatch when rules explain only part of the difference', () => {
    const r = compareOutcomes(ran([ev('4 386\nok\n')]), ran([ev('8 amd64\nnot ok\n')]), BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.matchedRules).toEqual([]);
  });

  it('is a mismatch without rules for what a rule would have explained', () => {
    expect(compareOutcomes(ran([ev('4\n')]), ran([ev('8\n')]), []).diffClass).toBe('mismatch');
  });

  it('never excuses a different exit status, test count or result kind with rules', () => {
    expect(compareOutcomes(ran([ev('4\n')]), ran([ev('8\n')], { status: 1 }), BUILT_IN_RULES).diffClass).toBe('mismatch');
    const t = (failed: number): Outcome => ran([ev('--- FAIL: TestX\n')], { isTest: true, testsFailed: failed, status: 1 });
    const r = compareOutcomes(t(1), t(2), BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.diff).toContain('-testsFailed: 1\n+testsFailed: 2');
  });

  it('reports a status-only difference as a mismatch with the status in the diff', () => {
    const r = compareOutcomes(hello(), ran([ev('Hello, 世界\n')], { status: 3 }), BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.diff).toContain('-status: 0\n+status: 3');
  });

  it('calls two timeouts, two oversized outputs or one of each both-failed', () => {
    const timeout = failed('timeout', 'timeout running program', [ev('partial\n')]);
    const nacl = failed('timeout', 'process took too long');
    const big = failed('too-large', 'Output too large');
    expect(compareOutcomes(timeout, nacl, BUILT_IN_RULES).diffClass).toBe('both-failed');
    expect(compareOutcomes(big, big, BUILT_IN_RULES).diffClass).toBe('both-failed');
    expect(compareOutcomes(timeout, big, BUILT_IN_RULES).diffClass).toBe('both-failed');
  });

  it('is a mismatch when only one side timed out', () => {
    const r = compareOutcomes(hello(), failed('timeout', 'timeout running program'), BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.diff).toContain('+kind: timeout');
  });

  it('reports a backend error on either side, before anything else', () => {
    const broken = failed('backend-error', 'connection refused');
    expect(compareOutcomes(hello(), broken, BUILT_IN_RULES).diffClass).toBe('backend-error');
    expect(compareOutcomes(broken, hello(), BUILT_IN_RULES).diffClass).toBe('backend-error');
    const timeout = failed('timeout', 'timeout running program');
    expect(compareOutcomes(broken, timeout, BUILT_IN_RULES).diffClass).toBe('backend-error');
    expect(compareOutcomes(broken, broken, BUILT_IN_RULES).diffClass).toBe('backend-error');
  });

  it('matches build errors that differ only in the temp directory', () => {
    const a = failed('build-error', '/tmp/sandbox111/prog.go:3:2: undefined: x\n');
    const b = failed('build-error', '/tmp/play-build-xyz/prog.go:3:2: undefined: x\n');
    expect(compareOutcomes(a, b, BUILT_IN_RULES)).toEqual({ diffClass: 'match', matchedRules: [], diff: '' });
  });

  it('reports different build errors as a mismatch with an errors diff', () => {
    const a = failed('build-error', './prog.go:3:2: undefined: x\n');
    const b = failed('build-error', './prog.go:3:2: x declared and not used\n');
    const r = compareOutcomes(a, b, BUILT_IN_RULES);
    expect(r.diffClass).toBe('mismatch');
    expect(r.diff).toContain('--- primary/errors');
  });

  it('applies rules to stderr and errors too', () => {
    const a = failed('build-error', './prog.go:1:1: requires go1.21 or later (-lang was set to go1.13)\n');
    const b = failed('build-error', './prog.go:1:1: requires go1.21 or later (-lang was set to go1.22)\n');
    expect(compareOutcomes(a, b, BUILT_IN_RULES)).toMatchObject({ diffClass: 'expected', matchedRules: ['go-version'] });
  });

  it('uses custom rules and reports them by name', () => {
    const rules: DiffRuleSpec[] = [{ name: 'pid', description: 'process ids', pattern: String.raw`pid \d+` }];
    const r = compareOutcomes(ran([ev('pid 12\n')]), ran([ev('pid 99\n')]), rules);
    expect(r).toMatchObject({ diffClass: 'expected', matchedRules: ['pid'] });
  });

  it('rejects an invalid rule', () => {
    expect(() => compareOutcomes(hello(), hello(), [{ name: 'x', description: '', pattern: '[' }])).toThrow(BadRuleError);
  });

  it('never returns flaky by itself', () => {
    const r = compareOutcomes(ran([ev('1\n')]), ran([ev('2\n')]), BUILT_IN_RULES);
    expect(r.diffClass).not.toBe('flaky');
  });
});

describe('sameOutcome', () => {
  it('ignores timing but not text, status, test failures or kind', () => {
    expect(sameOutcome(ran([ev('x\n', 1)]), ran([ev('x\n', 7)]))).toBe(true);
    expect(sameOutcome(ran([ev('x\n')]), ran([ev('y\n')]))).toBe(false);
    expect(sameOutcome(ran([ev('x\n')]), ran([ev('x\n')], { status: 1 }))).toBe(false);
    expect(sameOutcome(ran([], { testsFailed: 1 }), ran([], { testsFailed: 2 }))).toBe(false);
    expect(sameOutcome(failed('timeout', 'e'), failed('too-large', 'e'))).toBe(false);
  });

  it('normalises temp paths in errors', () => {
    expect(sameOutcome(failed('build-error', '/tmp/a/prog.go:1: x'), failed('build-error', '/tmp/b/prog.go:1: x'))).toBe(true);
  });

  it('distinguishes output moved between stdout and stderr', () => {
    expect(sameOutcome(ran([ev('x\n')]), ran([ev('x\n', 0, 'stderr')]))).toBe(false);
  });
});
