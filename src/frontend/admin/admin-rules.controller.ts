import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DiffRulesService, RuleInput } from '../dualrun/diff-rules.service';
import { Admin, AdminRoleRequired } from './admin-auth.guard';
import type { AdminIdentity } from './admin-tokens';
import { RuleChange } from './dto/rule.dto';

/** The named platform-difference rules: list, add, edit (each change audited). */
@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/api/rules')
export class AdminRulesController {
  constructor(private readonly rules: DiffRulesService) {}

  @Get()
  @ApiOperation({ summary: 'every rule, built-in ones first' })
  list() {
    return this.rules.list();
  }

  @Post()
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'add a rule' })
  create(@Admin() who: AdminIdentity, @Body() body: RuleChange) {
    return this.rules.create(who.name, ruleInput(body), body.reason);
  }

  @Put(':name')
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'edit a rule (the fields given; a rule keeps its name)' })
  update(@Admin() who: AdminIdentity, @Param('name') name: string, @Body() body: RuleChange) {
    return this.rules.update(who.name, name, ruleInput(body), body.reason);
  }
}

function ruleInput({ name, description, pattern, flags, enabled }: RuleChange): RuleInput {
  return { name, description, pattern, flags, enabled };
}
