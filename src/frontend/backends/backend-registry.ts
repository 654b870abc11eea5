import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Settings } from '../../platform/config/settings';
import { BuildService } from '../builder/build.service';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { PLUGINS } from '../registered-plugins';
import { ExecutionBackend } from './execution-backend';
import { LinuxAmd64Backend } from './linux-amd64.backend';
import { BackendChoice } from '../routing/route-decision';
import { parseToolchainList } from '../../platform/config/toolchain-list';
import { toolchainGo } from '../toolchains/toolchain-dir';

/** Every execution backend the frontend knows, and which one plays the legacy role. */
@Injectable()
export class BackendRegistry implements OnApplicationBootstrap {
  private readonly log = new Logger('backends');
  readonly linuxAmd64: ExecutionBackend;
  /** The other Go releases (PLAYGROUND_TOOLCHAINS), by the name clients send in `backend`. */
  readonly releases: ReadonlyMap<string, LinuxAmd64Backend>;
  readonly all: ExecutionBackend[];

  constructor(settings: Settings, private readonly builds: BuildService, sandbox: SandboxClient, private readonly status: SandboxStatus) {
    this.linuxAmd64 = new LinuxAmd64Backend(settings.get('PLAYGROUND_GO'), builds, sandbox, status);
    const releases = parseToolchainList(settings.get('PLAYGROUND_TOOLCHAINS')).map((t) => new LinuxAmd64Backend(toolchainGo(t.version), builds, sandbox, status, t));
    this.releases = new Map(releases.map((b) => [b.release!.name, b]));
    const ctx = { builds, sandbox, sandboxStatus: status, setting: (name: string) => String(settings.any(name)) };
    this.all = [this.linuxAmd64, ...releases, ...PLUGINS.flatMap((p) => p.frontendBackends(ctx))];
  }

  /** Logs, once the sandbox's state is known, what can run and why not. */
  async onApplicationBootstrap(): Promise<void> {
    await this.status.refresh();
    for (const t of new Map(this.all.flatMap((b) => b.buildTarget()?.toolchain ?? []).map((t) => [t.version, t])).values()) {
      await this.builds.checkSandbox(t);
    }
    for (const b of this.all) {
      const a = b.availability();
      if (a.available) this.log.log(`backend ${b.id} (${b.label}, ${b.toolchainVersion()}) available`);
      else this.log.warn(`backend ${b.id} (${b.label}) unavailable: ${a.reason}`);
    }
    const legacy = this.legacy();
    this.log.log(legacy ? `legacy role: ${legacy.id} (${legacy.label})` : 'no legacy backend registered');
    void this.warmBuildCaches();
  }

  /**
   * One hello build per available backend, in the background: the set-up warmed GOCACHE, this
   * makes sure the first real request finds the compiler and the cache hot.
   */
  private async warmBuildCaches(): Promise<void> {
    const hello = new Map([['prog.go', 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("warm") }\n']]);
    for (const b of this.all.filter((x) => x.availability().available || x.id === this.linuxAmd64.id)) {
      const began = Date.now();
      try {
        const r = await b.build({ files: hello, isTest: false, vet: false, lowPriority: true });
        this.log.log(`warm-up build for ${b.id}: ${r.ok ? 'ok' : r.errors} in ${Date.now() - began} ms`);
      } catch (e) {
        this.log.warn(`warm-up build for ${b.id} failed: ${(e as Error).message}`);
      }
    }
  }

  /** The legacy role: the first available legacy backend in the plugin's order of preference. */
  legacy(): ExecutionBackend | undefined {
    const candidates = this.all.filter((b) => b.legacy);
    return candidates.find((b) => b.availability().available) ?? candidates[0];
  }

  get(id: string): ExecutionBackend | undefined {
    return this.all.find((b) => b.id === id);
  }

  choice(b: ExecutionBackend | undefined): BackendChoice | undefined {
    if (!b) return undefined;
    const a = b.availability();
    return { id: b.id, available: a.available, reason: a.reason };
  }
}
