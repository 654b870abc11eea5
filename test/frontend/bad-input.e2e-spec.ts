/**
 * Requests the frontend must refuse: each gets a 4xx with a message that says what is wrong,
 * never a 500, and leaves no build directory behind. The stack is real; nothing is mocked.
 */
import type { Stack } from '../support/stack';
import { request, Reply } from '../support/http';
import { compile, output } from '../support/compile';
import { BuildDirs, frontendStackForFile, go } from './helpers';

let stack: Stack;
let buildDirs: BuildDirs;
frontendStackForFile((s, b) => { stack = s; buildDirs = b; }, { checkBuildDirs: true });

const MAX_BODY = 128 << 10; // COMPILE_MAX_BODY_BYTES default
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

function post(body: Buffer | string, headers: Record<string, string> = FORM, route = '/compile'): Promise<Reply> {
  return request(`${stack.frontendUrl}${route}`, { method: 'POST', body, headers });
}

function form(source: string): string {
  return new URLSearchParams({ version: '2', body: source }).toString();
}

/** The given 4xx (so never a 500), a message in plain text (as Go's http.Error) that says what is wrong, and CORS. */
function expectRefused(r: Reply, status: number, text: RegExp): void {
  expect({ status: r.status, message: r.text }).toEqual({ status, message: expect.stringMatching(text) });
  expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(r.headers['access-control-allow-origin']).toBe('*');
}

const HELLO = go`
  package main

  func main() {
    println("hi")
  }
`;

describe('/compile refuses', () => {
  it('an empty request body', async () => {
    expectRefused(await post(''), 400, /empty program/);
  });

  it('a form without a program, or a blank one', async () => {
    expectRefused(await post('version=2'), 400, /empty program/);
    expectRefused(await post(form('  \n')), 400, /empty program/);
    expectRefused(await post(JSON.stringify({ Body: '' }), { 'Content-Type': 'application/json' }), 400, /empty program/);
  });

  it(`a body over the limit (COMPILE_MAX_BODY_BYTES, ${MAX_BODY} bytes): 413`, async () => {
    // Exactly at the limit is accepted: the program followed by spaces ('+').
    const fits = Buffer.from(form(HELLO).padEnd(MAX_BODY, '+'));
    expect(fits.length).toBe(MAX_BODY);
    const ok = await post(fits);
    expect(ok.status).toBe(200);
    expectRefused(await post(Buffer.alloc(MAX_BODY + 1, 'a')), 413, /too large/);
  });

  it('invalid UTF-8, raw or percent-encoded', async () => {
    const raw = Buffer.concat([Buffer.from('version=2&body=package+main%0A%2F%2F+'), Buffer.from([0xff, 0xfe]), Buffer.from('%0Afunc+main()+{}%0A')]);
    expectRefused(await post(raw), 400, /not valid UTF-8/);
    expectRefused(await post('version=2&body=package+main%0A%2F%2F+%FF%0Afunc+main()+{}%0A'), 400, /not valid UTF-8/);
    const json = Buffer.concat([Buffer.from('{"Body": "package main // '), Buffer.from([0xff]), Buffer.from('"}')]);
    expectRefused(await post(json, { 'Content-Type': 'application/json' }), 400, /not valid UTF-8/);
  });

  it('a txtar file name that climbs out of the directory', async () => {
    expectRefused(await post(form(`${HELLO}-- ../x.go --\npackage main\n`)), 400, /invalid file name "\.\.\/x\.go"/);
    expectRefused(await post(form(`${HELLO}-- /etc/x.go --\npackage main\n`)), 400, /invalid file name "\/etc\/x\.go"/);
  });

  it('more than 20 files', async () => {
    let body = HELLO;
    for (let i = 1; i <= 20; i++) body += `-- f${i}.go --\npackage main\n`;
    expectRefused(await post(form(body)), 400, /too many files .*21.*20/);
  });

  it('the same file name twice', async () => {
    expectRefused(await post(form(`${HELLO}-- a.go --\npackage main\n-- a.go --\npackage main\n`)), 400, /duplicate file name "a\.go"/);
  });

  it('a txtar whose names clash: a file that is also a directory, or a directory named like a file of the build', async () => {
    expectRefused(await post(form('package main\n-- foo --\nx\n-- foo/bar.go --\npackage foo\n')), 400, /invalid file name "foo\/bar\.go": "foo" is also a file/);
    expectRefused(await post(form(`${HELLO}-- go.mod/x.go --\npackage x\n`)), 400, /"go\.mod" is a file of the build/);
    // The binary is written apart from the program's files, so a.out is an ordinary name.
    expect(output(await compile(stack, `${HELLO}-- a.out --\nnot the binary\n`))).toBe('hi\n');
    expect(output(await compile(stack, `${HELLO}-- a.out/x.go --\npackage x\n`))).toBe('hi\n');
    const test = 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n';
    expectRefused(await post(form(`-- x.go --\n${test}-- x_test.go/y.go --\npackage y\n`)), 400, /"x_test\.go" is what "x\.go" is built as in a test/);
  });

  it('no layout of a txtar is a 5xx: random archives of clashing, reserved and ordinary names are a 200 or a 400', async () => {
    // A seeded walk through layouts (HARDENING_FUZZ_SEED picks another), each answered on its own.
    let seed = Number(process.env.HARDENING_FUZZ_SEED ?? 16);
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const names = ['foo', 'foo/bar.go', 'a.out', 'a.out/x.go', 'go.mod', 'go.mod/x', 'go.sum', 'x.go', 'x_test.go', 'x_test.go/y.go', 'sub', 'sub/a.go', 'sub/go.mod', 'sub/a.out/b.go', 'vendor/modules.txt', 'testdata/t.txt', '.hidden', '_x.go', 'prog.go'];
    const contents = [
      'package main\n\nfunc main() { println("layout") }\n',
      'package main\n\nimport "testing"\n\nfunc TestL(t *testing.T) {}\n',
      'package foo\n',
      'module play\n\ngo 1.21\n',
      'not go at all\n',
      '',
    ];
    const seen: Record<number, number> = {};
    for (let i = 0; i < 20; i++) {
      let body = contents[next(2)];
      const count = 1 + next(4);
      for (let f = 0; f < count; f++) body += `-- ${names[next(names.length)]} --\n${contents[next(contents.length)]}`;
      const r = await post(form(body));
      seen[r.status] = (seen[r.status] ?? 0) + 1;
      expect({ body, status: r.status }).toEqual({ body, status: expect.any(Number) });
      expect({ body, status: r.status < 500 }).toEqual({ body, status: true });
      if (r.status === 200) expect(Object.keys(r.json<object>())).toEqual(expect.arrayContaining(['Errors', 'Events']));
      else expect({ body, status: r.status, message: r.text }).toEqual({ body, status: 400, message: expect.stringMatching(/^(invalid file name|duplicate file name|empty program)/) });
    }
    // The walk meets both outcomes (else it tests less than it claims).
    expect(Object.keys(seen).sort()).toEqual(['200', '400']);
  }, 180_000);

  it('a JSON body that is not JSON, or not an object', async () => {
    const json = { 'Content-Type': 'application/json' };
    expectRefused(await post('{"Body": "package main', json), 400, /not valid JSON/);
    expectRefused(await post('version=2&body=package+main', json), 400, /not valid JSON/);
    expectRefused(await post('["package main"]', json), 400, /JSON object/);
    expectRefused(await post('{"Body": 42}', json), 400, /"Body" must be a string/);
  });

  it('an X-Playground-Backend header with a bad value', async () => {
    expectRefused(await post(form(HELLO), { ...FORM, 'X-Playground-Backend': 'windows-arm64' }), 400, /X-Playground-Backend must be/);
  });
});

describe('/fmt refuses', () => {
  it('a bad archive (a 200 with its Error, as play.golang.org) and invalid UTF-8', async () => {
    const bad = await post(`body=${encodeURIComponent(`${HELLO}-- ../x.go --\n`)}`, FORM, '/fmt');
    expect({ status: bad.status, body: bad.json() }).toEqual({ status: 200, body: { Body: '', Error: expect.stringMatching(/^invalid file name "\.\.\/x\.go"/) } });
    expectRefused(await post('body=%FF', FORM, '/fmt'), 400, /not valid UTF-8/);
    expectRefused(await post(Buffer.alloc(MAX_BODY + 1, 'a'), FORM, '/fmt'), 413, /too large/);
  });
});

describe('after all of that', () => {
  it('the service still runs programs', async () => {
    expect(output(await compile(stack, HELLO))).toBe('hi\n');
  });

  it('no build directory was left behind', async () => {
    expect(await buildDirs.leftovers()).toEqual([]);
  });
});
