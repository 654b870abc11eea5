import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of state. Append-only: the migration adds triggers that refuse UPDATE and DELETE. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'datetime' })
  at!: Date;

  @Column({ type: 'varchar' })
  actor!: string;

  @Column({ type: 'varchar' })
  action!: string;

  @Column({ type: 'text', name: 'before_json' })
  before!: string;

  @Column({ type: 'text', name: 'after_json' })
  after!: string;

  @Column({ type: 'text' })
  reason!: string;
}
