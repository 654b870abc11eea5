import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A shadow waiting to run ('pending') or one that could not be run after all ('lost'). */
export type ShadowJobState = 'pending' | 'lost';

/**
 * An accepted shadow, stored before its public answer is sent, so that a crash cannot lose it:
 * it is deleted in the same transaction that stores its dual run, run again after a restart,
 * or kept as 'lost' with the reason when it cannot be run (the admin overview counts those).
 * The client's address is not here: only its keyed hash.
 */
@Entity('shadow_jobs')
export class ShadowJobRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'datetime', name: 'accepted_at' })
  acceptedAt!: Date;

  @Index()
  @Column({ type: 'varchar' })
  state!: ShadowJobState;

  @Column({ type: 'varchar', name: 'program_hash' })
  programHash!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'boolean', name: 'with_vet' })
  withVet!: boolean;

  @Column({ type: 'text', name: 'route_reason' })
  routeReason!: string;

  @Column({ type: 'varchar', name: 'primary_backend' })
  primaryBackend!: string;

  @Column({ type: 'varchar', name: 'shadow_backend' })
  shadowBackend!: string;

  /** JSON of the primary's /compile answer, as the client got it. */
  @Column({ type: 'text', name: 'primary_response' })
  primaryResponse!: string;

  @Column({ type: 'integer', name: 'primary_ms' })
  primaryMs!: number;

  @Column({ type: 'varchar', name: 'client_key' })
  clientKey!: string;

  /** Times a frontend started running it: one that never finishes is given up after a few. */
  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', name: 'lost_reason', nullable: true })
  lostReason!: string | null;

  @Column({ type: 'datetime', name: 'lost_at', nullable: true })
  lostAt!: Date | null;

  /** The frontend running it (FRONTEND_ID); '' for rows from before there were owners. */
  @Column({ type: 'varchar' })
  owner!: string;

  /** When its owner last renewed its claim: stale claims are taken over by another frontend. */
  @Column({ type: 'datetime', name: 'claimed_at', nullable: true })
  claimedAt!: Date | null;
}
