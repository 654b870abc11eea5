import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Settings } from '../../platform/config/settings';
import { Availability } from '../backends/execution-backend';
import { SandboxEndpoint } from './sandbox-endpoint';
import { sandboxUrls } from '../../platform/config/sandbox-urls';
import { SandboxHost } from './sandbox-host';
import { leastLoaded } from './host-choice';

const POLL_MS = 2000;

/**
 * The sandbox hosts (SANDBOX_URL) and what they can run right now, each polled from its cheap
 * GET /status, so that routing never picks a backend no host can run and a run goes to the
 * least loaded host that is up and not draining.
 */
@Injectable()
export class SandboxStatus implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly hosts: SandboxHost[];
  private timer?: NodeJS.Timeout;

  constructor(settings: Settings) {
    const token = settings.get('SANDBOX_TOKEN');
    this.hosts = sandboxUrls(settings.get('SANDBOX_URL')).map((u) => new SandboxHost(new SandboxEndpoint(u, token), POLL_MS));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.refresh()));
  }

  /** Whether some host can take programs for runner `id` now; otherwise every host's reason. */
  runner(id: string): Availability {
    if (this.hosts.some((h) => h.accepts(id))) return { available: true };
    return { available: false, reason: this.hosts.map((h) => h.runner(id).reason ?? `sandbox host ${h.url} is draining or refused its last run`).join('; ') };
  }

  /** The host a run for `runnerId` goes to, never one of `tried`. */
  pick(runnerId: string | undefined, tried: ReadonlySet<SandboxHost>): SandboxHost | undefined {
    return leastLoaded(this.hosts.filter((h) => !tried.has(h) && h.accepts(runnerId)));
  }

  /** Whether some legacy pool holds warm containers (a restarted host refills them). */
  legacyWarm(): boolean {
    return this.hosts.some((h) => h.legacyWarm());
  }

  /** Asks every host to drain (or refill) its legacy pools; a host down now is reconciled later (legacyWarm). */
  async drainLegacy(drained: boolean): Promise<void> {
    const failures: string[] = [];
    await Promise.all(this.hosts.map(async (h) => {
      try {
        const res = await h.endpoint.fetch('/pools/legacy', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ drained }), signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) failures.push(`${h.url} answered ${res.status}`);
      } catch (e) {
        failures.push(`${h.url}: ${(e as Error).message}`);
      }
    }));
    if (failures.length) throw new Error(`legacy drain: ${failures.join('; ')}`);
  }
}
