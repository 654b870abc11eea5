import { BadRequestException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Transactions } from '../db/transactions';
import { ControlState, FLAG_FIELDS, FlagField } from './control-state.entity';
import { AuditService } from './audit.service';

export type FlagChanges = Partial<Pick<ControlState, FlagField>>;

/** Listeners learn of release-day flips (the sandbox's legacy pools are drained on one). */
export type ReleaseDayListener = (on: boolean) => Promise<void> | void;

/**
 * Owns the migration's state. Reads come from memory (every /compile needs them); writes go
 * through one transaction with their audit event, then refresh the copy in memory.
 */
@Injectable()
export class ControlService implements OnApplicationBootstrap {
  private readonly log = new Logger('control');
  private current!: ControlState;
  private readonly releaseListeners: ReleaseDayListener[] = [];

  constructor(private readonly db: DataSource, private readonly tx: Transactions, private readonly audit: AuditService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<ControlState> {
    this.current = await this.db.getRepository(ControlState).findOneByOrFail({ id: 1 });
    return this.current;
  }

  state(): ControlState {
    return this.current;
  }

  onReleaseDay(listener: ReleaseDayListener): void {
    this.releaseListeners.push(listener);
  }

  /**
   * Applies a change inside a transaction with its audit event. Changes are serialized by
   * Transactions, so each one reads the state the previous one wrote: versions go up by one
   * and every audit event's "before" is the previous event's "after".
   */
  async change(actor: string, action: string, reason: string, mutate: (s: ControlState) => void): Promise<ControlState> {
    if (!reason || !reason.trim()) throw new BadRequestException('a reason is required for every change');
    const { before, after } = await this.tx.run(async (tx) => {
      const repo = tx.getRepository(ControlState);
      const was = await repo.findOneByOrFail({ id: 1 });
      const next = repo.create({ ...was });
      mutate(next);
      next.version = was.version + 1;
      await repo.save(next);
      await this.audit.record(tx, { actor, action, before: publicView(was), after: publicView(next), reason: reason.trim() });
      return { before: was, after: next };
    });
    // Answers may resolve out of order; the copy in memory only ever moves forward.
    if (!this.current || after.version > this.current.version) this.current = after;
    this.log.log(`${action} by ${actor}: ${reason.trim()}`);
    if (after.releaseDay !== before.releaseDay) {
      for (const l of this.releaseListeners) await Promise.resolve(l(after.releaseDay)).catch((e: Error) => this.log.warn(`release-day listener failed: ${e.message}`));
    }
    return after;
  }

  setFlags(actor: string, changes: FlagChanges, reason: string): Promise<ControlState> {
    const keys = Object.keys(changes).filter((k) => (FLAG_FIELDS as readonly string[]).includes(k)) as FlagField[];
    if (keys.length === 0) throw new BadRequestException(`nothing to change: give one of ${FLAG_FIELDS.join(', ')}`);
    return this.change(actor, `flags: ${keys.join(', ')}`, reason, (s) => Object.assign(s, changes));
  }
}

/** The state as shown in the API and the audit log (the bucket salt is not shown). */
export function publicView(s: ControlState) {
  return {
    rolloutPercent: s.rolloutBp / 100,
    shadowPercent: s.shadowBp / 100,
    optInHeader: s.optInHeader,
    optInComment: s.optInComment,
    killSwitch: s.killSwitch,
    releaseDay: s.releaseDay,
    releaseDayAt: s.releaseDayAt,
    releaseScheduledFor: s.releaseScheduledFor,
    releaseScheduleReason: s.releaseScheduleReason,
    version: s.version,
  };
}
