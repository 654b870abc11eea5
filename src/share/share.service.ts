import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Snippet } from './snippet.entity';
import { shareId } from './share-id';

@Injectable()
export class ShareService {
  constructor(private readonly db: DataSource) {}

  /** Idempotent: the ID is derived from the content, so sharing twice stores once. */
  async save(body: Buffer): Promise<string> {
    const id = shareId(body);
    await this.db.createQueryBuilder().insert().into(Snippet).values({ id, body }).orIgnore().execute();
    return id;
  }

  find(id: string): Promise<Snippet | null> {
    return this.db.getRepository(Snippet).findOneBy({ id });
  }
}
