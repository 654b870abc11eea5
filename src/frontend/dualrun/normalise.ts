import type { StreamKind } from '../playground/contract';
import type { Outcome } from './outcome';
import { withoutTempDirs } from '../builder/build-errors';

export interface TimedEvent {
  kind: StreamKind;
  message: string;
  /** Virtual nanoseconds since the program started (the running sum of Delay). */
  at: number;
}

/** An Outcome reduced to what the two backends are expected to agree on. */
export interface NormalisedOutcome {
  kind: Outcome['kind'];
  stdout: string;
  stderr: string;
  /**
   * Both streams in event order, each line tagged with its stream. Consecutive events of one
   * stream are joined first, so how output was split into events (a timing matter) does not
   * change this text; only the interleaving of the two streams does.
   */
  combined: string;
  /** Virtual time of each event, in event order. */
  timeline: number[];
  events: TimedEvent[];
  errors: string;
  status: number;
  testsFailed: number;
  isTest: boolean;
}

/** Each backend builds in its own temp directory: only the path inside it is compared. */
export function normaliseErrors(errors: string): string {
  return withoutTempDirs(errors);
}

export function normalise(o: Outcome): NormalisedOutcome {
  let stdout = '';
  let stderr = '';
  let at = 0;
  const events: TimedEvent[] = [];
  for (const e of o.events) {
    at += e.Delay;
    events.push({ kind: e.Kind, message: e.Message, at });
    if (e.Kind === 'stdout') stdout += e.Message;
    else stderr += e.Message;
  }
  return {
    kind: o.kind,
    stdout,
    stderr,
    combined: combine(events),
    timeline: events.map((e) => e.at),
    events,
    errors: normaliseErrors(o.errors),
    status: o.status,
    testsFailed: o.testsFailed,
    isTest: o.isTest,
  };
}

function combine(events: TimedEvent[]): string {
  const runs: Array<{ kind: StreamKind; text: string }> = [];
  for (const e of events) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.kind === e.kind) last.text += e.message;
    else runs.push({ kind: e.kind, text: e.message });
  }
  return runs.map((r) => tagLines(r.kind, r.text)).join('');
}

/** Tags each line; a run that stops mid-line says so, since the next run starts a new line. */
function tagLines(kind: StreamKind, text: string): string {
  if (text === '') return '';
  const complete = text.endsWith('\n');
  const lines = (complete ? text.slice(0, -1) : text).split('\n');
  return lines.map((l, i) => `${kind}| ${l}${!complete && i === lines.length - 1 ? ' [no newline]' : ''}\n`).join('');
}
