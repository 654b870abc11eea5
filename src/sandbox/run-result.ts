/** What one run of a binary produced; the sandbox's /run answer carries it base64-encoded. */
export interface RunResult {
  /** Only for user-visible failures: "timeout running program", "Output too large". */
  error?: string;
  /** The program's exit code; 128+N when it died of signal N; -1 when it did not finish. */
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** On a /run refused before the program could start: a frontend may retry it on another host. */
export const NOT_STARTED_HEADER = 'X-Run-Not-Started';

export const TIMEOUT_ERROR = 'timeout running program';
export const OUTPUT_TOO_LARGE = 'Output too large';

/** A failure of the sandbox itself (Docker gone, container died): never the user's fault. */
export class SandboxFailure extends Error {}

/** The program exhausted the sandbox's memory and took the sandbox down with it. */
export class SandboxOutOfMemory extends SandboxFailure {}

/** The sandbox is at capacity; the caller may retry. */
export class SandboxBusy extends Error {}

/** The host is draining (stopping): it takes no new run; the frontend sends it elsewhere. */
export class SandboxDraining extends SandboxBusy {}
