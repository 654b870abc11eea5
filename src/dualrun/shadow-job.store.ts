import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Transactions } from '../db/transactions';
import type { CompileResponse } from '../playground/contract';
import { ShadowJobRow } from './shadow-job.entity';

/** A shadow as the queue holds it: what the dual run needs, and the row that keeps it. */
export interface ShadowJob {
  id: number;
  body: string;
  withVet: boolean;
  reason: string;
  primary: string;
  shadow: string;
  primaryResponse: CompileResponse;
  primaryMs: number;
  clientKey: string;
}

/**
 * The shadow_jobs table: accepted shadows until their dual run is stored, and those that were
 * lost. Every write goes through Transactions.
 *
 * With several frontends on one database (PostgreSQL later), a pending row will also carry
 * its owner and a heartbeat, and a restarting frontend will take over only rows whose owner
 * stopped beating (SELECT ... FOR UPDATE SKIP LOCKED), not the ones another frontend is running.
 */
@Injectable()
export class ShadowJobStore {
  constructor(private readonly db: DataSource, private readonly tx: Transactions) {}

  /** Stores an accepted shadow; answers its id. */
  accept(job: Omit<ShadowJob, 'id'>): Promise<number> {
    return this.tx.run(async (tx) => {
      const r = await tx.getRepository(ShadowJobRow).insert({
        acceptedAt: new Date(),
        state: 'pending',
        programHash: createHash('sha256').update(job.body).digest('hex'),
        body: job.body,
        withVet: job.withVet,
        routeReason: job.reason,
        primaryBackend: job.primary,
        shadowBackend: job.shadow,
        primaryResponse: JSON.stringify(job.primaryResponse),
        primaryMs: job.primaryMs,
        clientKey: job.clientKey,
        attempts: 0,
        lostReason: null,
        lostAt: null,
      });
      return Number(r.identifiers[0].id);
    });
  }

  /** Counts a start, before the run: a shadow that brings the frontend down is not retried forever. */
  async started(id: number): Promise<void> {
    await this.tx.run((tx) => tx.createQueryBuilder().update(ShadowJobRow).set({ attempts: () => 'attempts + 1' }).where('id = :id', { id }).execute());
  }

  /** Removes the row of a shadow whose dual run is stored, in the transaction that stores it. */
  async finish(tx: EntityManager, id: number): Promise<void> {
    await tx.createQueryBuilder().delete().from(ShadowJobRow).where('id = :id', { id }).execute();
  }

  async lose(id: number, reason: string): Promise<void> {
    await this.tx.run((tx) => tx.createQueryBuilder().update(ShadowJobRow)
      .set({ state: 'lost', lostReason: reason.slice(0, 2000), lostAt: new Date() })
      .where('id = :id', { id }).andWhere(`state = 'pending'`).execute());
  }

  /** Shadows accepted but not yet stored as dual runs, oldest first (after a restart). */
  pending(): Promise<ShadowJobRow[]> {
    return this.db.getRepository(ShadowJobRow).find({ where: { state: 'pending' }, order: { id: 'ASC' } });
  }

  lostCount(): Promise<number> {
    return this.db.getRepository(ShadowJobRow).countBy({ state: 'lost' });
  }

  /** Retention for lost shadows, with the dual runs'. */
  async pruneLost(tx: EntityManager, before: Date): Promise<void> {
    await tx.createQueryBuilder().delete().from(ShadowJobRow).where(`state = 'lost'`).andWhere('lost_at < :before', { before }).execute();
  }
}

/** A stored row as the queue's job; undefined when its stored answer cannot be read. */
export function jobOf(row: ShadowJobRow): ShadowJob | undefined {
  let primaryResponse: CompileResponse;
  try {
    primaryResponse = JSON.parse(row.primaryResponse) as CompileResponse;
  } catch {
    return undefined;
  }
  return {
    id: row.id, body: row.body, withVet: row.withVet, reason: row.routeReason, primary: row.primaryBackend,
    shadow: row.shadowBackend, primaryResponse, primaryMs: row.primaryMs, clientKey: row.clientKey,
  };
}
