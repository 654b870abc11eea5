import { countEvidence, ProgramGroup, tolerableFailingClients } from './evidence';

let next = 0;
function g(program: string, client: string, over: Partial<ProgramGroup> = {}): ProgramGroup {
  return { program, client, kind: 'plain', first: ++next, runs: 1, comparable: true, mismatched: false, newFailed: false, ...over };
}

describe('countEvidence', () => {
  it('counts a program replayed by many clients once, and keeps the raw runs beside it', () => {
    const e = countEvidence([g('p', 'a', { runs: 500 }), g('p', 'b', { runs: 3 }), g('q', 'b')], 20);
    expect(e).toMatchObject({ runs: 504, programs: 2, clients: 2, mismatched: 0, capped: 0 });
  });

  it('counts at most perClient programs of one client: its first ones', () => {
    const groups = Array.from({ length: 50 }, (_, i) => g(`p${i}`, 'flood'));
    const e = countEvidence([...groups, g('other', 'someone else')], 20);
    expect(e.programs).toBe(21);
    expect(e.capped).toBe(30);
    // A mismatch sent after the client's share is not counted either.
    const late = countEvidence([...groups, g('bad', 'flood', { mismatched: true })], 20);
    expect(late.mismatched).toBe(0);
    const early = countEvidence([g('bad', 'flood', { mismatched: true, first: 0 }), ...groups], 20);
    expect(early.mismatched).toBe(1);
  });

  it('a capped program still counts when another client sent it within its share', () => {
    const groups = Array.from({ length: 5 }, (_, i) => g(`p${i}`, 'a'));
    const e = countEvidence([...groups, g('p4', 'b')], 2);
    expect(e.programs).toBe(3); // p0, p1 from a; p4 from b
    expect(e.capped).toBe(2); // p2, p3
  });

  it('one client\'s mismatches count once per program, however often it replays them', () => {
    const e = countEvidence([g('m', 'a', { mismatched: true, runs: 1000 }), g('ok', 'b')], 20);
    expect(e).toMatchObject({ programs: 2, mismatched: 1 });
  });

  it('leaves backend-error-only programs out of the comparison, and counts new-side failures by client', () => {
    const e = countEvidence([
      g('broken1', 'a', { comparable: false, newFailed: true }),
      g('broken2', 'a', { comparable: false, newFailed: true }),
      g('legacy-broken', 'b', { comparable: false }),
      g('fine', 'c'),
    ], 20);
    expect(e.programs).toBe(1);
    expect(e.newBackendFailures).toEqual({ programs: 2, clients: 1 });
  });

  it('counts programs by kind once each', () => {
    const e = countEvidence([g('t', 'a', { kind: 'test' }), g('t', 'b', { kind: 'test' }), g('m', 'a', { kind: 'module' })], 20);
    expect(e.byKind).toEqual({ test: 1, module: 1 });
  });

  it('refuses a cap below one', () => {
    expect(() => countEvidence([], 0)).toThrow(/perClient/);
  });
});

describe('tolerableFailingClients', () => {
  it('is never below one client, so one client never blocks on its own', () => {
    expect(tolerableFailingClients(0, 0.01)).toBe(1);
    expect(tolerableFailingClients(150, 0.01)).toBe(1);
    expect(tolerableFailingClients(300, 0.01)).toBe(3);
    expect(tolerableFailingClients(1000, 0.005)).toBe(5);
  });
});
