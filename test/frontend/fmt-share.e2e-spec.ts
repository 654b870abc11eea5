/**
 * The frontend's other public endpoints, end to end on a real stack: /fmt with the real gofmt
 * and goimports, /share and /p with the real SQLite database, /version, /_ah/health (a real
 * build) and the examples under /doc/play.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import type { Stack } from '../support/stack';
import { goBinary } from '../support/go-build';
import { request, Reply } from '../support/http';
import { compile, output } from '../support/compile';
import { projectRoot } from '../../src/platform/paths';
import { frontendStackForFile, go } from './helpers';

let stack: Stack;
frontendStackForFile((s) => { stack = s; });

function postForm(route: string, fields: Record<string, string>): Promise<Reply> {
  return request(`${stack.frontendUrl}${route}`, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

function expectCors(r: Reply): void {
  expect(r.headers['access-control-allow-origin']).toBe('*');
}

describe('/fmt', () => {
  it('fixes indentation with gofmt', async () => {
    const messy = 'package main\n\nimport "fmt"\n\nfunc main() {\n    fmt.Println("hi")\n      }\n';
    const r = await postForm('/fmt', { body: messy });
    expect(r.status).toBe(200);
    expectCors(r);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(r.json<object>())).toEqual(['Body', 'Error']);
    expect(r.json()).toEqual({ Body: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', Error: '' });
  });

  it('formats every .go file of a txtar archive and keeps the others as they are', async () => {
    const body = 'package main\nfunc main() {\nhello()\n}\n-- other.go --\npackage main\nfunc hello() {\nprintln( "hi" )\n}\n-- notes.txt --\n  left   alone\n';
    const r = await postForm('/fmt', { body });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      Body: 'package main\n\nfunc main() {\n\thello()\n}\n-- other.go --\npackage main\n\nfunc hello() {\n\tprintln("hi")\n}\n-- notes.txt --\n  left   alone\n',
      Error: '',
    });
  });

  it('answers a syntax error with an empty Body and the error by file name', async () => {
    const r = await postForm('/fmt', { body: 'package main\n\nfunc main() {\n\tfmt.Println("hi"\n}\n' });
    expect(r.status).toBe(200);
    expectCors(r);
    const j = r.json<{ Body: string; Error: string }>();
    expect(Object.keys(j)).toEqual(['Body', 'Error']);
    expect(j.Body).toBe('');
    expect(j.Error).toMatch(/^prog\.go:\d+:\d+: /);
    expect(j.Error).not.toContain('/tmp');
    expect(j.Error).not.toContain('<standard input>');
  });

  it('adds the missing "fmt" import with imports=true (goimports)', async () => {
    const goimports = path.join(projectRoot(), 'var', 'bin', 'goimports');
    if (!fs.existsSync(goimports)) {
      throw new Error(`goimports is not installed at ${goimports}: /fmt with imports=true cannot work. `
        + 'Install it with the set-up (scripts/setup.sh, step 4: GOBIN=var/bin go install golang.org/x/tools/cmd/goimports@v0.39.0).');
    }
    const r = await postForm('/fmt', { body: 'package main\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', imports: 'true' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ Body: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', Error: '' });
  });
});

describe('/share and /p', () => {
  it('gives the play.golang.org ID for a body (check value)', async () => {
    const r = await request(`${stack.frontendUrl}/share`, { method: 'POST', body: 'Snippy McSnipface' });
    expect(r.status).toBe(200);
    expectCors(r);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toBe('N_M_YelfGeR');
  });

  it('shares a program and serves it back raw, as a download, and in the editor page', async () => {
    const source = go`
      package main

      import "fmt"

      func main() {
        fmt.Println("shared and run")
      }
    `;
    const shared = await request(`${stack.frontendUrl}/share`, { method: 'POST', body: source });
    expect(shared.status).toBe(200);
    const id = shared.text;
    expect(id).toMatch(/^[A-Za-z0-9_-]{11,}$/);
    // Sharing the same body again gives the same ID.
    expect((await request(`${stack.frontendUrl}/share`, { method: 'POST', body: source })).text).toBe(id);

    const raw = await request(`${stack.frontendUrl}/p/${id}.go`);
    expect(raw.status).toBe(200);
    expectCors(raw);
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.headers['content-disposition']).toBeUndefined();
    expect(raw.text).toBe(source);

    const download = await request(`${stack.frontendUrl}/p/${id}.go?download=true`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${id}.go"`);
    expect(download.text).toBe(source);

    const page = await request(`${stack.frontendUrl}/p/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<html/i);

    // What was shared runs.
    expect(output(await compile(stack, raw.text))).toBe('shared and run\n');
  });

  it('answers 404 "Snippet not found" for an unknown ID', async () => {
    for (const url of ['/p/NoSuchSnipp', '/p/NoSuchSnipp.go']) {
      const r = await request(`${stack.frontendUrl}${url}`);
      expect(r.status).toBe(404);
      expectCors(r);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.text).toBe('Snippet not found\n'); // Go's http.Error adds the newline
    }
  });

  it('takes a snippet of exactly 64 KiB and refuses one byte more with 413 "Snippet is too large"', async () => {
    const limit = 64 << 10;
    const fits = await request(`${stack.frontendUrl}/share`, { method: 'POST', body: Buffer.alloc(limit, 'a') });
    expect(fits.status).toBe(200);
    const tooBig = await request(`${stack.frontendUrl}/share`, { method: 'POST', body: Buffer.alloc(limit + 1, 'a') });
    expect(tooBig.status).toBe(413);
    expectCors(tooBig);
    expect(tooBig.text).toBe('Snippet is too large\n');
  });
});

describe('/version, /_ah/health, /doc/play', () => {
  it('/version names the toolchain programs are built with', async () => {
    const r = await request(`${stack.frontendUrl}/version`);
    expect(r.status).toBe(200);
    expectCors(r);
    const v = r.json<{ Version: string; Release: string; Name: string }>();
    expect(Object.keys(v)).toEqual(['Version', 'Release', 'Name']);
    const goVersion = execFileSync(goBinary(), ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
    expect(v.Version).toBe(goVersion);
    const m = /^go(\d+)\.(\d+)/.exec(goVersion)!;
    expect(v.Release).toBe(`go${m[1]}.${m[2]}`);
    expect(v.Name).toBe(`Go ${m[1]}.${m[2]}`);
  });

  it('/_ah/health builds a hello program and answers ok', async () => {
    const r = await request(`${stack.frontendUrl}/_ah/health`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('ok');
  });

  it('serves the hello example, which runs', async () => {
    const r = await request(`${stack.frontendUrl}/doc/play/hello.txt`);
    expect(r.status).toBe(200);
    expectCors(r);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toContain('package main');
    expect(output(await compile(stack, r.text))).toBe('Hello, playground\n');
  });

  it('answers 404 for an example that does not exist', async () => {
    const r = await request(`${stack.frontendUrl}/doc/play/no-such-example.txt`);
    expect(r.status).toBe(404);
  });
});
