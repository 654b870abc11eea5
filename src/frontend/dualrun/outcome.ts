import type { PlaybackEvent } from '../playground/contract';

/** One backend's result for a program, in a form both backends (NaCl and gVisor) can produce. */
export interface Outcome {
  /** 'exhausted': the program took its sandbox down (memory, processes), its own doing. */
  kind: 'ran' | 'build-error' | 'timeout' | 'too-large' | 'exhausted' | 'backend-error';
  /** The response's Errors text (build errors, "timeout running program", ...). */
  errors: string;
  events: PlaybackEvent[];
  status: number;
  isTest: boolean;
  testsFailed: number;
}
