// Shapes the server defines are imported from it (type-only, erased by the build), not copied.
import type { PlaybackEvent } from '../../src/frontend/playground/contract';
import type { Outcome } from '../../src/frontend/dualrun/outcome';
import type { Criterion, Readiness } from '../../src/frontend/release/readiness';
import type { DiffClass } from '../../src/frontend/dualrun/diff-class';
import type { StageFlags, StageRule } from '../../src/frontend/control/stage';
import type { Vocabulary } from '../../src/frontend/admin/vocabulary';

export type { PlaybackEvent, Outcome, Criterion, Readiness, DiffClass, StageFlags, StageRule, Vocabulary };

// The shapes the admin API answers with (src/frontend/admin/*.ts on the server).

export type Role = 'viewer' | 'release-manager';

export interface Me {
  name: string;
  role: Role;
}

export interface Flags {
  rolloutPercent: number;
  shadowPercent: number;
  optInHeader: boolean;
  optInComment: boolean;
  killSwitch: boolean;
  releaseDay: boolean;
  releaseDayAt: string | null;
  releaseScheduledFor: string | null;
  releaseScheduleReason: string | null;
  version: number;
}

export interface Backend {
  id: string;
  label: string;
  legacy: boolean;
  emulation: boolean;
  toolchain: string;
  available: boolean;
  reason?: string;
}

export interface State {
  stage: string;
  flags: Flags;
  backends: Backend[];
  legacyRole: string | null;
  sandboxHosts: SandboxHostView[];
  shadow: {
    queued: number;
    running: number;
    accepted: number;
    dropped: number;
    /** Accepted before the last stop of the frontend and taken over by this one. */
    recovered: number;
    /** Accepted but never stored as dual runs (kept in the database, whenever it happened). */
    lost: number;
  };
}

/** One sandbox host as the frontend last polled it. */
export interface SandboxHostView {
  url: string;
  state: 'up' | 'down' | 'draining' | 'passed-over';
  problem?: string;
  admitted: number | null;
  capacity: number | null;
  inFlight: number;
  runners: { id: string; available: boolean; poolReady: number; reason?: string }[];
}

export interface BackendsHealth {
  backends: Backend[];
  legacyRole: string | null;
  sandbox: unknown;
}

export interface TrafficPoint {
  at: string;
  backend: string;
  requests: number;
  errors: number;
  failures: number;
  meanMs: number;
  p95Ms: number;
}

export interface ClassPoint {
  at: string;
  diffClass: string;
  count: number;
}

export interface Stats {
  hours: number;
  bucketMinutes: number;
  traffic: TrafficPoint[];
  dualRunClasses: ClassPoint[];
}

export interface Page<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface DualRunRow {
  id: number;
  at: string;
  programKind: string;
  routeReason: string;
  primaryBackend: string;
  shadowBackend: string;
  diffClass: DiffClass;
  matchedRules: string[];
  primaryMs: number;
  shadowMs: number;
  programHash: string;
  /** Keyed hash of the sender's address ('' for runs stored before client keys). */
  clientKey: string;
}

export interface DualRun extends DualRunRow {
  program: string;
  withVet: boolean;
  primaryToolchain: string;
  shadowToolchain: string;
  primaryResult: Outcome;
  shadowResult: Outcome;
  diff: string;
  failedSide: '' | 'new' | 'legacy' | 'both';
}

export interface Replay {
  original: DualRun;
  replay: DualRun;
}

export interface Rule {
  name: string;
  description: string;
  pattern: string;
  flags: string;
  builtIn: boolean;
  enabled: boolean;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  reason: string;
  before: unknown;
  after: unknown;
}

export interface ReleaseStatus {
  releaseDay: boolean;
  releaseDayAt: string | null;
  scheduledFor: string | null;
  scheduleReason: string | null;
  confirmation: string;
  readiness: Readiness;
}
