/**
 * HTTP for the benchmarks, besides the specs' loopback client (test/support/http.ts): the
 * browser's /compile form, and samples of the sandbox's Prometheus metrics.
 */
import { sleep } from '../../test/support/http';

/** The body of a POST /compile as the browser client sends it: a form, version 2, without vet. */
export function compileForm(source: string): string {
  return new URLSearchParams({ version: '2', body: source, withVet: 'false' }).toString();
}

/** One scrape of the sandbox's /metrics (on its operations listener); `gvisor(name)` reads the gVisor pool's sample of `name`, if there is one. */
export async function sandboxMetrics(sandboxOpsUrl: string): Promise<{ gvisor(name: string): number | undefined }> {
  const text = await (await fetch(`${sandboxOpsUrl}/metrics`)).text();
  return {
    gvisor: (name) => {
      const m = new RegExp(`^${name}\\{pool="gvisor"\\} (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    },
  };
}

/** Until the gVisor pool of every sandbox (by its operations URL) holds `size` warm containers. */
export async function waitForWarmPools(sandboxOpsUrls: string[], size: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await Promise.all(sandboxOpsUrls.map(async (url) => (await sandboxMetrics(url)).gvisor('sandbox_pool_ready') ?? 0));
    if (ready.every((r) => r >= size)) return;
    if (Date.now() > deadline) throw new Error(`the warm pools did not reach ${size} within ${timeoutMs / 1000} s`);
    await sleep(25);
  }
}
