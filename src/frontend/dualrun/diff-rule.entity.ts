import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named platform-difference rule; built-ins are seeded at start-up and may be edited. */
@Entity('diff_rules')
export class DiffRuleRow {
  @PrimaryColumn({ type: 'varchar' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  pattern!: string;

  @Column({ type: 'varchar' })
  flags!: string;

  @Column({ type: 'boolean', name: 'built_in' })
  builtIn!: boolean;

  @Column({ type: 'boolean' })
  enabled!: boolean;
}
