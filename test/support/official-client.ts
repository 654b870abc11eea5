import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { promisify } from 'util';
import { varDir } from '../../src/platform/paths';
import { goBinary } from './go-build';

/**
 * The official browser client of the Go playground: playground.js (with the jquery.js it was
 * written for) from golang.org/x/tools/godoc's static/ folder, as golang.org pages embedded it.
 * It is fetched through the Go module proxy at test set-up, never committed.
 */
export const OFFICIAL_CLIENT_MODULE = 'golang.org/x/tools/godoc@v0.1.0-deprecated';

/** Downloads the module (once: the module cache in var/ keeps it) and returns its static/ folder. */
export async function officialClientDir(): Promise<string> {
  const modcache = path.join(varDir(), 'official-client', 'mod');
  fs.mkdirSync(modcache, { recursive: true });
  const { stdout } = await promisify(execFile)(goBinary(), ['mod', 'download', '-json', OFFICIAL_CLIENT_MODULE], {
    cwd: path.dirname(modcache),
    env: { ...process.env, GOMODCACHE: modcache, GOFLAGS: '-mod=mod', GO111MODULE: 'on', GOTOOLCHAIN: 'local' },
    timeout: 120_000,
  });
  const dir = path.join((JSON.parse(stdout) as { Dir: string }).Dir, 'static');
  for (const f of ['playground.js', 'jquery.js']) {
    if (!fs.existsSync(path.join(dir, f))) throw new Error(`${OFFICIAL_CLIENT_MODULE} has no static/${f}`);
  }
  return dir;
}

export interface ClientPage {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a page on a loopback origin of its own (as golang.org's pages were another origin than
 * the playground's) that sets the official client up with the options play.golang.org's own
 * page gives it, pointed at `apiUrl`: the client asks its page's origin for /compile, /fmt and
 * /doc/play/ and play.golang.org for /share, so a jQuery prefilter sends all of them to the API
 * under test (nothing else of the client is changed). `.lines div` is the line-number markup that
 * jquery-linedtextarea adds on play.golang.org, where the client marks the lines of build errors.
 */
export async function serveClientPage(staticDir: string, apiUrl: string): Promise<ClientPage> {
  const lines = Array.from({ length: 60 }, (_, i) => `<div>${i + 1}</div>`).join('');
  const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>official client</title>
<style>.lines { float: left; width: 2em; height: 20em; overflow: hidden; font: 13px/1.2 monospace; } .lineerror { background: #fdd; } .error { color: #a00; }</style>
<script src="/jquery.js"></script>
<script src="/playground.js"></script>
<script>
  var API = ${JSON.stringify(apiUrl)};
  $.ajaxPrefilter(function (o) { o.url = API + o.url.replace(/^https:\\/\\/play\\.golang\\.org/, ''); });
</script>
</head><body>
<div class="lines">${lines}</div>
<textarea id="code" rows="20" cols="80"></textarea>
<input type="button" id="run" value="Run">
<input type="button" id="fmt" value="Format"> <label><input type="checkbox" id="imports"> Imports</label>
<input type="button" id="share" value="Share"> <input type="text" id="shareURL">
<select id="toys"><option value="">Examples</option><option value="hello.txt">Hello</option><option value="test.txt">Tests</option></select>
<div id="output"></div>
<script>
  playground({
    codeEl: '#code', outputEl: '#output', runEl: '#run', fmtEl: '#fmt', fmtImportEl: '#imports',
    shareEl: '#share', shareURLEl: '#shareURL', enableHistory: false, enableVet: true, toysEl: '#toys'
  });
</script>
</body></html>`;
  const files: Record<string, string> = {
    '/jquery.js': fs.readFileSync(path.join(staticDir, 'jquery.js'), 'utf8'),
    '/playground.js': fs.readFileSync(path.join(staticDir, 'playground.js'), 'utf8'),
  };
  const server = http.createServer((req, res) => {
    const script = files[req.url ?? ''];
    if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    else if (script) res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
