import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export { schema };
/** The extensions the migrations need on PGlite: btree_gist backs the exclusion constraint that refuses overlapping subscription pauses; pg_trgm the search indexes. */
export const pgliteExtensions = { btree_gist, pg_trgm };
/** The drizzle handle, or a transaction opened on it: both speak the same query API. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * LISTEN on a channel (NOTIFY payloads reach `onMessage`); resolves to the function that stops listening. PostgreSQL
   * listens on one connection of its own (the driver reconnects and listens again by itself); PGlite on its only one.
   */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Told of every statement the API's PostgreSQL pool runs (the metrics module listens; db/ knows nothing of it).
 * PGlite is one in-process connection and is not timed.
 */
export const dbObserver: { started?: () => void; finished?: (seconds: number, failed: boolean) => void; poolSize?: (max: number) => void } = {};

type Sql = ReturnType<typeof postgres>;

/**
 * Times the statements drizzle sends through `unsafe`, on the pool and inside transactions and savepoints (each gets
 * its own client). The timer starts when the statement is handed to the driver, so waiting for a connection counts.
 */
function instrument<T extends Sql>(client: T): T {
  const unsafe = client.unsafe.bind(client);
  client.unsafe = ((...args: Parameters<Sql['unsafe']>) => {
    const query = unsafe(...args);
    const started = performance.now();
    dbObserver.started?.();
    let settled = false;
    const finish = (failed: boolean) => {
      if (settled) return;
      settled = true;
      dbObserver.finished?.((performance.now() - started) / 1000, failed);
    };
    const then = query.then;
    // The driver runs a query when it is first awaited; wrapping then() sees that await settle.
    query.then = function (this: typeof query, onOk?: (v: any) => any, onErr?: (e: unknown) => any) {
      return then.call(
        this,
        (v: any) => {
          finish(false);
          return onOk ? onOk(v) : v;
        },
        (e: unknown) => {
          finish(true);
          if (onErr) return onErr(e);
          throw e;
        },
      );
    } as typeof query.then;
    return query;
  }) as Sql['unsafe'];
  for (const name of ['begin', 'savepoint'] as const) {
    const original = (client as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name];
    if (!original) continue;
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const fn = args[args.length - 1] as (tx: Sql) => unknown;
      return original.apply(client, [...args.slice(0, -1), (tx: Sql) => fn(instrument(tx))]);
    };
  }
  return client;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The API's role on PostgreSQL (migration 0008_app_role): row reads and writes, no DDL, no TRUNCATE. */
export const APP_ROLE = 'milkrun_app';

/**
 * PostgreSQL through the `postgres` driver when a URL is given, otherwise embedded PGlite (in memory when
 * dir is 'memory://'). `role` makes every connection act as that role (a startup SET ROLE; tests use it).
 */
export async function openDatabase(opts: { url?: string; dir?: string; max?: number; role?: string; statementTimeoutMs?: number }): Promise<Database> {
  if (opts.url) {
    // statement_timeout as a startup parameter: every statement of every pooled connection is bounded (PGlite has no
    // timer to cancel a statement, so the embedded database runs without one).
    const connection = { ...(opts.role ? { role: opts.role } : {}), ...(opts.statementTimeoutMs !== undefined ? { statement_timeout: opts.statementTimeoutMs } : {}) };
    const sql = instrument(postgres(opts.url, { max: opts.max ?? 10, onnotice: () => {}, connection: connection as never }));
    dbObserver.poolSize?.(opts.max ?? 10);
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: async () => {
        // Its own connection without the API's statement timeout: an index on millions of rows takes minutes.
        const owner = postgres(opts.url!, { max: 1, onnotice: () => {}, connection: { ...(opts.role ? { role: opts.role } : {}), statement_timeout: 0 } as never });
        try {
          await migratePostgres(drizzlePostgres(owner) as never, { migrationsFolder });
        } finally {
          await owner.end({ timeout: 5 });
        }
      },
      close: () => sql.end({ timeout: 5 }),
      listen: async (channel, onMessage) => {
        const request = await sql.listen(channel, onMessage);
        return () => request.unlisten();
      },
    };
  }
  const dir = opts.dir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { extensions: pgliteExtensions });
  return fromPglite(client);
}

/**
 * The database the API and the scripts use, migrated first. On PostgreSQL the migrations run through
 * migrationUrl (the owner) when it is given, the rest through url (the app's login, which may not run DDL).
 */
export async function openMigrated(opts: { url?: string; migrationUrl?: string; dir?: string; max?: number; offThread?: boolean; statementTimeoutMs?: number }): Promise<Database> {
  if (opts.migrationUrl && !opts.url) throw new Error('MIGRATION_DATABASE_URL is set without DATABASE_URL: set both (README, PostgreSQL).');
  // PGlite runs on the calling thread: a server that must answer meanwhile migrates it in a worker first.
  if (!opts.url && opts.offThread && opts.dir && !opts.dir.startsWith('memory://')) await migrateInWorker(opts.dir);
  if (opts.url && opts.migrationUrl && opts.migrationUrl !== opts.url) {
    const owner = await openDatabase({ url: opts.migrationUrl, max: 1 });
    try {
      await owner.migrate();
    } finally {
      await owner.close();
    }
    return openDatabase(opts);
  }
  const database = await openDatabase(opts);
  try {
    await database.migrate();
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

function migrateInWorker(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./migrate-worker.mjs', import.meta.url), { workerData: { dir } });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`The migration worker stopped with code ${code}.`))));
  });
}

export function fromPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
    },
    close: () => client.close(),
    listen: async (channel, onMessage) => {
      const stop = await client.listen(channel, onMessage);
      return () => stop();
    },
  };
}
