import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, expectJson, expectProblem, rows } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const toned = { name: 'Toned Milk 500 ml', sku: 'TM-500', unit: 'packet', unit_size: '500 ml', price_paise: 2700, hsn_code: '0401' };
const productCount = () => countOf(t.database.db, sql`select count(*) as n from products`);

describe('creating products', () => {
  test('a manager creates a product; defaults fill category, GST and is_active', async () => {
    const p = await expectJson(await t.call('manager', 'POST', '/api/products', toned), 201);
    expect(p).toMatchObject({ ...toned, category: 'dairy', gst_rate_bp: 0, is_active: true });
    const [row] = await rows(t.database.db, sql`select name, sku, price_paise, gst_rate_bp, hsn_code, unit from products where id = ${p.id}`);
    expect(row).toEqual({ name: toned.name, sku: 'TM-500', price_paise: 2700, gst_rate_bp: 0, hsn_code: '0401', unit: 'packet' });
    const audit = await auditRowsOf(t.database.db, p.id);
    expect(audit.map((a) => [a.action, a.table_name, a.user_id, a.after.sku])).toEqual([['create', 'products', t.userIds.manager, 'TM-500']]);
  });

  test('a name already used, in any case, is a 409 product_name_taken', async () => {
    const before = await productCount();
    const body = await expectProblem(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'TONED MILK 500 ML', sku: 'TM-500-B' }), 409, 'product_name_taken');
    expect(body.message).toBe('A product with this name already exists.');
    expect(await productCount()).toBe(before);
  });

  test('a SKU already used is a 409 sku_taken', async () => {
    const body = await expectProblem(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'Another Toned Milk' }), 409, 'sku_taken');
    expect(body.message).toContain('SKU');
    expect(await countOf(t.database.db, sql`select count(*) as n from products where sku = 'TM-500'`)).toBe(1);
  });

  test.each([
    ['a negative price', { price_paise: -1 }, 'price_paise', 'cannot be negative'],
    ['a price in rupees with paise', { price_paise: 27.5 }, 'price_paise', 'whole paise'],
    ['a GST rate above 100%', { gst_rate_bp: 12000 }, 'gst_rate_bp', ''],
    ['a GST rate in fractions', { gst_rate_bp: 5.5 }, 'gst_rate_bp', 'whole basis points'],
    ['a 5-digit HSN code', { hsn_code: '04011' }, 'hsn_code', '4, 6 or 8 digits'],
    ['an HSN code with letters', { hsn_code: '04AB' }, 'hsn_code', '4, 6 or 8 digits'],
    ['an unknown unit', { unit: 'box' }, 'unit', 'packet, litre'],
    ['a lower-case SKU', { sku: 'tm-1' }, 'sku', 'capital letters'],
    ['a missing name', { name: undefined }, 'name', ''],
  ])('%s is a 400 naming the field', async (_what, change, field, words) => {
    const before = await productCount();
    const body = await expectProblem(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'Validation Milk', sku: 'VAL-1', ...change }), 400, 'validation_failed');
    expect(body.message).toContain(`${field}: `);
    expect(body.message).toContain(words);
    expect(await productCount()).toBe(before);
  });

  test('every GST rate in use is accepted; a rate not in the list, or removed (12%, 28%), is a 422 naming the rates in use', async () => {
    for (const [i, rate] of [0, 500, 1800, 4000].entries()) {
      const p = await expectJson(
        await t.call('manager', 'POST', '/api/products', { name: `Slab ${rate}`, sku: `SLAB-${i}`, unit: 'piece', price_paise: 1000, hsn_code: '04069000', gst_rate_bp: rate }),
        201,
      );
      expect(p.gst_rate_bp).toBe(rate);
    }
    const before = await productCount();
    for (const [rate, removed] of [[1200, true], [2800, true], [1000, false], [5, false]] as const) {
      const body = await expectProblem(
        await t.call('manager', 'POST', '/api/products', { name: `Slab ${rate}`, sku: `SLAB-X${rate}`, unit: 'piece', price_paise: 1000, hsn_code: '04069000', gst_rate_bp: rate }),
        422,
        'bad_gst_rate',
      );
      expect(body.message).toContain('one of 0%, 5%, 18%, 40%');
      expect(body.message.includes('no longer a GST rate')).toBe(removed);
    }
    const [first] = await rows<{ id: string }>(t.database.db, sql`select id from products where sku = 'SLAB-1'`);
    await expectProblem(await t.call('manager', 'PATCH', `/api/products/${first.id}`, { gst_rate_bp: 1200 }), 422, 'bad_gst_rate');
    await expectProblem(await t.call('support', 'POST', '/api/product-requests', { name: 'Twelve', unit: 'piece', price_paise: 1000, hsn_code: '0406', gst_rate_bp: 1200 }), 422, 'bad_gst_rate');
    expect(await productCount()).toBe(before);
    expect(await countOf(t.database.db, sql`select count(*) as n from products where sku = 'SLAB-1' and gst_rate_bp = 500`)).toBe(1);
  });

  test('GET /api/gst-rates lists the one list to any logged-in user; not without a login', async () => {
    for (const role of ['admin', 'finance', 'support', 'manager'] as const) {
      const rates = await expectJson<{ rate_bp: number; label: string; in_use: boolean }[]>(await t.call(role, 'GET', '/api/gst-rates'), 200);
      expect(rates.filter((r) => r.in_use).map((r) => r.rate_bp)).toEqual([0, 500, 1800, 4000]);
      expect(rates.filter((r) => !r.in_use).map((r) => r.rate_bp)).toEqual([1200, 2800]);
    }
    expect((await t.app.request('/api/gst-rates')).status).toBe(401);
  });
});

describe('changing products', () => {
  test('a product is deactivated, never deleted', async () => {
    const p = await expectJson(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'Curd 400 g', sku: 'CURD-400', price_paise: 3500 }), 201);
    const off = await expectJson(await t.call('manager', 'PATCH', `/api/products/${p.id}`, { is_active: false }), 200);
    expect(off).toMatchObject({ id: p.id, is_active: false, price_paise: 3500 });
    const inactive = await expectJson<any[]>(await t.call('support', 'GET', '/api/products?is_active=false'), 200);
    expect(inactive.map((r) => r.id)).toEqual([p.id]);

    await expectProblem(await t.call('admin', 'DELETE', `/api/products/${p.id}`), 404, 'not_found');
    expect(await countOf(t.database.db, sql`select count(*) as n from products where id = ${p.id}`)).toBe(1);
    const audit = await auditRowsOf(t.database.db, p.id);
    expect(audit.map((a) => [a.action, a.before?.is_active, a.after?.is_active])).toEqual([
      ['create', undefined, true],
      ['update', true, false],
    ]);
  });

  test('a price change is validated and audited with before and after', async () => {
    const p = await expectJson(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'Paneer 200 g', sku: 'PNR-200', unit: 'piece', price_paise: 9000 }), 201);
    await expectProblem(await t.call('manager', 'PATCH', `/api/products/${p.id}`, { price_paise: -100 }), 400, 'validation_failed');
    await expectJson(await t.call('manager', 'PATCH', `/api/products/${p.id}`, { price_paise: 9500 }), 200);
    const [row] = await rows(t.database.db, sql`select price_paise from products where id = ${p.id}`);
    expect(row.price_paise).toBe(9500);
    const [, update] = await auditRowsOf(t.database.db, p.id);
    expect([update.action, update.before.price_paise, update.after.price_paise]).toEqual(['update', 9000, 9500]);
  });

  test('renaming onto another product\'s name is a 409 and keeps the name', async () => {
    const p = await expectJson(await t.call('manager', 'POST', '/api/products', { ...toned, name: 'Ghee 1 L', sku: 'GHEE-1', unit: 'litre', price_paise: 65000 }), 201);
    await expectProblem(await t.call('manager', 'PATCH', `/api/products/${p.id}`, { name: 'toned milk 500 ml' }), 409, 'product_name_taken');
    const [row] = await rows(t.database.db, sql`select name from products where id = ${p.id}`);
    expect(row.name).toBe('Ghee 1 L');
  });
});

test('lists filter by unit and price range and sort by price', async () => {
  const listed = await expectJson<any[]>(await t.call('finance', 'GET', '/api/products?unit=piece&unit=litre&price_paise_gte=9000&_sort=price_paise&_order=desc'), 200);
  expect(listed.map((p) => [p.sku, p.price_paise])).toEqual([
    ['GHEE-1', 65000],
    ['PNR-200', 9500],
  ]);
  await expectProblem(await t.call('finance', 'GET', '/api/products?unit=box'), 400, 'bad_filter');
});
