import { BadRequestException, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { formValues } from '../http/form';
import { BackendRegistry } from '../backends/backend-registry';
import type { ExecutionBackend } from '../backends/execution-backend';
import type { LinuxAmd64Backend } from '../backends/linux-amd64.backend';

/**
 * Which Go release a request asks for, as the Go playground's clients say it: `backend` in the
 * form or the query string, read as Go's FormValue reads them ("" the default, "goprev",
 * "gotip"). A name this deployment does not serve is the client's mistake, answered with the
 * names it does.
 */
@Injectable()
export class ToolchainChoice {
  constructor(private readonly backends: BackendRegistry) {}

  /** The backend of another release, or undefined for the default one (routing decides that). */
  release(name: string): LinuxAmd64Backend | undefined {
    if (name === '') return undefined;
    const b = this.backends.releases.get(name);
    if (!b) throw new BadRequestException(`unknown backend ${JSON.stringify(name.slice(0, 40))}: this playground serves ${this.menu()}`);
    return b;
  }

  /** The default toolchain's backend when no other release is named. */
  backendFor(name: string): ExecutionBackend {
    return this.release(name) ?? this.backends.linuxAmd64;
  }

  /** What a client may choose, default first: the editor's version menu and the 400 above. */
  choices(): { name: string; version: string }[] {
    return [{ name: '', version: this.backends.linuxAmd64.toolchainVersion() }, ...[...this.backends.releases].map(([name, b]) => ({ name, version: b.release!.version }))];
  }

  private menu(): string {
    return this.choices().map((c) => `${JSON.stringify(c.name)} (${c.version})`).join(', ');
  }
}

/** The `backend` of a request whose body is no form (GET /version, /share's raw snippet): the query string's. */
export function queryRelease(req: Request): string {
  return formValues(req, Buffer.alloc(0)).get('backend') ?? '';
}
