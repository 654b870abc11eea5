import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The migration's state: one row, changed only through ControlService so that every change
 * writes its audit event in the same transaction.
 */
@Entity('control_state')
export class ControlState {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  /** Share of public traffic on linux-amd64, in basis points (0.01 % steps). */
  @Column({ type: 'integer', name: 'rollout_bp' })
  rolloutBp!: number;

  /** Share of requests also run on the other backend, in basis points. */
  @Column({ type: 'integer', name: 'shadow_bp' })
  shadowBp!: number;

  @Column({ type: 'boolean', name: 'opt_in_header' })
  optInHeader!: boolean;

  @Column({ type: 'boolean', name: 'opt_in_comment' })
  optInComment!: boolean;

  @Column({ type: 'boolean', name: 'kill_switch' })
  killSwitch!: boolean;

  @Column({ type: 'boolean', name: 'release_day' })
  releaseDay!: boolean;

  @Column({ type: 'datetime', name: 'release_day_at', nullable: true })
  releaseDayAt!: Date | null;

  /** When the scheduled flip is due (null: none scheduled). */
  @Column({ type: 'datetime', name: 'release_scheduled_for', nullable: true })
  releaseScheduledFor!: Date | null;

  @Column({ type: 'varchar', name: 'release_schedule_reason', nullable: true })
  releaseScheduleReason!: string | null;

  @Column({ type: 'varchar', name: 'release_schedule_by', nullable: true })
  releaseScheduleBy!: string | null;

  /** Keeps rollout buckets stable across restarts; never changed after creation. */
  @Column({ type: 'varchar', name: 'bucket_salt' })
  bucketSalt!: string;

  /** Key of the HMAC that turns client addresses into client keys; made once, never shown. */
  @Column({ type: 'varchar', name: 'client_key_secret' })
  clientKeySecret!: string;

  @Column({ type: 'integer' })
  version!: number;
}

/** The flags a release manager may change through PATCH /admin/api/flags. */
export const FLAG_FIELDS = ['rolloutBp', 'shadowBp', 'optInHeader', 'optInComment', 'killSwitch'] as const;
export type FlagField = (typeof FLAG_FIELDS)[number];
