import { Module } from '@nestjs/common';
import { EditorModule } from '../editor/editor.module';
import { ShareController } from './share.controller';
import { ShareService } from './share.service';

@Module({ imports: [EditorModule], controllers: [ShareController], providers: [ShareService] })
export class ShareModule {}
