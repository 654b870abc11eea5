import { Injectable } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { goToolEnv } from '../build/build-target';
import { runCommand } from '../build/run-command';
import { makeWorkDir, removeWorkDir } from '../build/work-dir';
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
    const dir = makeWorkDir('play-fmt');
    try {
      const env = { ...goToolEnv(goBin, dir), GOPATH: path.join(dir, 'gopath'), GOFLAGS: '-mod=mod', GO111MODULE: 'on', GOPROXY: 'off' };
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module play\n');
      const r = await runCommand([tool], { cwd: dir, env, timeoutMs: FMT_TIMEOUT_MS, stdin: source });
      if (r.timedOut) throw new FormatError(`${path.basename(tool)} timed out`);
      if (r.code !== 0) throw new FormatError(r.output.replace(/<standard input>/g, name).trim());
      return r.output;
    } finally {
      removeWorkDir(dir);
    }
  }
}

export class FormatError extends Error {}
