import { SandboxFailure, SandboxOutOfMemory } from '../sandbox/run-result';
import { compareOutcomes } from './compare';
import { BUILT_IN_RULES } from './diff-rule';
import { toOutcome } from './to-outcome';

describe('toOutcome', () => {
  it('takes a program that exhausted its sandbox for the program\'s answer, not a backend error', () => {
    const exhausted = toOutcome(new SandboxOutOfMemory('the program exhausted the sandbox (out of memory or processes) and was stopped'));
    expect(exhausted.kind).toBe('exhausted');
    expect(toOutcome(new SandboxFailure('sandbox backend unreachable')).kind).toBe('backend-error');
    // A fork bomb: stopped by the process limit (a timeout) on one backend, the sandbox
    // exhausted on the other. Both gave up; nothing counts against the backends.
    const timeout = toOutcome({ Errors: 'timeout running program', Events: null, Status: 0, IsTest: false, TestsFailed: 0 });
    expect(compareOutcomes(timeout, exhausted, BUILT_IN_RULES).diffClass).toBe('both-failed');
    expect(compareOutcomes(exhausted, exhausted, BUILT_IN_RULES).diffClass).toBe('both-failed');
  });

  it('takes a build past its time limit for a timeout, with whatever the build printed until then', () => {
    // As play.golang.org: the message, then the build's output up to the kill.
    expect(toOutcome({ Errors: 'timeout running go build\n', Events: null, Status: 0, IsTest: false, TestsFailed: 0 }).kind).toBe('timeout');
    expect(toOutcome({ Errors: 'timeout running go build\n# play\n./prog.go:3: …\n', Events: null, Status: 0, IsTest: false, TestsFailed: 0 }).kind).toBe('timeout');
    expect(toOutcome({ Errors: './prog.go:1:1: timeout running go build', Events: null, Status: 0, IsTest: false, TestsFailed: 0 }).kind).toBe('build-error');
  });
});
