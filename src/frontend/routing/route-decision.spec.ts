import { BackendChoice, decideRelease, decideRoute, NACL_RETIRED, OPT_IN_COMMENT, RouteDecision, RouteFlags, RouteInput } from './route-decision';

const LINUX_AMD64 = 'linux-amd64';
const LEGACY = 'nacl-emulated';
const PLAIN = 'package main\n\nfunc main() { println("hi") }\n';
const OPTED_IN = `package main\n\n${OPT_IN_COMMENT}\n\nfunc main() { println("hi") }\n`;

const flags = (over: Partial<RouteFlags> = {}): RouteFlags => ({
  rolloutBp: 0, shadowBp: 0, optInHeader: true, optInComment: true, killSwitch: false, releaseDay: false, ...over,
});
const up = (id: string): BackendChoice => ({ id, available: true });
const down = (id: string, reason: string): BackendChoice => ({ id, available: false, reason });

/** A request with everything on its most neutral value; override what a case is about. */
function input(over: Partial<Omit<RouteInput, 'flags'>> & { flags?: Partial<RouteFlags> } = {}): RouteInput {
  const { flags: f, ...rest } = over;
  return { source: PLAIN, bucket: 5000, shadowDraw: 9999, linuxAmd64: up(LINUX_AMD64), legacy: up(LEGACY), ...rest, flags: flags(f) };
}

function routed(d: RouteDecision): Extract<RouteDecision, { kind: 'route' }> {
  if (d.kind !== 'route') throw new Error(`expected a route, got a refusal ${d.status}: ${d.message}`);
  return d;
}

function refused(d: RouteDecision): Extract<RouteDecision, { kind: 'refuse' }> {
  if (d.kind !== 'refuse') throw new Error(`expected a refusal, got a route to ${d.primary} (${d.reason})`);
  return d;
}

describe('decideRoute: each rule on its own', () => {
  it('legacy: a bucket at or above the rollout goes to the legacy backend', () => {
    const d = routed(decideRoute(input({ bucket: 7000, flags: { rolloutBp: 5000 } })));
    expect(d.primary).toBe(LEGACY);
    expect(d.reason).toBe('legacy: bucket 7000 >= rollout 5000');
    expect(d.shadow).toBeUndefined();
  });

  it('rollout: a bucket below the rollout (in basis points) goes to linux-amd64', () => {
    const d = routed(decideRoute(input({ bucket: 4999, flags: { rolloutBp: 5000 } })));
    expect(d).toEqual({ kind: 'route', primary: LINUX_AMD64, reason: 'rollout: bucket 4999 < 5000' });
  });

  it('rollout boundaries: bucket == rollout is legacy, 0 % selects nobody, 100 % everybody, 0.01 % only bucket 0', () => {
    expect(routed(decideRoute(input({ bucket: 5000, flags: { rolloutBp: 5000 } }))).primary).toBe(LEGACY);
    expect(routed(decideRoute(input({ bucket: 0, flags: { rolloutBp: 0 } }))).primary).toBe(LEGACY);
    expect(routed(decideRoute(input({ bucket: 9999, flags: { rolloutBp: 10_000 } }))).primary).toBe(LINUX_AMD64);
    expect(routed(decideRoute(input({ bucket: 0, flags: { rolloutBp: 1 } }))).primary).toBe(LINUX_AMD64);
    expect(routed(decideRoute(input({ bucket: 1, flags: { rolloutBp: 1 } }))).primary).toBe(LEGACY);
  });

  it('opt-in header linux-amd64 sends a program outside the rollout to linux-amd64', () => {
    const d = routed(decideRoute(input({ requested: 'linux-amd64', bucket: 9999, flags: { rolloutBp: 0 } })));
    expect(d).toEqual({ kind: 'route', primary: LINUX_AMD64, reason: 'opt-in header: linux-amd64' });
  });

  it('opt-in header nacl keeps a program inside the rollout on legacy', () => {
    const d = routed(decideRoute(input({ requested: 'nacl', bucket: 0, flags: { rolloutBp: 10_000 } })));
    expect(d).toEqual({ kind: 'route', primary: LEGACY, reason: 'opt-in header: nacl' });
  });

  it(`opt-in comment ${OPT_IN_COMMENT} sends a program outside the rollout to linux-amd64`, () => {
    const d = routed(decideRoute(input({ source: OPTED_IN, bucket: 9999 })));
    expect(d).toEqual({ kind: 'route', primary: LINUX_AMD64, reason: `opt-in comment ${OPT_IN_COMMENT}` });
  });

  it('kill switch: legacy for everyone, with the reason saying so', () => {
    const d = routed(decideRoute(input({ bucket: 0, flags: { rolloutBp: 10_000, killSwitch: true } })));
    expect(d.primary).toBe(LEGACY);
    expect(d.reason).toMatch(/kill switch/);
  });

  it('release day: linux-amd64 for everyone, with the reason saying so', () => {
    const d = routed(decideRoute(input({ bucket: 9999, flags: { rolloutBp: 0, releaseDay: true } })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/release day/);
  });
});

describe('decideRoute: first match wins', () => {
  it('release day beats the kill switch', () => {
    const d = routed(decideRoute(input({ flags: { releaseDay: true, killSwitch: true } })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/^release day/);
  });

  it('release day beats an opt-in header for linux-amd64 (same backend, release-day reason)', () => {
    const d = routed(decideRoute(input({ requested: 'linux-amd64', flags: { releaseDay: true } })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/^release day/);
  });

  it('release day + header nacl is refused with 410 and a message saying NaCl was retired', () => {
    const d = refused(decideRoute(input({ requested: 'nacl', flags: { releaseDay: true, killSwitch: true } })));
    expect(d.status).toBe(410);
    expect(d.message).toBe(NACL_RETIRED);
    expect(d.message).toMatch(/NaCl was retired/);
  });

  it('release day + header nacl is refused even when header opt-ins are off', () => {
    // The header cannot be honoured any more, whatever the flags; silently ignoring it would hide that.
    const d = refused(decideRoute(input({ requested: 'nacl', flags: { releaseDay: true, optInHeader: false } })));
    expect(d.status).toBe(410);
  });

  it('the kill switch beats the opt-in header, the opt-in comment and the rollout', () => {
    const on = { killSwitch: true, rolloutBp: 10_000 };
    for (const req of [
      input({ requested: 'linux-amd64', flags: on }),
      input({ source: OPTED_IN, flags: on }),
      input({ bucket: 0, flags: on }),
    ]) {
      const d = routed(decideRoute(req));
      expect(d.primary).toBe(LEGACY);
      expect(d.reason).toMatch(/^kill switch/);
    }
  });

  it('the opt-in header beats the opt-in comment', () => {
    const d = routed(decideRoute(input({ requested: 'nacl', source: OPTED_IN })));
    expect(d.primary).toBe(LEGACY);
    expect(d.reason).toBe('opt-in header: nacl');
  });

  it('the opt-in comment beats the rollout', () => {
    const d = routed(decideRoute(input({ source: OPTED_IN, bucket: 9999, flags: { rolloutBp: 5000 } })));
    expect(d.reason).toMatch(/^opt-in comment/);
  });

  it('the rollout beats legacy', () => {
    const d = routed(decideRoute(input({ bucket: 10, flags: { rolloutBp: 11 } })));
    expect(d.reason).toMatch(/^rollout/);
  });
});

describe('decideRoute: opt-ins can be turned off', () => {
  it('with header opt-ins off, the header is ignored and the rollout decides', () => {
    const toModern = routed(decideRoute(input({ requested: 'linux-amd64', bucket: 9000, flags: { optInHeader: false, rolloutBp: 5000 } })));
    expect(toModern.primary).toBe(LEGACY);
    expect(toModern.reason).toMatch(/^legacy: bucket 9000/);
    const toNacl = routed(decideRoute(input({ requested: 'nacl', bucket: 10, flags: { optInHeader: false, rolloutBp: 5000 } })));
    expect(toNacl.primary).toBe(LINUX_AMD64);
    expect(toNacl.reason).toMatch(/^rollout: bucket 10/);
  });

  it('with header opt-ins off, the comment opt-in still works', () => {
    const d = routed(decideRoute(input({ requested: 'nacl', source: OPTED_IN, flags: { optInHeader: false } })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/^opt-in comment/);
  });

  it('with comment opt-ins off, the comment is ignored', () => {
    const d = routed(decideRoute(input({ source: OPTED_IN, bucket: 9999, flags: { optInComment: false } })));
    expect(d.primary).toBe(LEGACY);
    expect(d.reason).toMatch(/^legacy/);
  });

  it('with comment opt-ins off, the header opt-in still works', () => {
    const d = routed(decideRoute(input({ requested: 'linux-amd64', bucket: 9999, flags: { optInComment: false } })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toBe('opt-in header: linux-amd64');
  });
});

describe('decideRoute: availability', () => {
  it('an unavailable linux-amd64 falls back to legacy, and the reason says why', () => {
    const d = routed(decideRoute(input({ bucket: 0, flags: { rolloutBp: 10_000, shadowBp: 10_000 }, shadowDraw: 0, linuxAmd64: down(LINUX_AMD64, 'pool broken') })));
    expect(d.primary).toBe(LEGACY);
    expect(d.reason).toBe(`rollout: bucket 0 < 10000; ${LINUX_AMD64} unavailable (pool broken), fell back to ${LEGACY}`);
    // The fallback is the only backend left: nothing to shadow with.
    expect(d.shadow).toBeUndefined();
  });

  it('an unavailable legacy falls back to linux-amd64, and the reason says why', () => {
    const d = routed(decideRoute(input({ bucket: 9999, legacy: down(LEGACY, 'drained') })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toBe(`legacy: bucket 9999 >= rollout 0; ${LEGACY} unavailable (drained), fell back to ${LINUX_AMD64}`);
  });

  it('an opted-in backend that is unavailable falls back too, never silently', () => {
    const d = routed(decideRoute(input({ requested: 'nacl', legacy: down(LEGACY, 'runc missing') })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/^opt-in header: nacl; nacl-emulated unavailable \(runc missing\), fell back to linux-amd64$/);
  });

  it('an unavailable backend without a reason still says it is unavailable', () => {
    const d = routed(decideRoute(input({ legacy: { id: LEGACY, available: false } })));
    expect(d.reason).toMatch(/nacl-emulated unavailable \(no reason given\), fell back to linux-amd64/);
  });

  it('both unavailable: 503 naming both', () => {
    const d = refused(decideRoute(input({ linuxAmd64: down(LINUX_AMD64, 'sandbox unreachable'), legacy: down(LEGACY, 'sandbox unreachable too') })));
    expect(d.status).toBe(503);
    expect(d.message).toMatch(/linux-amd64 unavailable \(sandbox unreachable\)/);
    expect(d.message).toMatch(/nacl-emulated unavailable \(sandbox unreachable too\)/);
  });

  it('both unavailable is a 503 under every rule', () => {
    const broken = { linuxAmd64: down(LINUX_AMD64, 'x'), legacy: down(LEGACY, 'y') };
    for (const over of [
      { flags: { killSwitch: true } }, { requested: 'linux-amd64' as const }, { source: OPTED_IN }, { bucket: 0, flags: { rolloutBp: 10_000 } }, {},
    ]) {
      expect(refused(decideRoute(input({ ...broken, ...over }))).status).toBe(503);
    }
  });

  it('release day with linux-amd64 unavailable is a 503: there is no going back to legacy silently', () => {
    const d = refused(decideRoute(input({ flags: { releaseDay: true }, linuxAmd64: down(LINUX_AMD64, 'pool broken') })));
    expect(d.status).toBe(503);
    expect(d.message).toMatch(/linux-amd64 unavailable \(pool broken\)/);
  });

  it('the kill switch with legacy unavailable falls back to linux-amd64 and says so', () => {
    const d = routed(decideRoute(input({ flags: { killSwitch: true }, legacy: down(LEGACY, 'drained') })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toMatch(/^kill switch.*nacl-emulated unavailable \(drained\), fell back to linux-amd64$/);
  });
});

describe('decideRoute: no legacy backend registered', () => {
  it('a legacy route falls back to linux-amd64 with a reason saying no legacy backend is registered', () => {
    const d = routed(decideRoute(input({ legacy: undefined, bucket: 9999, flags: { shadowBp: 10_000 }, shadowDraw: 0 })));
    expect(d.primary).toBe(LINUX_AMD64);
    expect(d.reason).toBe('legacy: bucket 9999 >= rollout 0; no legacy backend is registered, fell back to linux-amd64');
    expect(d.shadow).toBeUndefined();
  });

  it('the kill switch and a nacl opt-in fall back the same way', () => {
    for (const over of [{ flags: { killSwitch: true } }, { requested: 'nacl' as const }]) {
      const d = routed(decideRoute(input({ legacy: undefined, ...over })));
      expect(d.primary).toBe(LINUX_AMD64);
      expect(d.reason).toMatch(/no legacy backend is registered, fell back to linux-amd64$/);
    }
  });

  it('a linux-amd64 route is not shadowed when there is no legacy backend', () => {
    const d = routed(decideRoute(input({ legacy: undefined, requested: 'linux-amd64', flags: { shadowBp: 10_000 }, shadowDraw: 0 })));
    expect(d).toEqual({ kind: 'route', primary: LINUX_AMD64, reason: 'opt-in header: linux-amd64' });
  });

  it('without legacy and with linux-amd64 unavailable: 503', () => {
    const d = refused(decideRoute(input({ legacy: undefined, linuxAmd64: down(LINUX_AMD64, 'pool broken') })));
    expect(d.status).toBe(503);
    expect(d.message).toMatch(/no legacy backend is registered/);
    expect(d.message).toMatch(/linux-amd64 unavailable \(pool broken\)/);
  });
});

describe('decideRoute: shadow sampling', () => {
  it('shadows with the other backend only when draw < shadowBp', () => {
    const at = (shadowDraw: number, shadowBp: number) => routed(decideRoute(input({ requested: 'linux-amd64', shadowDraw, flags: { shadowBp } }))).shadow;
    expect(at(0, 1)).toBe(LEGACY);
    expect(at(1, 1)).toBeUndefined();
    expect(at(2499, 2500)).toBe(LEGACY);
    expect(at(2500, 2500)).toBeUndefined();
    expect(at(9999, 10_000)).toBe(LEGACY);
    expect(at(0, 0)).toBeUndefined();
  });

  it('the shadow is the other side: legacy primaries are shadowed on linux-amd64', () => {
    const d = routed(decideRoute(input({ bucket: 9999, shadowDraw: 0, flags: { shadowBp: 10_000 } })));
    expect(d).toMatchObject({ primary: LEGACY, shadow: LINUX_AMD64 });
    const c = routed(decideRoute(input({ source: OPTED_IN, shadowDraw: 0, flags: { shadowBp: 10_000 } })));
    expect(c).toMatchObject({ primary: LINUX_AMD64, shadow: LEGACY });
    const r = routed(decideRoute(input({ bucket: 0, shadowDraw: 0, flags: { rolloutBp: 10_000, shadowBp: 10_000 } })));
    expect(r).toMatchObject({ primary: LINUX_AMD64, shadow: LEGACY });
    const h = routed(decideRoute(input({ requested: 'nacl', shadowDraw: 0, flags: { shadowBp: 10_000 } })));
    expect(h).toMatchObject({ primary: LEGACY, shadow: LINUX_AMD64 });
  });

  it('never shadows on release day, even at 100 %', () => {
    const d = routed(decideRoute(input({ shadowDraw: 0, flags: { releaseDay: true, shadowBp: 10_000 } })));
    expect(d.shadow).toBeUndefined();
  });

  it('never shadows under the kill switch, even at 100 %', () => {
    const d = routed(decideRoute(input({ shadowDraw: 0, requested: 'linux-amd64', flags: { killSwitch: true, shadowBp: 10_000 } })));
    expect(d.primary).toBe(LEGACY);
    expect(d.shadow).toBeUndefined();
  });

  it('does not shadow on a backend that is unavailable', () => {
    const d = routed(decideRoute(input({ requested: 'linux-amd64', shadowDraw: 0, flags: { shadowBp: 10_000 }, legacy: down(LEGACY, 'drained') })));
    expect(d).toEqual({ kind: 'route', primary: LINUX_AMD64, reason: 'opt-in header: linux-amd64' });
  });
});

describe('decideRelease (backend=goprev)', () => {
  it('routes to that release\'s backend, never sampled for a dual run', () => {
    expect(decideRelease('goprev', { id: 'linux-amd64@go1.25.14', available: true })).toEqual({ kind: 'route', primary: 'linux-amd64@go1.25.14', reason: 'backend=goprev: linux-amd64@go1.25.14' });
  });

  it('answers 503 with the reason when that release cannot run', () => {
    expect(decideRelease('goprev', { id: 'linux-amd64@go1.25.14', available: false, reason: 'not installed' })).toEqual({
      kind: 'refuse',
      status: 503,
      message: 'backend goprev cannot run programs right now: linux-amd64@go1.25.14 unavailable (not installed)',
    });
  });
});
