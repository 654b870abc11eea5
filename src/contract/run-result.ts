/** What one run of a binary produced; the sandbox's /run answer carries it base64-encoded. */
export interface RunResult {
  /**
   * Only when the sandbox could not give the program's own answer: "timeout running program"
   * (the sandbox itself overran), "Output too large", a binary it cannot hold.
   */
  error?: string;
  /**
   * The program's exit code, as the Go playground's sandbox reports it: 255 when it died of a
   * signal, 1 when it was stopped at its time limit, 137 when it took its container down
   * (out of memory); -1 with an error.
   */
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /**
   * The program was stopped at its time limit: an ordinary answer whose stderr ends with
   * "timeout running program", never cached (a busy machine gets there sooner).
   */
  timedOut?: boolean;
}

/** On a /run refused before the program could start ('busy': a full queue; 'draining'): a frontend may retry it on another host. */
export const NOT_STARTED_HEADER = 'X-Run-Not-Started';

export const TIMEOUT_ERROR = 'timeout running program';
export const OUTPUT_TOO_LARGE = 'Output too large';

/** A failure of the sandbox itself (Docker gone, container died): never the user's fault. */
export class SandboxFailure extends Error {}

/** The sandbox is at capacity; the caller may retry. */
export class SandboxBusy extends Error {}

/** The host is draining (stopping): it takes no new run; the frontend sends it elsewhere. */
export class SandboxDraining extends SandboxBusy {}

/**
 * How a program stopped at its time limit answers, as the Go playground's runner does it inside
 * the sandbox (our supervisor too): this line appended to its stderr, and status 1.
 */
export const TIMEOUT_NOTICE = `${TIMEOUT_ERROR}\n`;
export const TIMEOUT_STATUS = 1;
