/** One more Go release served beside the default one, as its clients name it (`backend=goprev`). */
export interface ToolchainEntry {
  /** What clients send in `backend`, e.g. "goprev" or "gotip". */
  name: string;
  /** The Go release, e.g. "go1.25.14": the golang.org/toolchain module it is fetched as. */
  version: string;
}

const NAME = /^go[a-z0-9]{1,15}$/;
const VERSION = /^go1\.(\d+)(?:\.\d+|rc\d+)?$/;
/** The oldest release whose runtime builds with -tags=faketime as the playground needs. */
const OLDEST_MINOR = 14;

/**
 * Reads PLAYGROUND_TOOLCHAINS ("goprev=go1.25.14,gonext=go1.27.4"), or throws naming every
 * problem at once, so an operator fixes the setting in one go.
 */
export function parseToolchainList(value: string): ToolchainEntry[] {
  const entries: ToolchainEntry[] = [];
  const problems: string[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      problems.push(`"${item}" is not name=version (for example goprev=go1.25.14)`);
      continue;
    }
    const name = item.slice(0, eq).trim();
    const version = item.slice(eq + 1).trim();
    if (!NAME.test(name)) problems.push(`"${name}" is not a backend name: "go" then up to 15 lowercase letters or digits (goprev, gotip)`);
    const m = VERSION.exec(version);
    if (!m) problems.push(`"${version}" (for ${name}) is not a Go release like go1.25.14 or go1.27rc1`);
    else if (Number(m[1]) < OLDEST_MINOR) problems.push(`${version} (for ${name}) is older than go1.${OLDEST_MINOR}, the first release the playground's faketime builds support`);
    if (entries.some((e) => e.name === name)) problems.push(`${name} is named twice`);
    if (entries.some((e) => e.version === version)) problems.push(`${version} is listed twice`);
    entries.push({ name, version });
  }
  if (problems.length) throw new Error(problems.join('; '));
  return entries;
}

export function checkToolchainList(value: string): void {
  parseToolchainList(value);
}
