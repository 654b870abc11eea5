import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string;
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Writes through the caller's transaction, so a change and its record land together or not at all. */
  record(tx: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    return tx.getRepository(AuditEvent).save({
      at: new Date(),
      actor: entry.actor,
      action: entry.action,
      before: JSON.stringify(entry.before ?? null),
      after: JSON.stringify(entry.after ?? null),
      reason: entry.reason,
    });
  }

  async list(q: AuditQuery): Promise<{ total: number; items: AuditEvent[] }> {
    const qb = this.db.getRepository(AuditEvent).createQueryBuilder('a');
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.actor) qb.andWhere('a.actor = :actor', { actor: q.actor });
    if (q.from) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.at <= :to', { to: q.to });
    const [items, total] = await qb.orderBy('a.id', 'DESC').skip((q.page - 1) * q.pageSize).take(q.pageSize).getManyAndCount();
    return { total, items };
  }
}
