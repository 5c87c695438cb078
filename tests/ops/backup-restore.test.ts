import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../db/client.js';
import { seedDemo } from '../../seeds/demo.js';
import { freshDatabase, assertTestDatabaseName } from '../helpers/app.js';

// The backup round trip as an operator runs it (the npm scripts' entry points, as child processes): back up the
// demo, restore into a new empty database, `npm run check` clean, every table's row count and the invoice totals equal.
const pgUrl = process.env.TEST_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'milkrun-backup-'));

interface Snapshot {
  counts: Record<string, number>;
  invoices: { n: number; total: string; taxable: string; cgst: string; sgst: string };
}

async function snapshot(db: Db): Promise<Snapshot> {
  const tables = (await db.execute(
    sql`select table_schema || '.' || table_name as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema in ('public', 'drizzle') order by 1`,
  )) as unknown as { rows?: { name: string }[] } & { name: string }[];
  const names = (tables.rows ?? tables).map((r) => r.name);
  const counts: Record<string, number> = {};
  for (const name of names) {
    const [schema, table] = name.split('.');
    const res = (await db.execute(sql.raw(`select count(*)::int as n from "${schema}"."${table}"`))) as unknown as { rows?: { n: number }[] } & { n: number }[];
    counts[name] = (res.rows ?? res)[0].n;
  }
  const inv = (await db.execute(
    sql`select count(*)::int as n, coalesce(sum(total_paise), 0)::text as total, coalesce(sum(taxable_paise), 0)::text as taxable,
          coalesce(sum(cgst_paise), 0)::text as cgst, coalesce(sum(sgst_paise), 0)::text as sgst from invoices`,
  )) as unknown as { rows?: Snapshot['invoices'][] } & Snapshot['invoices'][];
  return { counts, invoices: (inv.rows ?? inv)[0] };
}

/** Runs one of the npm scripts' entry points with only the database variables given (none inherited). */
async function runScript(script: string, args: string[], dbEnv: Record<string, string>): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', ...dbEnv };
  for (const key of ['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'PGLITE_DIR'] as const) if (!(key in dbEnv)) delete env[key];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { env, maxBuffer: 1 << 24 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 99, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe(`backup and restore round trip (${pgUrl ? 'PostgreSQL' : 'PGlite'})`, () => {
  let before: Snapshot;
  /** Where the demo lives: an env for the scripts, and how to close/drop it. */
  let source: Record<string, string>;
  let target: Record<string, string>;
  let openTarget: () => Promise<Database>;
  const cleanup: (() => Promise<void>)[] = [];
  const file = join(work, pgUrl ? 'milkrun.dump' : 'milkrun.tar.gz');

  beforeAll(async () => {
    let database: Database;
    if (pgUrl) {
      const fresh = await freshDatabase();
      cleanup.push(fresh.drop);
      database = fresh;
      source = { DATABASE_URL: fresh.url!, MIGRATION_DATABASE_URL: fresh.url! };
      // The restore's target: a new, empty database (no template: as `createdb` makes one).
      const base = assertTestDatabaseName(pgUrl);
      const name = `milkrun_restore_${randomBytes(5).toString('hex')}_test`;
      const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      await admin.end();
      const url = new URL(base.toString());
      url.pathname = `/${name}`;
      target = { DATABASE_URL: url.toString(), MIGRATION_DATABASE_URL: url.toString() };
      openTarget = () => openDatabase({ url: url.toString(), max: 2 });
      cleanup.push(async () => {
        const again = postgres(base.toString(), { max: 1, onnotice: () => {} });
        await again.unsafe(`drop database if exists "${name}" with (force)`);
        await again.end();
      });
    } else {
      const dir = join(work, 'source');
      database = await openDatabase({ dir });
      await database.migrate();
      source = { PGLITE_DIR: dir };
      target = { PGLITE_DIR: join(work, 'restored') };
      openTarget = () => openDatabase({ dir: target.PGLITE_DIR });
    }
    await seedDemo(database.db, { scale: 0.05, seed: 31, historyDays: 12 });
    before = await snapshot(database.db);
    // PGlite is backed up with the API stopped: the source is closed first.
    if (!pgUrl) await database.close();
  }, 300_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up the demo, restores it into an empty database, and the copy is whole', async () => {
    expect(before.invoices.n).toBeGreaterThan(0);
    expect(before.counts['public.billing_records']).toBeGreaterThan(0);

    const backup = await runScript('scripts/backup.ts', [file], source);
    expect(backup.out).toContain('Backed up');
    expect(backup.code).toBe(0);

    const restore = await runScript('scripts/restore.ts', [file], target);
    expect(restore.out).toContain('Restored');
    expect(restore.code).toBe(0);

    const check = await runScript('scripts/check.ts', [], target);
    expect(check.code, check.out).toBe(0);

    const restored = await openTarget();
    try {
      const after = await snapshot(restored.db);
      expect(Object.keys(after.counts).length).toBeGreaterThan(40);
      expect(after.counts).toEqual(before.counts);
      expect(after.invoices).toEqual(before.invoices);
    } finally {
      await restored.close();
    }
  }, 300_000);

  it('refuses to restore into a database that is not empty, and leaves it as it was', async () => {
    const refused = await runScript('scripts/restore.ts', [file], target);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Refusing to restore into .*(not empty|already holds a database)/);

    const restored = await openTarget();
    try {
      expect((await snapshot(restored.db)).counts).toEqual(before.counts);
    } finally {
      await restored.close();
    }
  }, 120_000);

  it('refuses a file that is not a backup of this kind of database', async () => {
    const wrongKind = join(work, 'not-a-backup');
    await import('node:fs/promises').then((fs) => fs.writeFile(wrongKind, 'hello'));
    const refused = await runScript('scripts/restore.ts', [wrongKind], { ...target, ...(pgUrl ? {} : { PGLITE_DIR: join(work, 'other') }) });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/is not a (PostgreSQL|PGlite) backup/);
  }, 60_000);
});
