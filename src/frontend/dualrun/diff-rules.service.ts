import { BadRequestException, ConflictException, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Transactions } from '../db/transactions';
import { BadRuleError, BUILT_IN_RULES, compileRule, DiffRuleSpec } from './diff-rule';
import { DiffRuleRow } from './diff-rule.entity';
import { AuditService } from '../control/audit.service';
import { Settings } from '../../platform/config/settings';
import { requireReason } from '../control/reason';

export interface RuleInput {
  name?: string;
  description?: string;
  pattern?: string;
  flags?: string;
  enabled?: boolean;
}

/**
 * The platform-difference rules: data in the database, seeded with the built-ins, edited with
 * audit. The active ones are kept in memory for CONTROL_STATE_POLL_MS at most, so a rule edited
 * on another frontend classifies here within the same bound as a flag.
 */
@Injectable()
export class DiffRulesService implements OnApplicationBootstrap {
  private cached: DiffRuleSpec[] | null = null;
  private cachedAt = 0;
  private readonly maxAgeMs: number;

  constructor(private readonly db: DataSource, private readonly tx: Transactions, private readonly audit: AuditService, settings: Settings) {
    this.maxAgeMs = settings.get('CONTROL_STATE_POLL_MS');
  }

  /** Adds any built-in rule that is missing (a new release may bring new ones); edits are kept. */
  async onApplicationBootstrap(): Promise<void> {
    await this.tx.run(async (tx) => {
      const repo = tx.getRepository(DiffRuleRow);
      for (const r of BUILT_IN_RULES) {
        if (!(await repo.existsBy({ name: r.name }))) {
          await repo.insert({ name: r.name, description: r.description, pattern: r.pattern, flags: r.flags ?? 'g', builtIn: true, enabled: true });
        }
      }
    });
  }

  list(): Promise<DiffRuleRow[]> {
    return this.db.getRepository(DiffRuleRow).find({ order: { builtIn: 'DESC', name: 'ASC' } });
  }

  /** The enabled rules in the order they apply (built-ins in their defined order first). */
  async active(): Promise<DiffRuleSpec[]> {
    if (this.cached && Date.now() - this.cachedAt < this.maxAgeMs) return this.cached;
    const rows = (await this.list()).filter((r) => r.enabled);
    const order = new Map(BUILT_IN_RULES.map((r, i) => [r.name, i]));
    rows.sort((a, b) => (order.get(a.name) ?? 1e6) - (order.get(b.name) ?? 1e6) || a.name.localeCompare(b.name));
    this.cached = rows.map((r) => ({ name: r.name, description: r.description, pattern: r.pattern, flags: r.flags }));
    this.cachedAt = Date.now();
    return this.cached;
  }

  async create(actor: string, input: RuleInput, reason: string): Promise<DiffRuleRow> {
    const spec = this.validate(input, true);
    const row = await this.tx.run(async (tx) => {
      const repo = tx.getRepository(DiffRuleRow);
      if (await repo.existsBy({ name: spec.name })) throw new ConflictException(`a rule named "${spec.name}" exists already`);
      const saved = await repo.save({ ...spec, flags: spec.flags ?? 'g', builtIn: false, enabled: input.enabled ?? true });
      await this.audit.record(tx, { actor, action: `rule created: ${spec.name}`, before: null, after: saved, reason: requireReason(reason) });
      return saved;
    });
    this.cached = null;
    return row;
  }

  async update(actor: string, name: string, input: RuleInput, reason: string): Promise<DiffRuleRow> {
    const row = await this.tx.run(async (tx) => {
      const repo = tx.getRepository(DiffRuleRow);
      const before = await repo.findOneBy({ name });
      if (!before) throw new NotFoundException(`no rule named "${name}"`);
      const merged = { ...before, ...definedOnly(input), name };
      this.validate(merged, false);
      const saved = await repo.save(merged);
      await this.audit.record(tx, { actor, action: `rule updated: ${name}`, before, after: saved, reason: requireReason(reason) });
      return saved;
    });
    this.cached = null;
    return row;
  }

  private validate(input: RuleInput, creating: boolean): DiffRuleSpec {
    if (creating && (!input.name || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(input.name))) {
      throw new BadRequestException('rule name: 1-64 characters of a-z, 0-9 and "-"');
    }
    if (!input.description?.trim()) throw new BadRequestException('a rule needs a description');
    if (!input.pattern) throw new BadRequestException('a rule needs a pattern');
    const spec = { name: input.name!, description: input.description, pattern: input.pattern, flags: input.flags };
    try {
      compileRule(spec);
    } catch (e) {
      if (e instanceof BadRuleError) throw new BadRequestException(e.message);
      throw e;
    }
    return spec;
  }
}

function definedOnly(input: RuleInput): RuleInput {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'name'));
}
