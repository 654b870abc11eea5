import type { PlaybackEvent } from '../playground/contract';
import { normalise, normaliseErrors } from './normalise';
import type { Outcome } from './outcome';
import { ranOutcome } from './outcome.fixture';

const ev = (Kind: 'stdout' | 'stderr', Message: string, Delay = 0): PlaybackEvent => ({ Kind, Message, Delay });
const outcome = ranOutcome;

describe('normalise', () => {
  it('concatenates each stream in order', () => {
    const n = normalise(outcome([ev('stdout', 'a\n'), ev('stderr', 'E1\n', 5), ev('stdout', 'b\n', 1), ev('stderr', 'E2')]));
    expect(n.stdout).toBe('a\nb\n');
    expect(n.stderr).toBe('E1\nE2');
  });

  it('accumulates delays into virtual timestamps per event', () => {
    const n = normalise(outcome([ev('stdout', 'a', 0), ev('stdout', 'b', 1e9), ev('stderr', 'c', 0), ev('stdout', 'd', 1)]));
    expect(n.timeline).toEqual([0, 1e9, 1e9, 1e9 + 1]);
    expect(n.events.map((e) => [e.kind, e.message, e.at])).toEqual([
      ['stdout', 'a', 0],
      ['stdout', 'b', 1e9],
      ['stderr', 'c', 1e9],
      ['stdout', 'd', 1e9 + 1],
    ]);
  });

  it('tags combined lines by stream in event order', () => {
    const n = normalise(outcome([ev('stdout', 'one\ntwo\n'), ev('stderr', 'oops\n'), ev('stdout', 'three\n')]));
    expect(n.combined).toBe('stdout| one\nstdout| two\nstderr| oops\nstdout| three\n');
  });

  it('joins consecutive events of one stream so event splitting does not show in combined', () => {
    const split = normalise(outcome([ev('stdout', 'hel'), ev('stdout', 'lo\n', 10)]));
    const whole = normalise(outcome([ev('stdout', 'hello\n')]));
    expect(split.combined).toBe(whole.combined);
    expect(split.timeline).not.toEqual(whole.timeline);
  });

  it('marks a run that ends mid-line', () => {
    const n = normalise(outcome([ev('stdout', 'partial'), ev('stderr', 'err\n'), ev('stdout', 'rest\n')]));
    expect(n.combined).toBe('stdout| partial [no newline]\nstderr| err\nstdout| rest\n');
  });

  it('keeps empty lines and skips empty events', () => {
    const n = normalise(outcome([ev('stdout', '\n\n'), ev('stdout', ''), ev('stderr', '')]));
    expect(n.combined).toBe('stdout| \nstdout| \n');
    expect(n.timeline).toHaveLength(3);
  });

  it('copies status, test results and kind, and normalises temp paths in errors', () => {
    const n = normalise(
      outcome([], { kind: 'build-error', errors: '/tmp/sandbox1/prog.go:3:2: x\n', status: 2, testsFailed: 1, isTest: true }),
    );
    expect(n).toMatchObject({ kind: 'build-error', errors: './prog.go:3:2: x\n', status: 2, testsFailed: 1, isTest: true });
    expect(n.stdout).toBe('');
    expect(n.combined).toBe('');
    expect(n.timeline).toEqual([]);
  });
});

describe('normaliseErrors', () => {
  it('rewrites any /tmp/<dir>/ prefix to ./', () => {
    expect(normaliseErrors('/tmp/a/prog.go:1:1: x\n/tmp/go-build42/b001/y.go:2:2: y')).toBe(
      './prog.go:1:1: x\n./b001/y.go:2:2: y',
    );
  });

  it('leaves other paths alone', () => {
    const s = './prog.go:1:1\n/home/u/tmp/x/y.go\n/usr/local/go/src/x.go\n./tmp/a/b.go\n/tmp\n';
    expect(normaliseErrors(s)).toBe(s);
  });
});
