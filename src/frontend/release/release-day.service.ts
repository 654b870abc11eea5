import { BadRequestException, ConflictException, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Settings } from '../../platform/config/settings';
import { ControlService } from '../control/control.service';
import type { ControlState } from '../control/control-state.entity';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { ReadinessService, Readiness } from './readiness.service';
import { requireReason } from '../control/reason';

/** What a release manager must type to flip the switch by API (the UI asks for it too). */
export const FLIP_CONFIRMATION = 'release day';

export interface FlipRequest {
  reason: string;
  confirm: string;
  override?: boolean;
}

/** Release day on, now; a schedule it fulfils or overtakes is gone with it. */
function switchOn(s: ControlState): void {
  s.releaseDay = true;
  s.releaseDayAt = new Date();
  clearSchedule(s);
}

function clearSchedule(s: ControlState): void {
  s.releaseScheduledFor = null;
  s.releaseScheduleReason = null;
  s.releaseScheduleBy = null;
}

/**
 * The Go 1.14 release-day switch: linux-amd64 for everyone, NaCl refused, shadows stopped,
 * legacy pools drained. Refused without evidence unless overridden with a reason; can be
 * scheduled and rolled back.
 */
@Injectable()
export class ReleaseDayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('release-day');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly control: ControlService,
    private readonly readiness: ReadinessService,
    private readonly sandbox: SandboxStatus,
    private readonly settings: Settings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.control.onReleaseDay((on) => this.drainLegacy(on));
    // A restart after release day must not bring the legacy pools back.
    if (this.control.state().releaseDay) await this.drainLegacy(true);
    this.timer = setInterval(() => void this.runSchedule(), this.settings.get('RELEASE_SCHEDULE_POLL_MS'));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async flip(actor: string, req: FlipRequest): Promise<{ readiness: Readiness }> {
    if (this.control.state().releaseDay) throw new ConflictException('release day is already switched on');
    if ((req.confirm ?? '').trim().toLowerCase() !== FLIP_CONFIRMATION) {
      throw new BadRequestException(`type "${FLIP_CONFIRMATION}" to confirm`);
    }
    const readiness = await this.guard(req);
    await this.control.change(actor, readiness.ready ? 'release-day: flip' : 'release-day: flip (override)', req.reason, (s) => {
      // Checked again inside the transaction: two flips at once must not both be recorded.
      if (s.releaseDay) throw new ConflictException('release day is already switched on');
      switchOn(s);
    });
    return { readiness };
  }

  async schedule(actor: string, at: string, req: Omit<FlipRequest, 'confirm'> & { confirm?: string }): Promise<void> {
    const when = new Date(at);
    if (Number.isNaN(when.getTime())) throw new BadRequestException('"at" must be an ISO date and time');
    if (when.getTime() <= Date.now()) throw new BadRequestException('"at" must be in the future');
    if (this.control.state().releaseDay) throw new ConflictException('release day is already switched on');
    const readiness = await this.guard(req);
    await this.control.change(actor, readiness.ready ? 'release-day: schedule' : 'release-day: schedule (override)', req.reason, (s) => {
      s.releaseScheduledFor = when;
      s.releaseScheduleReason = req.reason.trim();
      s.releaseScheduleBy = actor;
    });
  }

  async cancelSchedule(actor: string, reason: string): Promise<void> {
    if (!this.control.state().releaseScheduledFor) throw new ConflictException('no release day is scheduled');
    await this.control.change(actor, 'release-day: schedule cancelled', reason, clearSchedule);
  }

  async rollback(actor: string, reason: string): Promise<void> {
    if (!this.control.state().releaseDay) throw new ConflictException('release day is not switched on');
    await this.control.change(actor, 'release-day: rollback', reason, (s) => {
      s.releaseDay = false;
      s.releaseDayAt = null;
    });
  }

  /** Flips a due schedule; the decision (and any override) was taken when it was scheduled. */
  async runSchedule(): Promise<void> {
    const s = this.control.state();
    // A sandbox restarted after release day comes back with its legacy pools warm.
    if (s.releaseDay && this.sandbox.legacyWarm()) await this.drainLegacy(true);
    if (s.releaseDay || !s.releaseScheduledFor || s.releaseScheduledFor.getTime() > Date.now()) return;
    try {
      await this.control.change(`scheduler (for ${s.releaseScheduleBy ?? 'unknown'})`, 'release-day: flip (scheduled)', s.releaseScheduleReason ?? 'scheduled flip', (x) => {
        if (x.releaseDay || !x.releaseScheduledFor) throw new ConflictException('the schedule was already carried out or cancelled');
        switchOn(x);
      });
    } catch (e) {
      // Several frontends look for the same schedule: the first one's claim wins, the others
      // find it carried out (or claimed meanwhile) and leave it at that.
      if (e instanceof ConflictException) this.log.log(`scheduled flip not needed here: ${e.message}`);
      else this.log.error(`scheduled flip failed: ${(e as Error).message}`);
    }
  }

  private async guard(req: { reason: string; override?: boolean }): Promise<Readiness> {
    requireReason(req.reason);
    const readiness = await this.readiness.compute();
    if (!readiness.ready && !req.override) {
      throw new ConflictException({ statusCode: 409, message: 'release day refused: the evidence is not there yet (override with a written reason)', missing: readiness.missing, readiness });
    }
    return readiness;
  }

  private async drainLegacy(on: boolean): Promise<void> {
    try {
      await this.sandbox.drainLegacy(on);
      this.log.log(on ? 'legacy pools drained' : 'legacy pools refilled');
    } catch (e) {
      this.log.warn(`could not ${on ? 'drain' : 'refill'} the legacy pools: ${(e as Error).message}`);
    }
  }
}
