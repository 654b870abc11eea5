import { Snippet } from '../share/snippet.entity';
import { ControlState } from '../control/control-state.entity';
import { AuditEvent } from '../control/audit-event.entity';
import { DualRun } from '../dualrun/dual-run.entity';
import { DiffRuleRow } from '../dualrun/diff-rule.entity';
import { ShadowJobRow } from '../dualrun/shadow-job.entity';
import { TrafficMinute } from '../stats/traffic-minute.entity';

/** Every TypeORM entity; the schema for each comes from migrations/. */
export const ENTITIES = [Snippet, ControlState, AuditEvent, DualRun, DiffRuleRow, TrafficMinute, ShadowJobRow];
