import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Public /compile traffic of one backend in one minute: the admin overview's history. */
@Entity('traffic_minutes')
export class TrafficMinute {
  /** The minute's start, as "YYYY-MM-DD HH:MM" UTC. */
  @PrimaryColumn({ type: 'varchar' })
  minute!: string;

  @PrimaryColumn({ type: 'varchar' })
  backend!: string;

  @Column({ type: 'integer' })
  requests!: number;

  /** Answers carrying Errors (build errors, timeouts): the user's program failed. */
  @Column({ type: 'integer' })
  errors!: number;

  /** 5xx answers: the service failed. */
  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'integer', name: 'total_ms' })
  totalMs!: number;

  /** Latency samples' upper quantile for the minute (p95), in ms. */
  @Column({ type: 'integer', name: 'p95_ms' })
  p95Ms!: number;
}
