import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../../api/lib/sql.js';
import { seedDemo } from '../../seeds/demo.js';
import { freshDatabase } from '../helpers/app.js';

type Database = Awaited<ReturnType<typeof freshDatabase>>;

describe('the demo depots', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
    await seedDemo(database.db, { scale: 0.05, seed: 3, historyDays: 0 });
  }, 300_000);
  afterAll(() => database?.drop());

  test('every demo zone is served by an active depot in its city', async () => {
    const rows = rowsOf<{ zone: string; depot: string | null; city: string | null; is_active: boolean | null }>(
      await database.db.execute(sql`select z.name as zone, d.name as depot, d.city, d.is_active from zones z left join depots d on d.id = z.depot_id order by z.name`),
    );
    expect(rows.length).toBe(8);
    expect(rows.filter((r) => r.depot === null)).toEqual([]);
    expect(rows.every((r) => r.city === 'Bengaluru' && r.is_active)).toBe(true);
    const [{ n }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from depots`));
    expect(n).toBe(3);
  });
});
