import type { BuildService } from '../../src/frontend/builder/build.service';
import type { SandboxClient } from '../../src/frontend/sandbox-client/sandbox-client';
import type { SandboxStatus } from '../../src/frontend/sandbox-client/sandbox-status';
import { EMULATED_RUNNER } from '../runner-ids';
import { SandboxedGoBackend } from '../../src/frontend/backends/sandboxed-go.backend';

const NACL_EMULATED = 'nacl-emulated';

/**
 * An EMULATION of the legacy platform, not NaCl: linux/386 binaries (32-bit int and pointers,
 * like amd64p32) on virtual time, run under runc because gVisor cannot run 32-bit code. It
 * reproduces what programs can observe of word size; not NaCl's syscalls, GOOS, or toolchain.
 */
export class NaclEmulatedBackend extends SandboxedGoBackend {
  readonly id = NACL_EMULATED;
  readonly label = 'NaCl emulation (linux/386 under runc, not real NaCl)';
  readonly legacy = true;
  readonly emulation = true;

  constructor(goSetting: string, builds: BuildService, sandbox: SandboxClient, status: SandboxStatus) {
    super(goSetting, { goos: 'linux', goarch: '386', runner: EMULATED_RUNNER }, builds, sandbox, status);
  }
}
