import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LATENCY_COLUMNS } from './latency-histogram';

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

  /** The minute's latency histogram: one column of request counts per bucket, latency_le_5 … latency_over_60000. */
  [bucket: `latency_${string}`]: number;
}

// One column per bucket of LATENCY_BOUNDS_MS: the list is the schema, so it is not written out twice.
for (const name of LATENCY_COLUMNS) Column({ type: 'integer', name })(TrafficMinute.prototype, name);
