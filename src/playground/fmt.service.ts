import { Injectable } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { sandboxToolEnv } from '../build/build-target';
import { BuildService } from '../build/build.service';
import { IN_SANDBOX } from '../build/sandbox/sandbox-layout';
import type { Toolchain } from '../build/toolchain';
import { varDir } from '../paths';

const FMT_TIMEOUT_MS = 10_000;

export class ToolMissing extends Error {}

/**
 * gofmt, or goimports when imports are to be fixed: the real Go tools, one file at a time, in
 * the build sandbox and through the builds' gate (they read a stranger's source like a build).
 */
@Injectable()
export class FmtService {
  constructor(private readonly builds: BuildService) {}

  goimportsPath(): string {
    return path.join(varDir(), 'bin', 'goimports');
  }

  /** Formats each .go file of a request; throws FormatError with the tool's message. */
  formatAll(toolchain: Toolchain, files: Map<string, string>, fixImports: boolean): Promise<Map<string, string>> {
    if (fixImports && !fs.existsSync(this.goimportsPath())) {
      return Promise.reject(new ToolMissing('goimports is not installed on this server (run the set-up: scripts/setup.sh)'));
    }
    return this.builds.gated(async () => {
      const out = new Map<string, string>();
      for (const [name, data] of files) out.set(name, name.endsWith('.go') ? await this.format(toolchain, name, data, fixImports) : data);
      return out;
    });
  }

  private async format(toolchain: Toolchain, name: string, source: string, fixImports: boolean): Promise<string> {
    const tool = fixImports ? `${IN_SANDBOX.tools}/goimports` : `${IN_SANDBOX.goroot}/bin/gofmt`;
    const sandbox = this.builds.sandbox;
    const ws = sandbox.workspace();
    try {
      // goimports resolves imports against a module, so it gets an empty one of its own.
      ws.write('go.mod', 'module play\n');
      const r = await sandbox.run(ws, {
        toolchain,
        command: [tool],
        env: sandboxToolEnv(),
        timeoutMs: FMT_TIMEOUT_MS,
        stdin: source,
        tools: fixImports ? [this.goimportsPath()] : [],
      });
      if (r.timedOut) throw new FormatError(`${path.basename(tool)} timed out`);
      if (r.code !== 0) throw new FormatError(r.output.replace(/<standard input>/g, name).trim());
      return r.stdout;
    } finally {
      ws.remove();
    }
  }
}

export class FormatError extends Error {}
