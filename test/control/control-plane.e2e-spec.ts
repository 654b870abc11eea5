/**
 * The control plane end to end: real sandbox (gVisor + the labelled runc emulation of the
 * legacy platform), real Go builds, real SQLite (or PostgreSQL with TEST_POSTGRES_URL). Nothing
 * is mocked.
 *
 * One database (a temp file, or a database of its own on the server) outlives two stacks: the first proves that
 * rollout buckets survive a restart, the second serves every later test. The tests run in
 * order and each one sets the flags it depends on.
 */
import { createHash } from 'crypto';
import { testDatabase, TestDatabase } from '../support/database';
import { toSandbox, type Stack } from '../support/stack';
import { go, postCompile, Reply, request, startFrontendStack } from '../frontend/helpers';
import { inRollout, rolloutBucket } from '../../src/frontend/routing/bucket';

const LINUX_AMD64 = 'linux-amd64';
const LEGACY = 'nacl-emulated';
const EMULATED_RUNNER = 'emulated-386';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

// SQLite by default; PostgreSQL with TEST_POSTGRES_URL (scripts/with-postgres.sh).
let db: TestDatabase;
let env: Record<string, string>;
let stack: Stack | undefined;

beforeAll(async () => {
  db = await testDatabase('control-plane');
  // The first linux/386 build may compile the standard library for 386: on a loaded 2-core
  // machine that takes longer than the public 10 s build limit, which is not what is tested here.
  env = { ...db.env, RELEASE_SCHEDULE_POLL_MS: '200', LEGACY_BACKEND: LEGACY, BUILD_TIMEOUT_MS: '60000' };
});

afterAll(async () => {
  await stack?.stop();
  await db.drop();
}, 60_000);

function current(): Stack {
  if (!stack) throw new Error('no stack is running (an earlier test failed to start one)');
  return stack;
}

// ---- HTTP helpers -------------------------------------------------------------------------

type Who = 'rm' | 'viewer' | 'none' | { token: string };

function authHeader(s: Stack, who: Who): Record<string, string> {
  if (who === 'none') return {};
  const token = who === 'rm' ? s.tokens.releaseManager : who === 'viewer' ? s.tokens.viewer : who.token;
  return { Authorization: `Bearer ${token}` };
}

function adminCall(method: string, p: string, opts: { who?: Who; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const s = current();
  const headers: Record<string, string> = { ...authHeader(s, opts.who ?? 'rm'), ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  return request(`${s.frontendUrl}/admin/api${p}`, { method, body, headers });
}

/** An admin call that must succeed; returns the parsed JSON answer. */
async function adminOk<T = any>(method: string, p: string, body?: unknown): Promise<T> {
  const r = await adminCall(method, p, { body });
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${p} answered ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json<T>();
}

function setFlags(flags: Record<string, unknown>, reason: string) {
  return adminOk('PATCH', '/flags', { ...flags, reason });
}

/** POST /compile; `backend` is the X-Playground-Backend header (null: a public request). */
async function compileVia(source: string, backend: string | null): Promise<{ reply: Reply; backend: string; route: string }> {
  const reply = await postCompile(current(), source, { backend });
  return { reply, backend: String(reply.headers['x-playground-backend'] ?? ''), route: String(reply.headers['x-playground-route'] ?? '') };
}

async function compiledOn(source: string, backend: string | null): Promise<{ backend: string; route: string; stdout: string }> {
  const r = await compileVia(source, backend);
  if (r.reply.status !== 200) throw new Error(`/compile answered ${r.reply.status}: ${r.reply.text.slice(0, 500)}`);
  const body = r.reply.json<{ Errors: string; Events: Array<{ Message: string }> | null }>();
  if (body.Errors) throw new Error(`/compile on ${r.backend} failed to build: ${body.Errors}`);
  return { backend: r.backend, route: r.route, stdout: (body.Events ?? []).map((e) => e.Message).join('') };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** The frontend polls the sandbox; wait until it believes the legacy emulation can run programs. */
function legacyAvailable(): Promise<true> {
  return waitFor('the legacy emulation to be available', 60_000, async () => {
    const st = await adminOk<{ backends: Array<{ id: string; available: boolean }> }>('GET', '/state');
    return st.backends.find((b) => b.id === LEGACY)?.available ? true : undefined;
  });
}

interface DualRunDetail {
  id: number;
  diffClass: string;
  matchedRules: string[];
  diff: string;
  routeReason: string;
  primaryBackend: string;
  shadowBackend: string;
  primaryResult: { kind: string; events: Array<{ Message: string }>; status: number };
  shadowResult: { kind: string; events: Array<{ Message: string }>; status: number };
}

/** The stored dual run of a program (found by its hash), once the shadow queue has stored it. */
async function dualRunOf(source: string): Promise<DualRunDetail> {
  const hash = sha256(source);
  const id = await waitFor(`the dual run of ${hash.slice(0, 12)}`, 180_000, async () => {
    const list = await adminOk<{ items: Array<{ id: number; programHash: string }> }>('GET', '/dual-runs?pageSize=500');
    return list.items.find((d) => d.programHash === hash)?.id;
  });
  return adminOk<DualRunDetail>('GET', `/dual-runs/${id}`);
}

const text = (events: Array<{ Message: string }>): string => events.map((e) => e.Message).join('');

interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string;
}

async function auditOf(action: string): Promise<AuditItem[]> {
  const r = await adminOk<{ items: AuditItem[] }>('GET', `/audit?pageSize=500&action=${encodeURIComponent(action)}`);
  return r.items;
}

async function readSalt(): Promise<string> {
  return (await db.query<{ bucket_salt: string }>('SELECT bucket_salt FROM control_state WHERE id = 1'))[0].bucket_salt;
}

const numbered = (i: number): string => go`
  package main

  import "fmt"

  func main() {
    fmt.Println("bucket probe", ${i})
  }
`;

// ---- buckets --------------------------------------------------------------------------------

describe('rollout buckets', () => {
  const programs: string[] = [];
  const first = new Map<string, string>();

  it('route the same programs the same way after a restart on the same database', async () => {
    stack = await startFrontendStack(env);
    await setFlags({ rolloutPercent: 50 }, 'restart test: half of the traffic on linux-amd64');
    await legacyAvailable();

    // The salt is made once by the migration and kept in the database: pick programs on both
    // sides of 50 % with it, so the test sees both backends whatever the salt turned out to be.
    const salt = await readSalt();
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    const inside: string[] = [];
    const outside: string[] = [];
    for (let i = 0; inside.length < 5 || outside.length < 5; i++) {
      const p = numbered(i);
      const list = inRollout(rolloutBucket(p, salt), 50) ? inside : outside;
      if (list.length < 5) list.push(p);
    }
    programs.push(...inside, ...outside);

    for (const p of programs) {
      const r = await compiledOn(p, null);
      first.set(p, r.backend);
      expect(r.route).toMatch(/^(rollout|legacy): bucket \d+/);
    }
    expect(programs.slice(0, 5).map((p) => first.get(p))).toEqual(Array(5).fill(LINUX_AMD64));
    expect(programs.slice(5).map((p) => first.get(p))).toEqual(Array(5).fill(LEGACY));

    await stack.stop();
    stack = undefined;

    // A fresh set of modules, as in a new process, so that nothing kept in memory can carry
    // the assignment over: only the database does.
    jest.resetModules();
    stack = await startFrontendStack(env);
    await legacyAvailable();
    expect(await readSalt()).toBe(salt);
    const st = await adminOk('GET', '/state');
    expect(st.flags.rolloutPercent).toBe(50);

    const second = new Map<string, string>();
    for (const p of programs) second.set(p, (await compiledOn(p, null)).backend);
    expect([...second.entries()]).toEqual([...first.entries()]);
  }, 600_000);

  it('select 1, 25, 50 and 90 % of 10 000 distinct programs within ±2 points with the stored salt', async () => {
    const salt = await readSalt();
    const buckets = Array.from({ length: 10_000 }, (_, i) => rolloutBucket(numbered(i), salt));
    for (const percent of [1, 25, 50, 90]) {
      const share = (buckets.filter((b) => inRollout(b, percent)).length / buckets.length) * 100;
      expect(Math.abs(share - percent)).toBeLessThanOrEqual(2);
    }
  });
});

// ---- dual runs ------------------------------------------------------------------------------

describe('dual runs on the real backends', () => {
  beforeAll(async () => {
    await setFlags({ shadowPercent: 100, rolloutPercent: 0, killSwitch: false }, 'dual-run test: shadow every request');
    await legacyAvailable();
  }, 120_000);

  it('hello is a match', async () => {
    const src = go`
      package main

      import "fmt"

      func main() {
        fmt.Println("hello, dual run")
      }
    `;
    const r = await compiledOn(src, LINUX_AMD64);
    expect(r).toMatchObject({ backend: LINUX_AMD64, route: 'opt-in header: linux-amd64', stdout: 'hello, dual run\n' });
    const d = await dualRunOf(src);
    expect(d).toMatchObject({ diffClass: 'match', primaryBackend: LINUX_AMD64, shadowBackend: LEGACY, matchedRules: [], diff: '' });
    expect(text(d.shadowResult.events)).toBe('hello, dual run\n');
  }, 300_000);

  it('the word size and GOARCH differ as expected, explained by int-size and goarch', async () => {
    const src = go`
      package main

      import (
        "fmt"
        "runtime"
        "unsafe"
      )

      func main() {
        fmt.Println(unsafe.Sizeof(0), runtime.GOARCH)
      }
    `;
    expect((await compiledOn(src, LINUX_AMD64)).stdout).toBe('8 amd64\n');
    const d = await dualRunOf(src);
    expect(text(d.primaryResult.events)).toBe('8 amd64\n');
    expect(text(d.shadowResult.events)).toBe('4 386\n');
    expect(d.diffClass).toBe('expected');
    expect([...d.matchedRules].sort()).toEqual(['goarch', 'int-size']);
  }, 300_000);

  it('the iteration order of a 100-key map is flaky (the primary disagrees with itself)', async () => {
    // Three passes, so that two runs agreeing by chance is vanishingly unlikely.
    const src = go`
      package main

      import "fmt"

      func main() {
        m := map[int]bool{}
        for i := 0; i < 100; i++ {
          m[i] = true
        }
        for pass := 0; pass < 3; pass++ {
          for k := range m {
            fmt.Print(k, " ")
          }
          fmt.Println()
        }
      }
    `;
    await compiledOn(src, LINUX_AMD64);
    const d = await dualRunOf(src);
    expect(d.diffClass).toBe('flaky');
  }, 300_000);

  let plantedId = 0;

  it('a planted difference no rule explains is a mismatch with both results and a readable diff', async () => {
    const src = go`
      package main

      import (
        "fmt"
        "runtime"
      )

      func main() {
        fmt.Println("on every platform")
        if runtime.GOARCH == "amd64" {
          fmt.Println("only on amd64")
        }
      }
    `;
    expect((await compiledOn(src, LINUX_AMD64)).stdout).toBe('on every platform\nonly on amd64\n');
    const d = await dualRunOf(src);
    plantedId = d.id;
    expect(d.diffClass).toBe('mismatch');
    expect(d.matchedRules).toEqual([]);
    expect(d.routeReason).toBe('opt-in header: linux-amd64');
    expect(d.primaryResult).toMatchObject({ kind: 'ran', status: 0 });
    expect(d.shadowResult).toMatchObject({ kind: 'ran', status: 0 });
    expect(text(d.primaryResult.events)).toBe('on every platform\nonly on amd64\n');
    expect(text(d.shadowResult.events)).toBe('on every platform\n');
    expect(d.diff).toMatch(/^--- primary\/stdout$/m);
    expect(d.diff).toMatch(/^\+\+\+ shadow\/stdout$/m);
    expect(d.diff).toMatch(/^-only on amd64$/m);
  }, 300_000);

  it('replay runs the stored program again on both backends and answers with a fresh comparison', async () => {
    expect(plantedId).toBeGreaterThan(0);
    const before = Date.now();
    const r = await adminOk<{ original: DualRunDetail & { at: string }; replay: DualRunDetail & { at: string } }>('POST', `/dual-runs/${plantedId}/replay`);
    expect(r.original.id).toBe(plantedId);
    expect(r.replay).toMatchObject({ diffClass: 'mismatch', primaryBackend: LINUX_AMD64, shadowBackend: LEGACY, routeReason: `replay of #${plantedId}` });
    expect(new Date(r.replay.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(r.replay.diff).toMatch(/^-only on amd64$/m);
    expect((await adminCall('POST', '/dual-runs/999999/replay')).status).toBe(404);
  }, 300_000);
});

// ---- release day ----------------------------------------------------------------------------

describe('release day', () => {
  const FLIP_REASON = 'Go 1.14 is out';

  beforeAll(async () => {
    // Shadows stay at 100 % on purpose: release day must stop them.
    await setFlags({ shadowPercent: 100, rolloutPercent: 0, killSwitch: false }, 'release-day test: legacy by default');
    await legacyAvailable();
  }, 120_000);

  it('is refused without evidence (409 with what is missing)', async () => {
    const r = await adminCall('POST', '/release-day/flip', { body: { confirm: 'release day', reason: FLIP_REASON } });
    expect(r.status).toBe(409);
    const body = r.json<{ missing: string[] }>();
    expect(Array.isArray(body.missing)).toBe(true);
    expect(body.missing.length).toBeGreaterThan(0);
    expect(body.missing.join('\n')).toMatch(/evidence/);
  });

  it('is refused without the typed confirmation, even with an override', async () => {
    for (const confirm of [undefined, '', 'yes', 'release-day']) {
      const r = await adminCall('POST', '/release-day/flip', { body: { confirm, override: true, reason: FLIP_REASON } });
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/release day/);
    }
    expect((await adminOk('GET', '/state')).flags.releaseDay).toBe(false);
  });

  it('is refused without a reason, even with override and confirmation', async () => {
    const r = await adminCall('POST', '/release-day/flip', { body: { confirm: 'release day', override: true } });
    expect(r.status).toBe(400);
    expect((await adminOk('GET', '/state')).flags.releaseDay).toBe(false);
  });

  it('flips with override and reason: NaCl refused, linux-amd64 for everyone, no shadows, legacy drained', async () => {
    const flip = await adminCall('POST', '/release-day/flip', { body: { confirm: 'release day', override: true, reason: FLIP_REASON } });
    expect(flip.status).toBe(200);

    const nacl = await compileVia(numbered(1001), 'nacl');
    expect(nacl.reply.status).toBe(410);
    expect(nacl.reply.text).toMatch(/NaCl was retired/);

    const acceptedBefore = (await adminOk('GET', '/state')).shadow.accepted as number;
    const pub = await compiledOn(numbered(1002), null);
    expect(pub.backend).toBe(LINUX_AMD64);
    expect(pub.route).toMatch(/^release day/);
    expect(pub.stdout).toBe('bucket probe 1002\n');
    const st = await adminOk('GET', '/state');
    expect(st.shadow.accepted).toBe(acceptedBefore);
    expect(st.stage).toMatch(/^release day/);
    expect(st.flags.releaseDay).toBe(true);
    expect(st.flags.shadowPercent).toBe(100);

    await waitFor('the legacy pool to drain', 15_000, async () => {
      const r = await toSandbox(current(), '/status');
      const runner = r.json<{ runners: Array<{ id: string; poolReady: number }> }>().runners.find((x) => x.id === EMULATED_RUNNER);
      expect(runner).toBeDefined();
      return runner!.poolReady === 0 ? true : undefined;
    });
  }, 300_000);

  it('rollback with a reason restores the legacy route', async () => {
    expect((await adminCall('POST', '/release-day/rollback', { body: {} })).status).toBe(400);
    const r = await adminCall('POST', '/release-day/rollback', { body: { reason: 'a regression in linux-amd64' } });
    expect(r.status).toBe(200);
    expect(r.json<{ releaseDay: boolean }>().releaseDay).toBe(false);
    await legacyAvailable();
    const pub = await compiledOn(numbered(1003), null);
    expect(pub.backend).toBe(LEGACY);
    expect(pub.route).toMatch(/^legacy: bucket \d+ >= rollout 0$/);
    expect(pub.stdout).toBe('bucket probe 1003\n');
    // The legacy pool is refilled.
    await waitFor('the legacy pool to refill', 60_000, async () => {
      const s = await toSandbox(current(), '/status');
      const runner = s.json<{ runners: Array<{ id: string; poolReady: number }> }>().runners.find((x) => x.id === EMULATED_RUNNER);
      return runner && runner.poolReady > 0 ? true : undefined;
    });
  }, 300_000);

  it('a scheduled flip happens by itself, on behalf of whoever scheduled it', async () => {
    const at = new Date(Date.now() + 2000).toISOString();
    const refused = await adminCall('POST', '/release-day/schedule', { body: { at, reason: 'scheduled without evidence' } });
    expect(refused.status).toBe(409);

    const reason = 'flip at the announcement';
    const r = await adminCall('POST', '/release-day/schedule', { body: { at, override: true, reason } });
    expect(r.status).toBe(200);
    expect(r.json<{ scheduledFor: string; releaseDay: boolean }>()).toMatchObject({ scheduledFor: at, releaseDay: false });

    await waitFor('the scheduled flip', 20_000, async () => ((await adminOk('GET', '/state')).flags.releaseDay ? true : undefined));
    const flips = await auditOf('release-day: flip (scheduled)');
    // Exactly once, although the scheduler looks every 200 ms.
    expect(flips).toHaveLength(1);
    const [flip] = flips;
    expect(flip.actor).toBe('scheduler (for alice)');
    expect(flip.reason).toBe(reason);
    expect(new Date(flip.at).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime() - 1000);
    expect(flip.after).toMatchObject({ releaseDay: true, releaseScheduledFor: null });

    const st = await adminOk('GET', '/release-day');
    expect(st).toMatchObject({ releaseDay: true, scheduledFor: null });
    expect((await adminCall('POST', '/release-day/rollback', { body: { reason: 'back to the rollout after the schedule test' } })).status).toBe(200);
  }, 120_000);
});

// ---- audit ----------------------------------------------------------------------------------

describe('audit', () => {
  it('records rule creation and update', async () => {
    const created = await adminCall('POST', '/rules', {
      body: { name: 'e2e-test-token', description: 'a token no program prints', pattern: String.raw`\bzz-e2e-token-\d+\b`, reason: 'testing the rule audit' },
    });
    expect(created.status).toBe(201);
    const updated = await adminCall('PUT', '/rules/e2e-test-token', { body: { description: 'still a token no program prints', enabled: false, reason: 'disable it again' } });
    expect(updated.status).toBe(200);
    expect(updated.json<{ enabled: boolean }>().enabled).toBe(false);
  });

  it('has an event with actor, before, after and reason for every kind of change', async () => {
    // [action (a flags change names every field it touched), reason, what before/after must show]
    const expectations: Array<[RegExp, string, (e: AuditItem) => void]> = [
      [/^flags: .*\bshadowBp\b/, 'dual-run test: shadow every request', (e) => {
        expect(e.before).toHaveProperty('shadowPercent');
        expect(e.after).toHaveProperty('shadowPercent', 100);
      }],
      [/^flags: rolloutBp$/, 'restart test: half of the traffic on linux-amd64', (e) => {
        expect(e.before).toHaveProperty('rolloutPercent', 0);
        expect(e.after).toHaveProperty('rolloutPercent', 50);
      }],
      [/^rule created: e2e-test-token$/, 'testing the rule audit', (e) => {
        expect(e.before).toBeNull();
        expect(e.after).toMatchObject({ name: 'e2e-test-token', enabled: true });
      }],
      [/^rule updated: e2e-test-token$/, 'disable it again', (e) => {
        expect(e.before).toMatchObject({ name: 'e2e-test-token', enabled: true });
        expect(e.after).toMatchObject({ name: 'e2e-test-token', enabled: false, description: 'still a token no program prints' });
      }],
      [/^release-day: flip \(override\)$/, 'Go 1.14 is out', (e) => {
        expect(e.before).toMatchObject({ releaseDay: false });
        expect(e.after).toMatchObject({ releaseDay: true });
      }],
      [/^release-day: rollback$/, 'a regression in linux-amd64', (e) => {
        expect(e.before).toMatchObject({ releaseDay: true });
        expect(e.after).toMatchObject({ releaseDay: false, releaseDayAt: null });
      }],
      [/^release-day: schedule \(override\)$/, 'flip at the announcement', (e) => {
        expect(e.before).toMatchObject({ releaseScheduledFor: null });
        expect((e.after as { releaseScheduledFor: string }).releaseScheduledFor).toEqual(expect.any(String));
      }],
    ];
    const all = (await adminOk<{ items: AuditItem[] }>('GET', '/audit?pageSize=500')).items;
    for (const [action, reason, check] of expectations) {
      const e = all.find((x) => action.test(x.action) && x.reason === reason);
      if (!e) throw new Error(`no audit event ${action} with reason "${reason}"; found: ${JSON.stringify(all.map((x) => [x.action, x.reason]))}`);
      expect(e.actor).toBe('alice');
      expect(new Date(e.at).getTime()).not.toBeNaN();
      check(e);
    }
  });

  it('cannot be updated or deleted, even directly in the database', async () => {
    const count = async () => Number((await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_events'))[0].n);
    const n = await count();
    expect(n).toBeGreaterThan(5);
    await expect(db.query(`UPDATE audit_events SET reason = 'rewritten' WHERE id = (SELECT MIN(id) FROM audit_events)`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_events WHERE id = (SELECT MIN(id) FROM audit_events)')).rejects.toThrow(/append-only/);
    expect(await count()).toBe(n);
  });

  it('exports CSV with a header row', async () => {
    const r = await adminCall('GET', '/audit?format=csv');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.text.split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,reason,before,after');
    expect(lines.length).toBeGreaterThan(3);
    expect(r.text).toContain('"alice"');
  });
});

// ---- access -----------------------------------------------------------------------------------

describe('admin access', () => {
  it('without a token or with a wrong one: 401', async () => {
    expect((await adminCall('GET', '/state', { who: 'none' })).status).toBe(401);
    expect((await adminCall('GET', '/state', { who: { token: 'not-a-token-of-this-server' } })).status).toBe(401);
    expect((await adminCall('PATCH', '/flags', { who: 'none', body: { shadowPercent: 0, reason: 'x' } })).status).toBe(401);
    expect((await adminCall('GET', '/no-such-route', { who: 'none' })).status).toBe(401);
  });

  it('a viewer may read but not change', async () => {
    const get = await adminCall('GET', '/state', { who: 'viewer' });
    expect(get.status).toBe(200);
    expect(get.json<{ flags: unknown }>().flags).toBeDefined();
    expect((await adminCall('GET', '/audit', { who: 'viewer' })).status).toBe(200);
    const patch = await adminCall('PATCH', '/flags', { who: 'viewer', body: { shadowPercent: 0, reason: 'a viewer tries' } });
    expect(patch.status).toBe(403);
    expect((await adminCall('POST', '/release-day/flip', { who: 'viewer', body: { confirm: 'release day', override: true, reason: 'x' } })).status).toBe(403);
  });

  it('a change from a foreign Origin is refused', async () => {
    const before = (await adminOk('GET', '/state')).flags.version as number;
    const r = await adminCall('PATCH', '/flags', { body: { shadowPercent: 0, reason: 'cross-site' }, headers: { Origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect((await adminOk('GET', '/state')).flags.version).toBe(before);
  });

  it('a change without a reason is refused with 400', async () => {
    for (const body of [{ shadowPercent: 0 }, { shadowPercent: 0, reason: '' }, { shadowPercent: 0, reason: '   ' }]) {
      expect((await adminCall('PATCH', '/flags', { body })).status).toBe(400);
    }
    expect((await adminCall('POST', '/rules', { body: { name: 'no-reason', description: 'd', pattern: 'zz' } })).status).toBe(400);
  });
});

// ---- kill switch ------------------------------------------------------------------------------

describe('kill switch', () => {
  afterAll(async () => {
    if (stack) await setFlags({ killSwitch: false }, 'kill-switch test over');
  }, 30_000);

  it('sends everybody to legacy, opt-ins and rollout included', async () => {
    await setFlags({ killSwitch: true, rolloutPercent: 100, shadowPercent: 0 }, 'kill-switch test');
    await legacyAvailable();
    const st = await adminOk('GET', '/state');
    expect(st.stage).toMatch(/kill switch/);
    for (const [i, header] of [[2001, LINUX_AMD64], [2002, null]] as const) {
      const r = await compiledOn(numbered(i), header);
      expect(r.backend).toBe(LEGACY);
      expect(r.route).toMatch(/kill switch/);
      expect(r.stdout).toBe(`bucket probe ${i}\n`);
    }
    const comment = await compiledOn(`//play:gvisor\n${numbered(2003)}`, null);
    expect(comment.backend).toBe(LEGACY);
    expect(comment.route).toMatch(/kill switch/);
  }, 300_000);
});
