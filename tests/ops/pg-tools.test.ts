import { expect, test } from 'vitest';
import { libpqTarget } from '../../scripts/lib/backup.js';

// npm run backup / restore start pg_dump and pg_restore: the database password goes in their environment, never in
// their arguments, which every user of the machine can read (ps) while a dump runs.
test('the password leaves the URL for PGPASSWORD, decoded; the rest of the URL stays', () => {
  const { dbname, env } = libpqTarget('postgres://milkrun_owner:s%40cret%20pass@db.internal:5433/milkrun?sslmode=require');
  expect(dbname).toBe('postgres://milkrun_owner@db.internal:5433/milkrun?sslmode=require');
  expect(dbname).not.toContain('cret');
  expect(env).toEqual({ PGPASSWORD: 's@cret pass' });
});

test('a URL without a password sets no PGPASSWORD (a .pgpass file or trust still apply)', () => {
  expect(libpqTarget('postgres://postgres@127.0.0.1:5432/milkrun_test')).toEqual({ dbname: 'postgres://postgres@127.0.0.1:5432/milkrun_test', env: {} });
});
