import { Module } from '@nestjs/common';
import { EditorController } from './editor.controller';
import { EditorPage } from './editor-page';
import { ToolchainsModule } from '../toolchains/toolchains.module';

/**
 * The browser editor: GET /, /static/*, /doc/play/{name}.txt. EditorPage is exported so
 * that the share controller can serve the same page for /p/{id}.
 */
@Module({
  imports: [ToolchainsModule],
  controllers: [EditorController],
  providers: [EditorPage],
  exports: [EditorPage],
})
export class EditorModule {}
