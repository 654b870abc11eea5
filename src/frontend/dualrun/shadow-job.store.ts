import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import * as os from 'os';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { Settings } from '../../platform/config/settings';
import { Transactions } from '../db/transactions';
import type { CompileResponse } from '../playground/contract';
import { ShadowJobRow } from './shadow-job.entity';

/** What /compile hands over once it has its answer. */
export interface ShadowOffer {
  body: string;
  withVet: boolean;
  reason: string;
  primary: string;
  shadow: string;
  primaryResponse: CompileResponse;
  primaryMs: number;
  /** The client's address: turned into a client key at once, never stored or kept. */
  clientAddress: string | undefined;
}

/** A shadow as the queue holds it: the offer with its client key, and the row that keeps it. */
export interface ShadowJob extends Omit<ShadowOffer, 'clientAddress'> {
  id: number;
  clientKey: string;
}

/** The dual run was not stored: another frontend took the shadow over meanwhile and stores its own. */
export class ShadowTakenOverError extends Error {
  constructor(id: number) {
    super(`shadow ${id} was taken over by another frontend`);
    this.name = 'ShadowTakenOverError';
  }
}

/**
 * The shadow_jobs table: accepted shadows until their dual run is stored, and those that were
 * lost. Every write goes through Transactions.
 *
 * Several frontends on one database: a pending row belongs to its `owner` (this frontend's
 * FRONTEND_ID), which renews its claim while it lives. A frontend takes up its own rows when it
 * starts (a restart on the same host and port) and another's only once that claim is older
 * than SHADOW_TAKEOVER_MS; claims are taken in a Transactions turn, which on PostgreSQL holds
 * the writers' lock, so one frontend gets each row. A dual run is stored only together with
 * the deletion of a row its frontend still owns: a shadow is stored once, whoever ran it.
 */
@Injectable()
export class ShadowJobStore {
  readonly owner: string;
  readonly takeoverMs: number;

  constructor(private readonly db: DataSource, private readonly tx: Transactions, settings: Settings) {
    this.owner = settings.get('FRONTEND_ID') || `${os.hostname()}:${settings.get('FRONTEND_PORT')}`;
    this.takeoverMs = settings.get('SHADOW_TAKEOVER_MS');
  }

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
        owner: this.owner,
        claimedAt: new Date(),
      });
      return Number(r.identifiers[0].id);
    });
  }

  /** Counts a start, before the run: a shadow that brings the frontend down is not retried forever. */
  async started(id: number): Promise<void> {
    await this.tx.run((tx) => tx.createQueryBuilder().update(ShadowJobRow).set({ attempts: () => 'attempts + 1' }).where('id = :id', { id }).execute());
  }

  /**
   * Removes the row of a shadow whose dual run is stored, in the transaction that stores it;
   * throws (rolling that back) when the row is no longer this frontend's.
   */
  async finish(tx: EntityManager, id: number): Promise<void> {
    const r = await tx.createQueryBuilder().delete().from(ShadowJobRow).where('id = :id', { id }).andWhere('owner = :owner', { owner: this.owner }).execute();
    if (r.affected === 0) throw new ShadowTakenOverError(id);
  }

  async lose(id: number, reason: string): Promise<void> {
    await this.tx.run((tx) => tx.createQueryBuilder().update(ShadowJobRow)
      .set({ state: 'lost', lostReason: reason.slice(0, 2000), lostAt: new Date() })
      .where('id = :id', { id }).andWhere(`state = 'pending'`).andWhere('owner = :owner', { owner: this.owner }).execute());
  }

  /**
   * Claims pending shadows, oldest first, and answers them: those whose claim is stale or that
   * have no owner, and with `own` (at start) this frontend's own from its last run too.
   */
  claim(own: boolean): Promise<ShadowJobRow[]> {
    return this.tx.run(async (tx) => {
      const stale = new Date(Date.now() - this.takeoverMs);
      const rows = await tx.getRepository(ShadowJobRow).createQueryBuilder('j')
        .where(`j.state = 'pending'`)
        .andWhere(new Brackets((w) => {
          w.where(`j.owner = ''`).orWhere('j.claimedAt IS NULL').orWhere('(j.owner <> :me AND j.claimedAt < :stale)', { me: this.owner, stale });
          if (own) w.orWhere('j.owner = :me', { me: this.owner });
        }))
        .orderBy('j.id', 'ASC').getMany();
      if (rows.length === 0) return rows;
      const now = new Date();
      await tx.createQueryBuilder().update(ShadowJobRow).set({ owner: this.owner, claimedAt: now }).whereInIds(rows.map((r) => r.id)).execute();
      return rows.map((r) => ({ ...r, owner: this.owner, claimedAt: now }));
    });
  }

  /** Renews this frontend's claim on the shadows it holds. */
  async renew(): Promise<void> {
    await this.tx.run((tx) => tx.createQueryBuilder().update(ShadowJobRow).set({ claimedAt: new Date() })
      .where(`state = 'pending'`).andWhere('owner = :owner', { owner: this.owner }).execute());
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
