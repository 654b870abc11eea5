/**
 * The runner of linux/amd64 binaries, in gVisor: the frontend's linux-amd64 backend names it in
 * its runs, the sandbox registers its pool under it (and labels its metrics and containers
 * with it). A wire value, so it keeps the name it has always had.
 */
export const GVISOR_RUNNER = 'gvisor';

/** One runner (a kind of binary the host runs) in a sandbox host's GET /status answer. */
export interface RunnerStatus {
  id: string;
  /** What binaries it takes, for people reading the answer. */
  accepts: string;
  legacy: boolean;
  available: boolean;
  reason?: string;
  poolReady: number;
}

/**
 * A sandbox host's GET /status answer: cheap (it starts no container), polled by every
 * frontend to route runs to a host that can take them.
 */
export interface StatusReport {
  runners: RunnerStatus[];
  /** Runs waiting for a slot. */
  queued: number;
  /** Runs holding a slot, of `capacity`. */
  admitted: number;
  capacity: number;
  draining: boolean;
  /** The largest binary a /run takes. */
  maxBinaryBytes: number;
}
