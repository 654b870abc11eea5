import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Transactions } from '../db/transactions';
import { Snippet } from './snippet.entity';
import { shareId } from './share-id';

@Injectable()
export class ShareService {
  constructor(private readonly db: DataSource, private readonly tx: Transactions) {}

  /** Idempotent: the ID is derived from the content, so sharing twice stores once. */
  async save(body: Buffer): Promise<string> {
    const id = shareId(body);
    // Through Transactions like every write: on the one SQLite connection a bare INSERT would
    // join whatever transaction is open, and be rolled back with it.
    await this.tx.run((tx) => tx.createQueryBuilder().insert().into(Snippet).values({ id, body }).orIgnore().execute());
    return id;
  }

  find(id: string): Promise<Snippet | null> {
    return this.db.getRepository(Snippet).findOneBy({ id });
  }
}
