import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * Race tests (tagged `race`) prove what only a database with real concurrent sessions can: on PGlite (one connection)
 * two requests never interleave, so a missing row lock still passes there. When `npm test` runs on PGlite, the race
 * suites run a second time on PostgreSQL if one answers: RACE_DATABASE_URL, by default the local test server.
 */
export const DEFAULT_RACE_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/milkrun_test';

export type RaceDatabase = { url: string } | { url: null; reason: string };

/** The PostgreSQL the race suites also run on, or why there is none (the reason is printed). */
export async function raceDatabase(env: NodeJS.ProcessEnv = process.env): Promise<RaceDatabase> {
  // Vitest loads the config once more per project: probe once, remember the answer for the run.
  if (env.MILKRUN_RACE_DATABASE) return JSON.parse(env.MILKRUN_RACE_DATABASE) as RaceDatabase;
  const found = await probe(env);
  env.MILKRUN_RACE_DATABASE = JSON.stringify(found);
  return found;
}

async function probe(env: NodeJS.ProcessEnv): Promise<RaceDatabase> {
  if (env.TEST_DATABASE_URL) return { url: null, reason: 'the whole run is on PostgreSQL (TEST_DATABASE_URL), race suites included' };
  const raw = env.RACE_DATABASE_URL ?? DEFAULT_RACE_DATABASE_URL;
  if (raw === 'off') return { url: null, reason: 'RACE_DATABASE_URL=off' };
  const url = new URL(raw);
  const name = url.pathname.slice(1);
  if (!name.endsWith('_test')) return { url: null, reason: `RACE_DATABASE_URL names "${name}": a test database's name must end in _test` };
  try {
    await ensureDatabase(url);
    return { url: url.toString() };
  } catch (err) {
    return { url: null, reason: `no PostgreSQL answered at ${url.host} (${(err as Error).message})` };
  }
}

/** Connects (2 s at most); creates the database when the server answers but it does not exist yet. */
async function ensureDatabase(url: URL): Promise<void> {
  const run = async (target: URL, fn: (sql: postgres.Sql) => Promise<unknown>) => {
    const sql = postgres(target.toString(), { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await fn(sql);
    } finally {
      await sql.end({ timeout: 1 });
    }
  };
  try {
    await run(url, (sql) => sql`select 1`);
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: invalid_catalog_name, the database is missing
    const server = new URL(url.toString());
    server.pathname = '/postgres';
    await run(server, (sql) => sql.unsafe(`create database "${url.pathname.slice(1)}"`));
  }
}

/** Test files holding a race-tagged suite or test (so the race project loads only those). */
export function raceFiles(root: string, dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.test.ts') && /tags:\s*\[[^\]]*'race'/.test(readFileSync(join(root, dir, f), 'utf8')))
      .map((f) => `${dir}/${f}`),
  );
}
