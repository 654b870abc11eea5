import * as path from 'path';
import { varDir } from '../../platform/paths';

/** Where the set-up keeps a fetched Go release: its GOROOT, root's and read-only to the services. */
export function toolchainRoot(version: string): string {
  return path.join(varDir(), 'toolchains', version);
}

export function toolchainGo(version: string): string {
  return path.join(toolchainRoot(version), 'bin', 'go');
}

/** The module the Go module proxy serves a release as (what `GOTOOLCHAIN=go1.x` downloads). */
export function toolchainModule(version: string): string {
  return `golang.org/toolchain@v0.0.1-${version}.linux-amd64`;
}
