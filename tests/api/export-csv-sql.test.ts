import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csvLines } from '../../api/lib/csv-sql.js';
import { exportSpecs, exportTuning } from '../../api/lib/export.js';
import { parseListQuery } from '../../api/lib/rest.js';
import { systemCtx } from '../../seeds/history.js';
import { seedDemo } from '../../seeds/demo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeZone } from '../helpers/chain-fixtures.js';
import { parseCsv } from '../helpers/csv.js';
import { expectJson } from './support.js';

// A CSV export of a list that gives its rows as one query is formatted by the database (api/lib/csv-sql.ts), each
// line one string; XLSX, JSON and background jobs format in JavaScript (csvCell). The two must write the same file.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, { scale: 0.02, seed: 41, historyDays: 20 });
}, 180_000);
afterAll(() => t?.close());

async function csv(path: string, inSql: boolean): Promise<string> {
  exportTuning.sqlCsv = inSql;
  try {
    const res = await t.call('admin', 'GET', path);
    expect(res.status, path).toBe(200);
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  } finally {
    exportTuning.sqlCsv = true;
  }
}

/** Lists and a query each (a sort, a filter, a search); the database must write the file JavaScript writes. */
const LISTS: { name: string; query: string }[] = [
  { name: 'customers', query: '_sort=name&_order=asc' },
  { name: 'subscriptions', query: 'status=active' },
  { name: 'orders', query: '_sort=delivery_date&_order=desc' },
  { name: 'order-items', query: '_sort=id&_order=desc' },
  { name: 'deliveries', query: 'status=delivered' },
  { name: 'billing-records', query: '' },
  { name: 'invoices', query: '_sort=total_paise&_order=desc' },
  { name: 'invoice-lines', query: 'q=milk' },
  { name: 'payments', query: '_sort=amount_paise&_order=desc' },
  { name: 'refunds', query: '' },
];

describe('the database writes the CSV JavaScript writes', () => {
  for (const { name, query } of LISTS) {
    test(`${name}?${query}: byte for byte`, async () => {
      const path = `/api/${name}/export?format=csv&${query}`;
      const [inSql, inJs] = [await csv(path, true), await csv(path, false)];
      expect(parseCsv(inSql.slice(1)).length, `${name} has rows`).toBeGreaterThan(1);
      expect(inSql).toBe(inJs);
    });
  }

  test('the big lists take the database path (their columns are all of types it writes)', async () => {
    const admin = await systemCtx(t.database.db, t.userIds.admin);
    // Invoices (the supplier's jsonb) and subscriptions (weekdays, an array) are formatted in JavaScript.
    for (const name of ['order-items', 'orders', 'customers', 'deliveries', 'billing-records', 'invoice-lines', 'payments']) {
      const spec = exportSpecs.get(name)!;
      expect(spec.source.all, name).toBeDefined();
      const q = await parseListQuery(new URLSearchParams(name === 'order-items' ? '_sort=id' : ''), spec.list, admin.db);
      expect(await csvLines(admin.db, spec.source.all!(admin, q)), name).not.toBeNull();
    }
  });

  test('text with quotes, commas, line breaks, backslashes, formulas and Kannada, found by a search with a quote and a backslash, reads back as the list', async () => {
    const zone = await makeZone(t.database.db);
    const names = [
      `O'Brien "Bob", back\\slash`,
      `O'Brien\r\nsecond line`,
      `O'Brien -2+3`,
      `-O'Brien`,
      `=O'Brien()`,
      `ರಮೇಶ್ O'Brien 🐄`,
      `Robert'); drop table customers; --`,
    ];
    for (const name of names) await makeCustomer(t.database.db, { zone_id: zone.id, name });
    // A search and a filter value with a quote and a backslash: bound as parameters (on PostgreSQL's COPY, written in as
    // quoted literals, api/lib/copy-out.ts), they cannot end the SQL's text.
    for (const q of [`O'Brien`, `back\\slash`, `"Bob"`, `Robert'); drop`]) {
      const params = `zone_id=${zone.id}&q=${encodeURIComponent(q)}&_sort=name&_order=asc`;
      const listed = await expectJson<{ id: string; name: string; phone: string }[]>(await t.call('admin', 'GET', `/api/customers?${params}&_start=0&_end=100`), 200);
      const text = await csv(`/api/customers/export?format=csv&${params}`, true);
      expect(listed.length, q).toBeGreaterThan(0);
      expect(text).toBe(await csv(`/api/customers/export?format=csv&${params}`, false));
      const [head, ...records] = parseCsv(text.slice(1));
      expect(records.map((r) => r[head.indexOf('id')])).toEqual(listed.map((c) => c.id));
      // Names read back as stored, a formula's first character behind a '.
      expect(records.map((r) => r[head.indexOf('name')])).toEqual(listed.map((c) => (/^[=+\-@\t\r]/.test(c.name) ? `'${c.name}` : c.name)));
    }
    const all = parseCsv((await csv(`/api/customers/export?format=csv&zone_id=${zone.id}&_sort=name&_order=asc`, true)).slice(1));
    expect(all.length - 1).toBe(names.length);
  });

  test('many small batches come out whole and in order', async () => {
    exportTuning.lines = 7;
    try {
      const path = '/api/order-items/export?format=csv&_sort=id&_order=asc';
      const [inSql, inJs] = [await csv(path, true), await csv(path, false)];
      expect(parseCsv(inSql.slice(1)).length).toBeGreaterThan(50);
      expect(inSql).toBe(inJs);
    } finally {
      exportTuning.lines = 10_000;
    }
  });
});
