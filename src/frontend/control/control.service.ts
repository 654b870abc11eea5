import { BadRequestException, ConflictException, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings } from '../../platform/config/settings';
import { Transactions } from '../db/transactions';
import { ControlState, FLAG_FIELDS, FlagField } from './control-state.entity';
import { AuditService } from './audit.service';
import { requireReason } from './reason';

export type FlagChanges = Partial<Pick<ControlState, FlagField>>;

/** Listeners learn of release-day flips (the sandbox's legacy pools are drained on one). */
export type ReleaseDayListener = (on: boolean) => Promise<void> | void;

/**
 * Owns the migration's state. Reads come from memory (every /compile needs them); writes go
 * through one transaction with their audit event, then refresh the copy in memory.
 *
 * Several frontends on one database: each one looks at the state's version every
 * CONTROL_STATE_POLL_MS and reads the whole row when another frontend changed it, so a flag,
 * the kill switch or a release-day flip made on one is obeyed by all within that bound (plus
 * one query). A change is a conditional claim on the version it read (UPDATE … WHERE version
 * = read), so two frontends can never both apply a change to the same state: a scheduled flip
 * fires once, with one audit event.
 */
@Injectable()
export class ControlService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('control');
  private current!: ControlState;
  private readonly releaseListeners: ReleaseDayListener[] = [];
  private poller?: NodeJS.Timeout;
  private polling = false;
  private pollFailing = false;

  constructor(
    private readonly db: DataSource,
    private readonly tx: Transactions,
    private readonly audit: AuditService,
    private readonly settings: Settings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.poller = setInterval(() => void this.refresh(), this.settings.get('CONTROL_STATE_POLL_MS'));
    this.poller.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.poller);
  }

  /**
   * Adopts a change another frontend made (or one of ours whose answer is still on its way).
   * A failed look keeps the state in memory: the frontend serves on what it last knew.
   */
  async refresh(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const repo = this.db.getRepository(ControlState);
      const seen = await repo.findOne({ where: { id: 1 }, select: { id: true, version: true } });
      if (seen && seen.version > this.current.version) await this.adopt(await repo.findOneByOrFail({ id: 1 }));
      if (this.pollFailing) this.log.log('the control state can be read again');
      this.pollFailing = false;
    } catch (e) {
      if (!this.pollFailing) this.log.warn(`cannot read the control state, serving on the last one known: ${(e as Error).message}`);
      this.pollFailing = true;
    } finally {
      this.polling = false;
    }
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
    const why = requireReason(reason);
    const after = await this.tx.run(async (tx) => {
      const repo = tx.getRepository(ControlState);
      const was = await repo.findOneByOrFail({ id: 1 });
      const next = repo.create({ ...was });
      mutate(next);
      next.version = was.version + 1;
      const { id, ...fields } = next;
      const claimed = await repo.update({ id, version: was.version }, fields);
      if (claimed.affected !== 1) throw new ConflictException('the state was changed meanwhile by another frontend: try again');
      await this.audit.record(tx, { actor, action, before: publicView(was), after: publicView(next), reason: why });
      return next;
    });
    this.log.log(`${action} by ${actor}: ${why}`);
    await this.adopt(after);
    return after;
  }

  /**
   * The copy in memory only ever moves forward (answers may resolve out of order, and the poll
   * may bring a version first); release-day listeners hear of every flip this frontend sees.
   */
  private async adopt(next: ControlState): Promise<void> {
    const was = this.current;
    if (was && next.version <= was.version) return;
    this.current = next;
    if (was && was.releaseDay !== next.releaseDay) {
      for (const l of this.releaseListeners) await Promise.resolve(l(next.releaseDay)).catch((e: Error) => this.log.warn(`release-day listener failed: ${e.message}`));
    }
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
