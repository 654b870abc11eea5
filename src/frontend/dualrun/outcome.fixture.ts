import type { Outcome } from './outcome';
import type { PlaybackEvent } from '../playground/contract';

/** A run that finished normally, for specs; `extra` overrides any field. */
export function ranOutcome(events: PlaybackEvent[], extra: Partial<Outcome> = {}): Outcome {
  return { kind: 'ran', errors: '', events, status: 0, isTest: false, testsFailed: 0, ...extra };
}
