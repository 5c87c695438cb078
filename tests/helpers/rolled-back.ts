import type { Db } from '../../db/client.js';

/** Runs `fn` in a transaction of `db` that is rolled back, returning what it returned. */
export async function rolledBack<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await db
    .transaction(async (tx) => {
      out = await fn(tx as unknown as Db);
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
    });
  return out as T;
}
