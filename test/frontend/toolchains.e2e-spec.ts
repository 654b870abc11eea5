/**
 * Several Go releases in one deployment (PLAYGROUND_TOOLCHAINS, default goprev=go1.25.14): the
 * set-up fetched goprev from the module proxy into var/toolchains/; clients pick it with
 * `backend=goprev` in the query string or the form, as the Go playground's clients do. Real
 * toolchains, real build sandbox, real gVisor runs.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Stack } from '../support/stack';
import { request, Reply } from '../support/http';
import type { CompileResponse } from '../support/compile';
import { output } from '../support/compile';
import { goBinary } from '../support/go-build';
import { buildPrivateDist, run } from '../hardening/support';
import { parseToolchainList } from '../../src/platform/config/toolchain-list';
import { SETTINGS } from '../../src/platform/config/settings.schema';
import { frontendStackForFile, go } from './helpers';

let stack: Stack;
frontendStackForFile((s) => { stack = s; });

const DEFAULT = execFileSync(goBinary(), ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
const GOPREV = parseToolchainList(SETTINGS.PLAYGROUND_TOOLCHAINS.default).find((t) => t.name === 'goprev')!.version;

const VERSION = go`
  package main

  import (
    "fmt"
    "runtime"
  )

  func main() {
    fmt.Println(runtime.Version())
  }
`;

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function post(p: string, body: string, type = 'application/x-www-form-urlencoded'): Promise<Reply> {
  return request(`${stack.frontendUrl}${p}`, { method: 'POST', body, headers: { 'Content-Type': type } });
}

describe('several Go releases, chosen with backend=', () => {
  it('answers runtime.Version() of each configured release, one program (the cache key holds the toolchain)', async () => {
    expect(DEFAULT).not.toBe(GOPREV);
    const asDefault = await post('/compile', form({ version: '2', body: VERSION }));
    const asPrev = await post('/compile?backend=goprev', form({ version: '2', body: VERSION }));
    const inForm = await post('/compile', form({ version: '2', body: VERSION, backend: 'goprev' }));
    const explicitDefault = await post('/compile?backend=', form({ version: '2', body: VERSION }));
    for (const r of [asDefault, asPrev, inForm, explicitDefault]) expect(r.status).toBe(200);
    expect(output(asDefault.json<CompileResponse>())).toBe(`${DEFAULT}\n`);
    expect(output(asPrev.json<CompileResponse>())).toBe(`${GOPREV}\n`);
    expect(output(inForm.json<CompileResponse>())).toBe(`${GOPREV}\n`);
    expect(output(explicitDefault.json<CompileResponse>())).toBe(`${DEFAULT}\n`);
    expect(asPrev.headers['x-playground-backend']).toBe(`linux-amd64@${GOPREV}`);
    expect(asPrev.headers['x-playground-route']).toBe(`backend=goprev: linux-amd64@${GOPREV}`);
  }, 180_000);

  it('builds with that release\'s compiler: new(expr) is Go 1.26, an error on goprev', async () => {
    const newOfValue = go`
      package main

      import "fmt"

      func main() {
        p := new(42)
        fmt.Println(*p)
      }
    `;
    const onDefault = (await post('/compile', form({ version: '2', body: newOfValue }))).json<CompileResponse>();
    const onPrev = (await post('/compile?backend=goprev', form({ version: '2', body: newOfValue }))).json<CompileResponse>();
    expect(onDefault.Errors).toBe('');
    expect(output(onDefault)).toBe('42\n');
    expect(onPrev.Errors).toMatch(/prog\.go:\d+:\d+: .*42/);
    expect(onPrev.Events).toBeNull();
  }, 180_000);

  it('refuses a release it does not serve with a 400 naming the ones it does, on every endpoint', async () => {
    const menu = `"" (${DEFAULT}), "goprev" (${GOPREV})`;
    const replies = [
      await post('/compile?backend=gotip', form({ version: '2', body: VERSION })),
      await post('/vet?backend=gotip', form({ body: VERSION })),
      await post('/fmt?backend=gotip', form({ body: VERSION })),
      await post('/share?backend=gotip', VERSION, 'text/plain'),
      await request(`${stack.frontendUrl}/version?backend=gotip`),
    ];
    for (const r of replies) {
      expect(r.status).toBe(400);
      expect(r.text).toContain(`unknown backend "gotip": this playground serves ${menu}`);
    }
  }, 120_000);

  it('/version, /fmt, /vet and /share take backend=goprev too', async () => {
    const v = await request(`${stack.frontendUrl}/version?backend=goprev`);
    const minor = /^go1\.(\d+)/.exec(GOPREV)![1];
    expect(v.json()).toEqual({ Version: GOPREV, Release: `go1.${minor}`, Name: `Go 1.${minor}` });
    expect((await request(`${stack.frontendUrl}/version`)).json<{ Version: string }>().Version).toBe(DEFAULT);
    const f = await post('/fmt?backend=goprev', form({ body: 'package main\nfunc main(){ }\n' }));
    expect(f.json()).toEqual({ Body: 'package main\n\nfunc main() {}\n', Error: '' });
    const vet = await post('/vet?backend=goprev', form({ body: go`
      package main

      import "fmt"

      func main() {
        fmt.Printf("%d\n", "not a number")
      }
    ` }));
    expect(vet.status).toBe(200);
    expect(vet.json<CompileResponse>().Errors).toContain('fmt.Printf format %d has arg "not a number" of wrong type string');
    const share = await post('/share?backend=goprev', VERSION, 'text/plain');
    expect(share.status).toBe(200);
    expect(share.text).toMatch(/^[A-Za-z0-9_-]+$/);
  }, 180_000);

  it('lists the releases in the editor page\'s version menu', async () => {
    const page = await request(`${stack.frontendUrl}/`);
    expect(page.text).toContain(`<option value="">Go ${DEFAULT.slice(2)}</option>`);
    expect(page.text).toContain(`<option value="goprev">Go ${GOPREV.slice(2)} (goprev)</option>`);
  });
});

describe('PLAYGROUND_TOOLCHAINS at start-up', () => {
  it('a bad setting stops the frontend, every problem listed', async () => {
    const dist = await buildPrivateDist();
    const r = await run(process.execPath, [path.join(dist, 'src', 'frontend', 'main.js')], 60_000, {
      PATH: process.env.PATH,
      PLAYGROUND_TOOLCHAINS: 'goprev=1.25,gotip=go1.27.4,gotip=go1.26.1',
      FRONTEND_PORT: 'eighty',
    });
    expect(r.code).not.toBe(0);
    // The logs are JSON lines: what they say is read from their messages.
    const said = (r.stdout + r.stderr).split('\n').map((l) => {
      try {
        const j = JSON.parse(l) as { msg?: string; err?: { message?: string } };
        return `${j.msg ?? ''} ${j.err?.message ?? ''}`;
      } catch {
        return l;
      }
    }).join('\n');
    expect(said).toContain('PLAYGROUND_TOOLCHAINS');
    expect(said).toContain('"1.25" (for goprev) is not a Go release');
    expect(said).toContain('gotip is named twice');
    expect(said).toContain('FRONTEND_PORT');
  }, 300_000);
});
