import { applyRule, BadRuleError, BUILT_IN_RULES, compileRule, type DiffRuleSpec } from './diff-rule';

const builtIn = (name: string) => {
  const spec = BUILT_IN_RULES.find((r) => r.name === name);
  if (spec === undefined) throw new Error(`no built-in rule ${name}`);
  return compileRule(spec);
};
const mask = (name: string, text: string): string => applyRule(builtIn(name), text);
const errorOf = (spec: DiffRuleSpec): BadRuleError => {
  try {
    compileRule(spec);
  } catch (e) {
    if (e instanceof BadRuleError) return e;
    throw e;
  }
  throw new Error('expected compileRule to throw');
};

describe('BUILT_IN_RULES', () => {
  it('all compile, have unique names and descriptions', () => {
    const names = BUILT_IN_RULES.map((r) => compileRule(r).name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of BUILT_IN_RULES) expect(r.description.length).toBeGreaterThan(20);
    expect(names).toEqual(
      expect.arrayContaining(['goarch', 'goos', 'int-size', 'int-bits', 'hex-address', 'goroutine-id', 'go-version']),
    );
  });

  it('masks the version rule before any number rule', () => {
    const order = BUILT_IN_RULES.map((r) => r.name);
    expect(order.indexOf('go-version')).toBeLessThan(order.indexOf('int-size'));
    expect(order.indexOf('go-version')).toBeLessThan(order.indexOf('int-bits'));
    expect(order.indexOf('goroutine-id')).toBeLessThan(order.indexOf('int-size'));
  });

  it('goarch: whole words only, longest name first', () => {
    expect(mask('goarch', 'amd64p32 amd64 386 arm64')).toBe('<goarch> <goarch> <goarch> <goarch>');
    expect(mask('goarch', 'xamd64 3860 amd64x')).toBe('xamd64 3860 amd64x');
  });

  it('goos: whole words only', () => {
    expect(mask('goos', 'linux/amd64 nacl/amd64p32')).toBe('<goos>/amd64 <goos>/amd64p32');
    expect(mask('goos', 'linuxes snacl')).toBe('linuxes snacl');
  });

  it('int-size: standalone 4 and 8 only', () => {
    expect(mask('int-size', 'size 4, size 8')).toBe('size <int-size>, size <int-size>');
    expect(mask('int-size', 'int8 0x8 48 14 4.5')).toBe('int8 0x8 48 14 <int-size>.5');
  });

  it('int-bits: standalone 32 and 64, not type names', () => {
    expect(mask('int-bits', '32-bit vs 64-bit, UintSize=64')).toBe('<int-bits>-bit vs <int-bits>-bit, UintSize=<int-bits>');
    expect(mask('int-bits', 'int32 float64 640 132')).toBe('int32 float64 640 132');
  });

  it('int-limits: both word sizes, signed and unsigned', () => {
    expect(mask('int-limits', '2147483647 9223372036854775807 -2147483648 -9223372036854775808')).toBe(
      '<int-limits> <int-limits> <int-limits> <int-limits>',
    );
    expect(mask('int-limits', '4294967295 18446744073709551615 21474836470')).toBe('<int-limits> <int-limits> 21474836470');
  });

  it('hex-address: lower-case hex literals', () => {
    expect(mask('hex-address', 'ptr 0xc000012345 pc=0x45a1b2')).toBe('ptr <hex-address> pc=<hex-address>');
    expect(mask('hex-address', '0x 10x1')).toBe('0x 10x1');
  });

  it('goroutine-id: the number after "goroutine"', () => {
    expect(mask('goroutine-id', 'goroutine 1 [running]:\ngoroutine 18 [chan receive]:')).toBe(
      '<goroutine-id> [running]:\n<goroutine-id> [chan receive]:',
    );
    expect(mask('goroutine-id', 'goroutines 3')).toBe('goroutines 3');
  });

  it('go-version: releases, patch releases and pre-releases', () => {
    expect(mask('go-version', 'go1.13 go1.13.8 go1.22rc1 go1.21.0 go1.x')).toBe(
      '<go-version> <go-version> <go-version> <go-version> go1.x',
    );
  });
});

describe('compileRule', () => {
  it('defaults to global matching and adds g to other flags', () => {
    expect(compileRule({ name: 'a', description: '', pattern: 'x' }).regex.flags).toBe('g');
    const r = compileRule({ name: 'a', description: '', pattern: 'x', flags: 'i' });
    expect(r.regex.flags).toContain('g');
    expect(applyRule(r, 'X x')).toBe('<a> <a>');
  });

  it('trims the name and uses it in the placeholder', () => {
    expect(compileRule({ name: ' pid ', description: '', pattern: '\\d+' }).placeholder).toBe('<pid>');
  });

  it('rejects an empty name', () => {
    expect(errorOf({ name: '  ', description: '', pattern: 'x' }).message).toBe('diff rule name must not be empty');
  });

  it('rejects names that could forge a placeholder', () => {
    expect(errorOf({ name: 'a<b>', description: '', pattern: 'x' }).message).toMatch(/must not contain "<"/);
  });

  it('rejects an invalid pattern with a message naming the rule and the pattern', () => {
    const err = errorOf({ name: 'broken', description: '', pattern: '(unclosed' });
    expect(err).toBeInstanceOf(BadRuleError);
    expect(err.message).toMatch(/^diff rule "broken": invalid pattern "\(unclosed": /);
  });

  it('rejects empty patterns and patterns that match the empty string', () => {
    expect(errorOf({ name: 'e', description: '', pattern: '' }).message).toBe('diff rule "e": pattern must not be empty');
    expect(errorOf({ name: 'star', description: '', pattern: 'a*' }).message).toMatch(/matches the empty string/);
  });

  it('rejects unknown or sticky flags', () => {
    expect(errorOf({ name: 'f', description: '', pattern: 'x', flags: 'gq' }).message).toMatch(/unsupported regex flags/);
    expect(errorOf({ name: 'f', description: '', pattern: 'x', flags: 'y' }).message).toMatch(/unsupported regex flags/);
  });
});

describe('applyRule', () => {
  it('is repeatable on the same compiled rule (no lastIndex leakage)', () => {
    const r = compileRule({ name: 'n', description: '', pattern: '\\d' });
    expect(applyRule(r, 'a1')).toBe('a<n>');
    expect(applyRule(r, '2b')).toBe('<n>b');
  });

  it('leaves zero-length matches of lookaround patterns alone', () => {
    const r = compileRule({ name: 'z', description: '', pattern: '(?=x)|y' });
    expect(applyRule(r, 'axby')).toBe('axb<z>');
  });
});
