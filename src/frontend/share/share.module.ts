import { Module } from '@nestjs/common';
import { EditorModule } from '../editor/editor.module';
import { ShareController } from './share.controller';
import { ShareService } from './share.service';
import { ToolchainsModule } from '../toolchains/toolchains.module';

@Module({ imports: [EditorModule, ToolchainsModule], controllers: [ShareController], providers: [ShareService] })
export class ShareModule {}
