import { RunAdmission } from './run-admission';
import { SandboxBusy } from '../contract/run-result';

describe('RunAdmission', () => {
  it('admits up to maxRuns at once and makes room as runs leave', () => {
    const a = new RunAdmission(2, 1000);
    const first = a.enter(1);
    a.enter(1);
    expect(() => a.enter(1)).toThrow(SandboxBusy);
    expect(() => a.enter(1)).toThrow(/capacity \(2 runs/);
    first();
    first(); // a second release changes nothing
    expect(a.admitted).toBe(1);
    expect(() => a.enter(1)).not.toThrow();
    expect(() => a.enter(1)).toThrow(SandboxBusy);
  });

  it('admits binaries only while their bytes fit the memory set aside for them', () => {
    const a = new RunAdmission(100, 3 << 20);
    const big = a.enter(2 << 20);
    expect(() => a.enter(2 << 20)).toThrow(/2\.0 of 3 MiB/);
    expect(a.admitted).toBe(1); // a refusal reserves nothing
    a.enter(1 << 20);
    big();
    expect(() => a.enter(2 << 20)).not.toThrow();
  });
});
