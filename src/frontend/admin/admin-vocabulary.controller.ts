import { Controller, Get } from '@nestjs/common';
import { vocabulary, Vocabulary } from './vocabulary';

/** GET /admin/api/vocabulary: what the admin UI fetches once after sign-in (vocabulary.ts). */
@Controller('admin/api')
export class AdminVocabularyController {
  @Get('vocabulary')
  vocabulary(): Vocabulary {
    return vocabulary();
  }
}
