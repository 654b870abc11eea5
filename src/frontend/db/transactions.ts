import { AsyncLocalStorage } from 'async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

/** Any fixed number, the same in every frontend: the key of the writers' lock on PostgreSQL. */
const WRITER_LOCK = 7_514_002;

/** A transaction was asked for inside another one: the outer one would wait for it forever. */
export class NestedTransactionError extends Error {
  constructor() {
    super('a transaction was started inside another one: pass the EntityManager of the outer one instead');
    this.name = 'NestedTransactionError';
  }
}

/**
 * The one way to write to the database: every transaction, and every single write (which
 * would otherwise join whatever transaction happens to be open), runs through `run`, one at a
 * time, in the order asked.
 *
 * Why: TypeORM's better-sqlite3 driver has one connection and one query runner for the whole
 * process. Two `transaction()` calls that overlap do not wait for each other: the second
 * becomes a SAVEPOINT inside the first (or fails with "cannot start a transaction within a
 * transaction"), reads the first one's uncommitted rows, and is rolled back with it when the
 * first fails, after having reported success. A plain INSERT issued meanwhile lands inside the
 * open transaction too. That was safe only as long as no transaction body ever awaited real I/O;
 * with this queue a body may await anything and still runs alone. Reads are not queued: on the
 * one connection they may see the rows of a transaction that is open at that moment, which
 * the admin views and readiness can live with.
 *
 * On PostgreSQL (several frontends on one database) `run` keeps this in-process queue (one
 * pooled connection per transaction, no pile-up) and takes a database-level lock as the first
 * statement of each transaction, `pg_advisory_xact_lock(WRITER_LOCK)`, released by COMMIT or
 * ROLLBACK: the frontends' transactions are serialized against each other as well, so that
 * each one, at READ COMMITTED, reads what every earlier one wrote, as on SQLite. Finer keys
 * (one per table) can follow if that ever becomes a bottleneck. Callers do not change: they
 * only ever see `run(work)` and the EntityManager it hands them.
 */
@Injectable()
export class Transactions {
  private tail: Promise<unknown> = Promise.resolve();
  /** The transaction the current code runs in (work it left running outside sees it closed). */
  private readonly inside = new AsyncLocalStorage<{ open: boolean }>();
  private waiting = 0;

  private readonly lockFirst: boolean;

  constructor(private readonly db: DataSource) {
    this.lockFirst = dialectOf(db) === 'postgres';
  }

  /** How many transactions are queued behind the running one (for tests and metrics). */
  get queued(): number {
    return this.waiting;
  }

  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (this.inside.getStore()?.open) return Promise.reject(new NestedTransactionError());
    this.waiting++;
    const turn = this.tail.then(() => {
      this.waiting--;
      const current = { open: true };
      return this.inside.run(current, () => this.db.transaction(async (tx) => {
        if (this.lockFirst) await tx.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
        // Closed when the body is done, not at COMMIT: work it left running may start its own
        // transaction while this one is still committing (it queues behind it).
        try {
          return await work(tx);
        } finally {
          current.open = false;
        }
      })).finally(() => { current.open = false; });
    });
    // The next one waits for this one to end, whether it committed or rolled back.
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
