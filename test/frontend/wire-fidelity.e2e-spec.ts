// The wire details where play.golang.org's handlers (golang/playground: sandbox.go, fmt.go,
// share.go, edit.go, server.go) answer in a particular way, on the real stack.
import { startFrontendStack, type Stack } from '../support/stack';
import { LINUX_AMD64, output, type CompileResponse } from '../support/compile';
import { request } from '../support/http';

let stack: Stack;

beforeAll(async () => {
  stack = await startFrontendStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n';
const VET_COMPLAINS = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Printf("%d\\n", "x") }\n';
const pinned = { 'X-Playground-Backend': LINUX_AMD64 };

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return request(`${stack.frontendUrl}${path}`, { method: 'POST', body, headers: { ...pinned, ...headers } });
}

describe('/compile requests as play.golang.org reads them', () => {
  it('takes the form fields from the query string too', async () => {
    const r = await post(`/compile?body=${encodeURIComponent(HELLO)}`, '');
    expect(r.status).toBe(200);
    expect(output(r.json<CompileResponse>())).toBe('hi\n');
  });

  it('decodes a JSON body whatever its Content-Type, with field names in any case', async () => {
    for (const type of ['text/plain', 'application/octet-stream', '']) {
      const r = await post('/compile', JSON.stringify({ body: HELLO, withvet: true }), type ? { 'Content-Type': type } : {});
      expect(r.status).toBe(200);
      const a = r.json<CompileResponse>();
      expect(output(a)).toBe('hi\n');
      expect(a.VetOK).toBe(true);
    }
    expect((await post('/compile', '{"Body": 5}', { 'Content-Type': 'text/plain' })).status).toBe(400);
    expect((await post('/compile', '{"Body": "x", "WithVet": "yes"}')).status).toBe(400);
  });

  it('reads withVet with Go\'s ParseBool spellings', async () => {
    const vetted = async (v: string) => {
      const r = await post('/compile', new URLSearchParams({ body: VET_COMPLAINS, withVet: v }).toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
      return r.json<CompileResponse>().VetErrors !== undefined;
    };
    expect(await Promise.all(['1', 't', 'T', 'TRUE', 'true', 'True'].map(vetted))).toEqual([true, true, true, true, true, true]);
    expect(await Promise.all(['on', 'yes', '0', 'false', ''].map(vetted))).toEqual([false, false, false, false, false]);
  });
});

describe('/compile answers as play.golang.org sends them', () => {
  it('sends Events null for a program that printed nothing', async () => {
    const r = await post('/compile', JSON.stringify({ Body: 'package main\n\nfunc main() {}\n' }));
    expect(r.text).toContain('"Events":null');
    expect(r.json<CompileResponse>().Status).toBe(0);
  });

  it('checks "package name must be main" on every root file, test files included', async () => {
    const cases = [
      'package main\n\nfunc main() {}\n-- x_test.go --\npackage main_test\n',
      'package foo\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
    ];
    for (const body of cases) {
      const a = (await post('/compile', JSON.stringify({ Body: body }))).json<CompileResponse>();
      expect(a.Errors).toBe('package name must be main');
    }
    // A package of another name in a subdirectory is fine.
    const sub = 'package main\n\nimport "play/lib"\n\nfunc main() { lib.Hi() }\n-- lib/lib.go --\npackage lib\n\nimport "fmt"\n\nfunc Hi() { fmt.Println("from lib") }\n';
    expect(output((await post('/compile', JSON.stringify({ Body: sub }))).json<CompileResponse>())).toBe('from lib\n');
  });

  it('answers a timeout with its partial output and Errors empty, and with no vet fields', async () => {
    const spin = 'package main\n\nimport "fmt"\n\nvar n int\n\nfunc main() {\n\tfmt.Println("partial")\n\tfor {\n\t\tn++\n\t}\n}\n';
    const r = await post('/compile', JSON.stringify({ Body: spin, WithVet: true }));
    const a = r.json<CompileResponse>();
    expect(a.Errors).toBe('');
    expect(a.Status).toBe(1);
    // The notice is at stderr's last virtual time (the start, for a program that wrote none),
    // and on equal times stderr plays first: play.golang.org decodes it so too.
    expect(a.Events).toEqual([
      { Kind: 'stderr', Message: 'timeout running program\n', Delay: 0 },
      { Kind: 'stdout', Message: 'partial\n', Delay: 0 },
    ]);
    expect(a.VetOK).toBe(true);
  }, 60_000);

  it('answers errors in text/plain, as Go\'s http.Error', async () => {
    const bad = await post('/compile', '{not json', { 'Content-Type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(bad.headers['x-content-type-options']).toBe('nosniff');
    expect(bad.text).toMatch(/^request body is not valid JSON: .*\n$/);
    const missing = await request(`${stack.frontendUrl}/no/such/path`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('404 page not found\n');
  });
});

describe('/fmt as play.golang.org formats', () => {
  const fmt = (body: string, imports = false) => post('/fmt', new URLSearchParams({ body, ...(imports ? { imports: 'true' } : {}) }).toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });

  it('formats go.mod files too', async () => {
    const r = await fmt('package main\nfunc main() {}\n-- go.mod --\nmodule   play\ngo 1.22\nrequire (\nexample.com/x v1.0.0\n)\n');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ Body: 'package main\n\nfunc main() {}\n-- go.mod --\nmodule play\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n', Error: '' });
    const broken = (await fmt('package main\n-- go.mod --\nmodule play\nnonsense here\n')).json<{ Body: string; Error: string }>();
    expect(broken.Error).toMatch(/^go\.mod:2: unknown directive: nonsense/);
  });

  it('answers a bad archive with a 200 and its Error', async () => {
    const r = await fmt('package main\n-- ../escape.go --\npackage main\n');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ Body: '', Error: expect.stringMatching(/^invalid file name "\.\.\/escape\.go"/) });
  });

  it('reads its fields from the query string too', async () => {
    const r = await post(`/fmt?body=${encodeURIComponent('package main\nfunc main() {\n}\n')}`, '');
    expect(r.json()).toEqual({ Body: 'package main\n\nfunc main() {\n}\n', Error: '' });
  });
});

describe('/share and /p/{id} as play.golang.org answers them', () => {
  it('stores an empty snippet', async () => {
    const r = await post('/share', '');
    expect(r.status).toBe(200);
    const raw = await request(`${stack.frontendUrl}/p/${r.text}.go`);
    expect(raw.status).toBe(200);
    expect(raw.text).toBe('');
  });

  it('answers GET /share with 405 "Requires POST"', async () => {
    const r = await request(`${stack.frontendUrl}/share`);
    expect(r.status).toBe(405);
    expect(r.text).toBe('Requires POST\n');
  });

  it('answers an unknown or malformed id with 404 "Snippet not found"', async () => {
    for (const id of ['NoSuchSnip1', 'bad%20id', 'a.b.c', 'x'.repeat(100)]) {
      for (const suffix of ['', '.go']) {
        const r = await request(`${stack.frontendUrl}/p/${id}${suffix}`);
        expect(r.status).toBe(404);
        expect(r.text).toBe('Snippet not found\n');
      }
    }
  });

  it('carries the snippet in the page, escaped', async () => {
    const source = 'package main\n\n// </textarea><script>alert(1)</script> & more\nfunc main() {}\n';
    const id = (await post('/share', source)).text;
    const page = await request(`${stack.frontendUrl}/p/${id}`);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('// &lt;/textarea>&lt;script>alert(1)&lt;/script> &amp; more');
    expect(page.text).not.toContain('<script>alert(1)');
  });
});

describe('CORS as play.golang.org sends it', () => {
  it('adds Access-Control-Allow-Origin on its API and pages, not on the health check or static files', async () => {
    for (const path of ['/version', '/', '/doc/play/hello.txt', '/no/such/path']) {
      expect([path, (await request(`${stack.frontendUrl}${path}`)).headers['access-control-allow-origin']]).toEqual([path, '*']);
    }
    for (const path of ['/_ah/health', '/static/play.css']) {
      expect([path, (await request(`${stack.frontendUrl}${path}`)).headers['access-control-allow-origin']]).toEqual([path, undefined]);
    }
  }, 60_000);

  it('answers a preflight with an empty 200 on the API, and not on the health check', async () => {
    const pre = await request(`${stack.frontendUrl}/compile`, { method: 'OPTIONS', headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(200);
    expect(pre.text).toBe('');
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    const health = await request(`${stack.frontendUrl}/_ah/health`, { method: 'OPTIONS' });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
    expect(health.status).toBe(404);
  });
});
