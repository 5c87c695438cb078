import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll } from 'vitest';
import { type Db, pgliteExtensions } from '../../db/client.js';
import { assertTestDatabaseName } from './app.js';

// A data migration is tested from the schema just before it: rows as the old code wrote them, then the rest of the
// migrations. These open an empty database and a migrations folder that stops before a given migration.

/** The project's migrations folder (all of them). */
export const migrations = join(import.meta.dirname, '../../db/migrations');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A copy of the migrations folder whose journal stops before the migration whose tag ends with `tagSuffix`. */
export function migrationsBefore(tagSuffix: string): string {
  const journal = JSON.parse(readFileSync(join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const idx = journal.entries.find((e) => e.tag.endsWith(tagSuffix))!.idx;
  const dir = mkdtempSync(join(tmpdir(), 'milkrun-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < idx) }));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An empty database (PGlite, or a new PostgreSQL database when TEST_DATABASE_URL is set) and a migrate(folder). */
export async function emptyDatabase(): Promise<{ db: Db; migrate: (folder: string) => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const client = await PGlite.create('memory://', { extensions: pgliteExtensions });
    cleanups.push(() => client.close());
    const db = drizzlePglite(client) as unknown as Db;
    return { db, migrate: (migrationsFolder) => migratePglite(db as never, { migrationsFolder }) };
  }
  const base = assertTestDatabaseName(url);
  const name = `milkrun_${randomBytes(6).toString('hex')}_test`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${name}`;
  const client = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  cleanups.push(async () => {
    await client.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const db = drizzlePostgres(client) as unknown as Db;
  return { db, migrate: (migrationsFolder) => migratePostgres(db as never, { migrationsFolder }) };
}
