/**
 * A diff rule declares tokens that legitimately differ between backends: every match of
 * `pattern` on either side is replaced by the placeholder `<name>` before comparing, so the
 * matched tokens become interchangeable. Rules are applied in order, which matters when their
 * patterns overlap (a version string must be masked before its digits look like sizes).
 */
export interface DiffRuleSpec {
  name: string;
  description: string;
  /** JavaScript regular expression source. */
  pattern: string;
  /** JavaScript regex flags; default 'g'. 'g' is always added, 'y' is refused. */
  flags?: string;
}

export interface CompiledRule {
  name: string;
  description: string;
  regex: RegExp;
  placeholder: string;
}

/** A rule that cannot be used; the message says why, for whoever wrote the rule. */
export class BadRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRuleError';
  }
}

// NaCl builds were GOOS=nacl GOARCH=amd64p32 with a Go <= 1.13 toolchain, where int and
// pointers are 32 bits; linux-amd64 is linux/amd64 with a current toolchain.
export const BUILT_IN_RULES: DiffRuleSpec[] = [
  {
    name: 'go-version',
    description:
      'Go toolchain versions (runtime.Version(), error texts): go1.13.8 vs go1.22.1, including rc/beta ' +
      'suffixes. First, so that later number rules do not eat the digits of a version.',
    pattern: String.raw`\bgo1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?\b`,
  },
  {
    name: 'hex-address',
    description:
      'Hexadecimal numbers such as pointers (%p), panic PCs and sp= values: the address layouts differ. ' +
      'Trade-off: any lower-case 0x literal a program prints is masked too, e.g. a hex-formatted hash.',
    pattern: String.raw`\b0x[0-9a-f]+\b`,
  },
  {
    name: 'goroutine-id',
    description:
      'Goroutine numbers in tracebacks ("goroutine 18 [running]"): runtimes start different numbers ' +
      'of system goroutines. Only the number after the word "goroutine" is masked.',
    pattern: String.raw`\bgoroutine \d+\b`,
  },
  {
    name: 'goarch',
    description:
      'GOARCH names as whole words (runtime.GOARCH, build tags in messages): amd64p32 vs amd64. ' +
      'Trade-off: a standalone 386 printed as a number is masked as well.',
    pattern: String.raw`\b(?:amd64p32|amd64|arm64|386)\b`,
  },
  {
    name: 'goos',
    description: 'GOOS names as whole words (runtime.GOOS): nacl vs linux.',
    pattern: String.raw`\b(?:linux|nacl)\b`,
  },
  {
    name: 'int-limits',
    description:
      'Limits of int, uint and uintptr (math.MaxInt, math.MinInt, math.MaxUint), which are the 32-bit ' +
      'or 64-bit values depending on the word size. The 32-bit values are also MaxInt32/MaxUint32, ' +
      'so printing those explicitly-sized constants is masked too.',
    pattern: String.raw`-?\b(?:9223372036854775807|9223372036854775808|18446744073709551615|2147483647|2147483648|4294967295)\b`,
  },
  {
    name: 'int-size',
    description:
      'The size of int, uint, uintptr and pointers in bytes (unsafe.Sizeof): a standalone 4 vs 8. ' +
      'Trade-off: every standalone 4 or 8 in the output becomes interchangeable, so a real ' +
      'difference between those two numbers is reported as expected rather than as a mismatch. ' +
      'Digits inside longer numbers, identifiers (int8, 0x8) or other rules\' matches are not touched.',
    pattern: String.raw`\b[48]\b`,
  },
  {
    name: 'int-bits',
    description:
      'The width of int in bits: 32 vs 64 as a standalone number ("32-bit", bits.UintSize, ' +
      'strconv.IntSize). Trade-off: any standalone 32 or 64 the program prints is masked as well; type ' +
      'names such as int32 or float64 are not, since those widths do not depend on the platform.',
    pattern: String.raw`\b(?:32|64)\b`,
  },
];

const JS_FLAGS = /^[dgimsuv]*$/;

export function compileRule(spec: DiffRuleSpec): CompiledRule {
  const name = typeof spec.name === 'string' ? spec.name.trim() : '';
  if (name === '') throw new BadRuleError('diff rule name must not be empty');
  // The name becomes part of the placeholder, so it must not be able to look like one.
  if (/[<>\u0000-\u001f\u007f]/.test(name)) {
    throw new BadRuleError(`diff rule name ${JSON.stringify(name)} must not contain "<", ">" or control characters`);
  }
  const flags = spec.flags ?? 'g';
  if (!JS_FLAGS.test(flags)) {
    throw new BadRuleError(`diff rule "${name}": unsupported regex flags ${JSON.stringify(flags)} (use d, g, i, m, s, u, v)`);
  }
  if (typeof spec.pattern !== 'string' || spec.pattern === '') {
    throw new BadRuleError(`diff rule "${name}": pattern must not be empty`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(spec.pattern, flags.includes('g') ? flags : flags + 'g');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new BadRuleError(`diff rule "${name}": invalid pattern ${JSON.stringify(spec.pattern)}: ${why}`);
  }
  // A pattern that can match nothing would mask nothing while looking like it matched.
  if (new RegExp(regex.source, regex.flags.replace('g', '')).test('')) {
    throw new BadRuleError(`diff rule "${name}": pattern ${JSON.stringify(spec.pattern)} matches the empty string`);
  }
  return { name, description: spec.description ?? '', regex, placeholder: `<${name}>` };
}

/** Replaces every non-empty match of the rule with its placeholder. */
export function applyRule(rule: CompiledRule, text: string): string {
  rule.regex.lastIndex = 0;
  return text.replace(rule.regex, (match) => (match === '' ? match : rule.placeholder));
}
