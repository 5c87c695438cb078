import postgres from 'postgres';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/milkrun_bench';

/** The benchmark database's URL; refuses any database whose name does not start with milkrun_bench (it gets dropped). */
export function benchUrl(raw = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL): URL {
  const url = new URL(raw);
  const name = dbName(url);
  if (!/^milkrun_bench[a-z0-9_]*$/.test(name)) {
    throw new Error(`Refusing to benchmark on "${name}": the benchmark drops and recreates its database, so its name must start with milkrun_bench.`);
  }
  return url;
}

export const dbName = (url: URL) => decodeURIComponent(url.pathname.slice(1));

export function withDb(url: URL, name: string): URL {
  const other = new URL(url.toString());
  other.pathname = `/${name}`;
  return other;
}

/** A one-connection client to the server's maintenance database, for CREATE/DROP DATABASE. */
async function onServer<T>(url: URL, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(withDb(url, 'postgres').toString(), { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const ident = (name: string) => {
  if (!/^milkrun_bench[a-z0-9_]*$/.test(name)) throw new Error(`not a benchmark database name: ${name}`);
  return `"${name}"`;
};

/** Drops (forcing other sessions out) and creates the database, optionally as a copy of a template. */
export async function recreateDatabase(url: URL, opts: { template?: string; comment?: string } = {}): Promise<void> {
  const name = dbName(url);
  await onServer(url, async (sql) => {
    await sql.unsafe(`drop database if exists ${ident(name)} with (force)`);
    await sql.unsafe(`create database ${ident(name)}${opts.template ? ` template ${ident(opts.template)}` : ''}`);
    // A copy of a month (run.ts: the saved one into the bench's database, or the prepared one saved) writes gigabytes
    // through the buffers and WAL; flushed now, not by a checkpoint spread over the measurements that follow.
    if (opts.template) await sql.unsafe('checkpoint');
    if (opts.comment !== undefined) await sql.unsafe(`comment on database ${ident(name)} is ${quote(opts.comment)}`);
  });
}

/** The comment of a database (we keep what a saved copy holds there), or null when it does not exist. */
export async function databaseComment(url: URL, name: string): Promise<string | null> {
  return onServer(url, async (sql) => {
    const rows = await sql`select coalesce(shobj_description(oid, 'pg_database'), '') as comment from pg_database where datname = ${name}`;
    return rows.length ? String(rows[0].comment) : null;
  });
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
