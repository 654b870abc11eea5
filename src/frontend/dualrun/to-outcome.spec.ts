import { SandboxFailure } from '../../contract/run-result';
import { compareOutcomes } from './compare';
import { BUILT_IN_RULES } from './diff-rule';
import { toOutcome } from './to-outcome';

const answer = { Errors: '', Events: null, Status: 0, IsTest: false, TestsFailed: 0 };

describe('toOutcome', () => {
  it('takes a program that exhausted its sandbox for the program\'s answer, not a backend error', () => {
    const exhausted = toOutcome({ ...answer, Status: 137 });
    expect(exhausted.kind).toBe('exhausted');
    expect(toOutcome({ ...answer, Status: 137, Events: [{ Message: 'bye\n', Kind: 'stdout', Delay: 0 }] }).kind).toBe('ran');
    expect(toOutcome(new SandboxFailure('sandbox backend unreachable')).kind).toBe('backend-error');
    // A fork bomb: stopped at its time limit on one backend, the sandbox exhausted on the
    // other. Both gave up; nothing counts against the backends.
    const timeout = toOutcome({ ...answer, Status: 1, Events: [{ Message: 'timeout running program\n', Kind: 'stderr', Delay: 0 }] });
    expect(timeout.kind).toBe('timeout');
    expect(compareOutcomes(timeout, exhausted, BUILT_IN_RULES).diffClass).toBe('both-failed');
    expect(compareOutcomes(exhausted, exhausted, BUILT_IN_RULES).diffClass).toBe('both-failed');
  });

  it('takes a run stopped at its time limit for a timeout, whether the program or the sandbox was stopped', () => {
    const partial = [{ Message: 'tick\n', Kind: 'stdout' as const, Delay: 0 }, { Message: 'late\ntimeout running program\n', Kind: 'stderr' as const, Delay: 5 }];
    expect(toOutcome({ ...answer, Status: 1, Events: partial }).kind).toBe('timeout');
    expect(toOutcome({ ...answer, Errors: 'timeout running program' }).kind).toBe('timeout');
    // stdout may go on past stderr's last time, where the notice is.
    expect(toOutcome({ ...answer, Status: 1, Events: [partial[1], partial[0]] }).kind).toBe('timeout');
    // The notice must end stderr: followed by more stderr, or on stdout, it is output.
    expect(toOutcome({ ...answer, Events: [partial[1], { Message: 'more\n', Kind: 'stderr', Delay: 1 }] }).kind).toBe('ran');
    expect(toOutcome({ ...answer, Events: [{ Message: 'timeout running program\n', Kind: 'stdout', Delay: 0 }] }).kind).toBe('ran');
  });

  it('takes a build past its time limit for a timeout, with whatever the build printed until then', () => {
    // As play.golang.org: the message, then the build's output up to the kill.
    expect(toOutcome({ ...answer, Errors: 'timeout running go build\n' }).kind).toBe('timeout');
    expect(toOutcome({ ...answer, Errors: 'timeout running go build\n# play\n./prog.go:3: …\n' }).kind).toBe('timeout');
    expect(toOutcome({ ...answer, Errors: './prog.go:1:1: timeout running go build' }).kind).toBe('build-error');
  });
});
