import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A shared program, addressed by its content-derived ID. */
@Entity('snippets')
export class Snippet {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'blob' })
  body!: Buffer;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
