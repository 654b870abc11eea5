import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { ControlService } from './control.service';

@Module({ providers: [AuditService, ControlService], exports: [AuditService, ControlService] })
export class ControlModule {}
