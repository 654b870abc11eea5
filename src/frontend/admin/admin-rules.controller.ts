import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DiffRulesService, RuleInput } from '../dualrun/diff-rules.service';
import { reasonOf } from './admin-query';

/** The named platform-difference rules: list, add, edit (each change audited). */
@Controller('admin/api/rules')
export class AdminRulesController {
  constructor(private readonly rules: DiffRulesService) {}

  @Get()
  list() {
    return this.rules.list();
  }

  @Post()
  create(@Req() req: Request, @Body() body: RuleInput & { reason?: string }) {
    return this.rules.create(req.admin!.name, pick(body), reasonOf(body));
  }

  @Put(':name')
  update(@Req() req: Request, @Param('name') name: string, @Body() body: RuleInput & { reason?: string }) {
    return this.rules.update(req.admin!.name, name, pick(body), reasonOf(body));
  }
}

function pick(b: RuleInput): RuleInput {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { name: str(b.name), description: str(b.description), pattern: str(b.pattern), flags: str(b.flags), enabled: typeof b.enabled === 'boolean' ? b.enabled : undefined };
}
