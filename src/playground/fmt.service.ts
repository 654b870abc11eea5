import { Injectable } from '@nestjs/common';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand } from '../build/run-command';
import { varDir } from '../paths';

const FMT_TIMEOUT_MS = 10_000;

export class ToolMissing extends Error {}

/** gofmt, or goimports when imports are to be fixed: the real Go tools, on one file at a time. */
@Injectable()
export class FmtService {
  gofmtPath(goBin: string): string {
    return path.join(path.dirname(goBin), 'gofmt');
  }

  goimportsPath(): string {
    return path.join(varDir(), 'bin', 'goimports');
  }

  /** Returns the formatted source, or throws FormatError with the tool's message. */
  async format(goBin: string, name: string, source: string, fixImports: boolean): Promise<string> {
    const tool = fixImports ? this.goimportsPath() : this.gofmtPath(goBin);
    if (!fs.existsSync(tool)) throw new ToolMissing(`${path.basename(tool)} is not installed on this server (run the set-up: scripts/setup.sh)`);
    // goimports resolves imports against a module, so it gets an empty one of its own.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-fmt-'));
    try {
      const env = {
        PATH: `${path.dirname(goBin)}:/usr/bin:/bin`, HOME: dir, GOPATH: path.join(dir, 'gopath'),
        GOCACHE: path.join(varDir(), 'gocache'), GOMODCACHE: path.join(varDir(), 'gomodcache'),
        GOFLAGS: '-mod=mod', GO111MODULE: 'on', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOENV: 'off',
      };
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module play\n');
      const r = await runCommand([tool], { cwd: dir, env, timeoutMs: FMT_TIMEOUT_MS, stdin: source });
      if (r.timedOut) throw new FormatError(`${path.basename(tool)} timed out`);
      if (r.code !== 0) throw new FormatError(r.output.replace(/<standard input>/g, name).trim());
      return r.output;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

export class FormatError extends Error {}
