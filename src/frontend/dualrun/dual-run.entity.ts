import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DiffClass } from './diff-class';

/**
 * Which side's backend failed in a 'backend-error' pair: linux-amd64 (stored as 'new', the
 * word rows and the admin API have carried from the start), the legacy one, both, or '' (none).
 * Readiness treats a failure of linux-amd64 differently from one of the side being retired.
 */
export type FailedSide = '' | 'new' | 'legacy' | 'both';

/** One program run on both backends, with both results, how they differ and why. */
@Entity('dual_runs')
export class DualRun {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'datetime' })
  at!: Date;

  @Column({ type: 'varchar', name: 'program_hash' })
  programHash!: string;

  @Column({ type: 'text' })
  program!: string;

  /** plain, test, multi-file or module: readiness wants evidence for each. */
  @Column({ type: 'varchar', name: 'program_kind' })
  programKind!: string;

  @Column({ type: 'boolean', name: 'with_vet' })
  withVet!: boolean;

  @Column({ type: 'text', name: 'route_reason' })
  routeReason!: string;

  @Column({ type: 'varchar', name: 'primary_backend' })
  primaryBackend!: string;

  @Column({ type: 'varchar', name: 'primary_toolchain' })
  primaryToolchain!: string;

  @Column({ type: 'varchar', name: 'shadow_backend' })
  shadowBackend!: string;

  @Column({ type: 'varchar', name: 'shadow_toolchain' })
  shadowToolchain!: string;

  /** JSON of the primary's Outcome (errors, events, status, test counts). */
  @Column({ type: 'text', name: 'primary_result' })
  primaryResult!: string;

  @Column({ type: 'text', name: 'shadow_result' })
  shadowResult!: string;

  @Index()
  @Column({ type: 'varchar', name: 'diff_class' })
  diffClass!: DiffClass;

  /** JSON array of the rule names that explained the difference. */
  @Column({ type: 'text', name: 'matched_rules' })
  matchedRules!: string;

  @Column({ type: 'text' })
  diff!: string;

  @Column({ type: 'integer', name: 'primary_ms' })
  primaryMs!: number;

  @Column({ type: 'integer', name: 'shadow_ms' })
  shadowMs!: number;

  /**
   * Who sent the program, as a keyed hash of the client's address (HMAC with a secret kept in
   * this database; an IPv6 address counts by its /64): readiness caps what one client adds.
   * '' for runs stored before client keys existed (they count as one client).
   */
  @Column({ type: 'varchar', name: 'client_key' })
  clientKey!: string;

  @Column({ type: 'varchar', name: 'failed_side' })
  failedSide!: FailedSide;
}
