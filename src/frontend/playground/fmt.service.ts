import { Injectable } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { sandboxToolEnv } from '../builder/build-target';
import { BuildService } from '../builder/build.service';
import { IN_SANDBOX } from '../builder/sandbox/sandbox-layout';
import type { Toolchain } from '../builder/toolchain';
import { varDir } from '../../platform/paths';

const FMT_TIMEOUT_MS = 10_000;

export class ToolMissing extends Error {}

/** What formats a file of a request, by its name; files of other names stay as they are. */
type Formatter = 'go' | 'go.mod';

function formatterFor(name: string): Formatter | null {
  if (name.endsWith('.go')) return 'go';
  if (path.posix.basename(name) === 'go.mod') return 'go.mod';
  return null;
}

/**
 * gofmt, or goimports when imports are to be fixed, and go.mod files in the go command's own
 * format, as play.golang.org formats them: the real Go tools, one file at a time, in the build
 * sandbox and through the builds' gate (they read a stranger's source like a build).
 */
@Injectable()
export class FmtService {
  constructor(private readonly builds: BuildService) {}

  goimportsPath(): string {
    return path.join(varDir(), 'bin', 'goimports');
  }

  /** Formats each .go and go.mod file of a request; throws FormatError with the tool's message. */
  formatAll(toolchain: Toolchain, files: Map<string, string>, fixImports: boolean): Promise<Map<string, string>> {
    if (fixImports && !fs.existsSync(this.goimportsPath())) {
      return Promise.reject(new ToolMissing('goimports is not installed on this server (run the set-up: scripts/setup.sh)'));
    }
    return this.builds.gated(async () => {
      const out = new Map<string, string>();
      for (const [name, data] of files) {
        const kind = formatterFor(name);
        out.set(name, kind === null ? data : await this.format(toolchain, name, data, kind === 'go.mod' ? 'go.mod' : fixImports ? 'goimports' : 'gofmt'));
      }
      return out;
    });
  }

  private async format(toolchain: Toolchain, name: string, source: string, tool: 'gofmt' | 'goimports' | 'go.mod'): Promise<string> {
    const command = {
      gofmt: [`${IN_SANDBOX.goroot}/bin/gofmt`],
      goimports: [`${IN_SANDBOX.tools}/goimports`],
      // -print writes the formatted file to stdout rather than back into the workspace.
      'go.mod': [`${IN_SANDBOX.goroot}/bin/go`, 'mod', 'edit', '-print'],
    }[tool];
    const sandbox = this.builds.sandbox;
    const ws = sandbox.workspace();
    try {
      // goimports resolves imports against a module, so it gets an empty one of its own; the go
      // command reads the go.mod being formatted from there.
      ws.write('go.mod', tool === 'go.mod' ? source : 'module play\n');
      const r = await sandbox.run(ws, {
        toolchain,
        command,
        env: sandboxToolEnv(),
        timeoutMs: FMT_TIMEOUT_MS,
        ...(tool === 'go.mod' ? {} : { stdin: source }),
        tools: tool === 'goimports' ? [this.goimportsPath()] : [],
      });
      if (r.timedOut) throw new FormatError(`${tool} timed out`);
      if (r.code !== 0) throw new FormatError(toolMessage(r.output, name));
      return r.stdout;
    } finally {
      ws.remove();
    }
  }
}

/** The tool's complaint in terms of the request's own file name, as play.golang.org words it. */
function toolMessage(output: string, name: string): string {
  return output
    .replace(/^go: errors parsing .*\n/m, '')
    .replace(/<standard input>/g, name)
    .split(`${IN_SANDBOX.src}/go.mod`).join(name)
    .trim();
}

export class FormatError extends Error {}
