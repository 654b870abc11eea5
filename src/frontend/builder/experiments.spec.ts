import { requestedExperiments } from './experiments';

describe('GOEXPERIMENT comments', () => {
  it('reads the leading comments of root files only', () => {
    const files = new Map([
      ['prog.go', '// GOEXPERIMENT=rangefunc\n\n//GOEXPERIMENT = aliastypeparams\npackage main\n// GOEXPERIMENT=late\n'],
      ['sub/x.go', '// GOEXPERIMENT=nested\npackage x\n'],
    ]);
    expect(requestedExperiments(files)).toBe('rangefunc,aliastypeparams');
  });

  it('is empty without such comments', () => {
    expect(requestedExperiments(new Map([['prog.go', 'package main\n']]))).toBe('');
  });

  it('refuses a value that is no experiment list', () => {
    expect(() => requestedExperiments(new Map([['prog.go', '// GOEXPERIMENT=a b\npackage main\n']]))).toThrow(/invalid GOEXPERIMENT/);
  });
});
