import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { pgliteExtensions } from '../../db/client.js';

/**
 * Backups that restore. PostgreSQL: pg_dump's custom format (one consistent snapshot while the API runs), restored
 * with pg_restore into an empty database. PGlite: the data folder's own dump (a gzipped tarball, PGlite's
 * dumpDataDir), taken with the API stopped: the embedded database has one user, and a copy of a folder in use is
 * not consistent.
 */

/** The first bytes of each kind of backup, so a restore refuses a file of the other kind with a clear message. */
const PG_CUSTOM_MAGIC = 'PGDMP';
const GZIP_MAGIC = [0x1f, 0x8b];

export type BackupKind = 'postgres' | 'pglite';

export async function backupKindOf(file: string): Promise<BackupKind | 'unknown'> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    if (head.toString('latin1') === PG_CUSTOM_MAGIC) return 'postgres';
    if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'pglite';
    return 'unknown';
  } finally {
    await handle.close();
  }
}

/**
 * pg_dump's and pg_restore's --dbname without the password, which goes in PGPASSWORD instead: a process's arguments
 * are readable by every user of the machine (ps) for as long as the dump runs, its environment is not.
 */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (err) => reject(new Error(`${command} could not start (${err.message}); install the PostgreSQL client (pg_dump/pg_restore 15 or newer).`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}):\n${stderr.trim()}`))));
  });
}

/** Written beside the target and renamed when whole: a failed backup never leaves a truncated file under FILE. */
const partial = (file: string) => `${file}.partial`;

export async function backupPostgres(url: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Owners and grants are kept in the dump; restore drops the owners (--no-owner) and keeps the grants.
  const target = libpqTarget(url);
  await run('pg_dump', ['--format=custom', '--compress=6', '--file', partial(file), '--dbname', target.dbname], target.env);
  await rename(partial(file), file);
}

export async function backupPglite(dir: string, file: string): Promise<void> {
  if (!existsSync(dir) || readdirSync(dir).length === 0) throw new Error(`No PGlite database in ${dir} (PGLITE_DIR): nothing to back up.`);
  await mkdir(dirname(file), { recursive: true });
  const client = await PGlite.create(dir, { extensions: pgliteExtensions });
  try {
    const dump = await client.dumpDataDir('gzip');
    await writeFile(partial(file), Buffer.from(await dump.arrayBuffer()));
  } finally {
    await client.close();
  }
  await rename(partial(file), file);
}

/** The tables, views and sequences a database already holds outside the system schemas (an empty one has none). */
export async function userRelations(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ name: string }[]>`
      select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by 1`;
    return rows.map((r) => r.name);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export class RestoreRefused extends Error {}

export async function restorePostgres(url: string, file: string): Promise<void> {
  const kind = await backupKindOf(file);
  if (kind !== 'postgres') throw new RestoreRefused(`${file} is not a PostgreSQL backup (pg_dump custom format)${kind === 'pglite' ? ': it is a PGlite backup; restore it with PGLITE_DIR set and DATABASE_URL unset' : ''}.`);
  const existing = await userRelations(url);
  if (existing.length) {
    const name = new URL(url).pathname.slice(1);
    throw new RestoreRefused(
      `Refusing to restore into "${name}": it is not empty (${existing.length} tables or sequences, e.g. ${existing.slice(0, 3).join(', ')}). ` +
        `Restore into a new database (createdb milkrun_restored, then point MIGRATION_DATABASE_URL at it).`,
    );
  }
  // The API's role is cluster-wide, so not in the dump; the dump's grants name it (as migration 0008 creates it).
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DO $$ BEGIN CREATE ROLE milkrun_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  // One transaction: a restore that fails half-way leaves the database empty, to be tried again.
  const target = libpqTarget(url);
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', target.dbname, file], target.env);
}

export async function restorePglite(dir: string, file: string): Promise<void> {
  const kind = await backupKindOf(file);
  if (kind !== 'pglite') throw new RestoreRefused(`${file} is not a PGlite backup (a gzipped data folder)${kind === 'postgres' ? ': it is a PostgreSQL backup; restore it with DATABASE_URL or MIGRATION_DATABASE_URL set' : ''}.`);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new RestoreRefused(`Refusing to restore into ${dir} (PGLITE_DIR): it already holds a database. Restore into a new folder (PGLITE_DIR=.data/restored) or move this one away first.`);
  }
  await mkdir(dir, { recursive: true });
  const client = await PGlite.create(dir, { extensions: pgliteExtensions, loadDataDir: new Blob([await readFile(file)]) });
  await client.close();
}
