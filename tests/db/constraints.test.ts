import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, refusedBy, rows } from '../api/support.js';

// The database's own rules, tried with raw SQL: whatever the API forgets, these still refuse a bad row,
// each under a stable constraint name that api/lib/constraints.ts turns into a message.
let t: TestApp;
let zoneId: string;
let customerId: string;
let productId: string;

const CHECK = '23514';
const UNIQUE = '23505';
const FK = '23503';
// Refused deletes of a still-referenced row: PostgreSQL up to 17 reports foreign_key_violation, 18 (and PGlite) restrict_violation.
const RESTRICTED = expect.stringMatching(/^(23503|23001)$/);

const run = (query: SQL) => t.database.db.execute(query);
const one = async <T = { id: string }>(query: SQL) => (await rows<T>(t.database.db, query))[0];

const insertCustomer = (phone: string, zone = zoneId, name = 'Raw Customer') =>
  one(sql`insert into customers (name, phone, zone_id) values (${name}, ${phone}, ${zone}) returning id`);
const insertAddress = (values: { customer?: string; pin?: string; lat?: number | null; lng?: number | null; isDefault?: boolean; line1?: string }) =>
  one(sql`insert into addresses (customer_id, line1, pin_code, lat, lng, is_default)
          values (${values.customer ?? customerId}, ${values.line1 ?? '1 MG Road'}, ${values.pin ?? '560001'}, ${values.lat ?? null}::float8, ${values.lng ?? null}::float8, ${values.isDefault ?? false})
          returning id`);
let skuSeq = 0;
const insertProduct = (values: { name?: string; sku?: string; price?: number; gst?: number; hsn?: string }) =>
  one(sql`insert into products (name, sku, unit, price_paise, gst_rate_bp, hsn_code)
          values (${values.name ?? `Raw Product ${++skuSeq}`}, ${values.sku ?? `RAW-${++skuSeq}`}, 'packet', ${values.price ?? 2500}, ${values.gst ?? 0}, ${values.hsn ?? '0401'})
          returning id`);
const insertRequest = (values: { name?: string; status?: string; productId?: string | null; decidedBy?: string | null; decidedAt?: boolean; reason?: string | null; price?: number; gst?: number; hsn?: string }) =>
  one(sql`insert into product_requests (name, unit, price_paise, gst_rate_bp, hsn_code, status, product_id, decided_by, decided_at, reject_reason)
          values (${values.name ?? 'Raw Request'}, 'packet', ${values.price ?? 2500}, ${values.gst ?? 0}, ${values.hsn ?? '0401'},
                  ${values.status ?? 'pending'}::product_request_status, ${values.productId ?? null}::uuid, ${values.decidedBy ?? null}::uuid,
                  ${values.decidedAt ? sql`now()` : sql`null`}, ${values.reason ?? null})
          returning id`);

beforeAll(async () => {
  t = await createTestApp();
  ({ id: zoneId } = await one(sql`insert into zones (name) values ('Raw Zone') returning id`));
  ({ id: customerId } = await insertCustomer('+919000000001'));
  ({ id: productId } = await insertProduct({ name: 'Raw Toned Milk', sku: 'RAW-TONED' }));
});
afterAll(() => t?.close());

describe('customers', () => {
  test.each(['9876543210', '09876543210', '+915876543210', '+91987654321', '+9198765432100', '+91 9876543210', '+449876543210'])(
    'customers_phone_format refuses %j',
    async (phone) => {
      expect(await refusedBy(insertCustomer(phone))).toEqual({ constraint: 'customers_phone_format', code: CHECK });
    },
  );

  test('customers_phone_format accepts +91 and 10 digits starting 6 to 9', async () => {
    for (const phone of ['+916000000000', '+917999999999', '+918123456789', '+919999999999']) await insertCustomer(phone);
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where phone in ('+916000000000', '+917999999999', '+918123456789', '+919999999999')`)).toBe(4);
  });

  test('customers_phone_key refuses a second customer with the same phone', async () => {
    expect(await refusedBy(insertCustomer('+919000000001', zoneId, 'Twin'))).toEqual({ constraint: 'customers_phone_key', code: UNIQUE });
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where phone = '+919000000001'`)).toBe(1);
  });

  test('customers_name_not_blank refuses a blank name', async () => {
    expect(await refusedBy(insertCustomer('+919000000002', zoneId, '   '))).toEqual({ constraint: 'customers_name_not_blank', code: CHECK });
  });

  test('customers_zone_id_fk refuses a customer in a zone that does not exist', async () => {
    const refused = await refusedBy(insertCustomer('+919000000003', '00000000-0000-4000-8000-000000000000'));
    expect(refused).toEqual({ constraint: 'customers_zone_id_fk', code: FK });
  });

  test('customers_zone_id_fk (ON DELETE RESTRICT) refuses deleting a zone that has customers', async () => {
    const refused = await refusedBy(run(sql`delete from zones where id = ${zoneId}`));
    expect(refused).toEqual({ constraint: 'customers_zone_id_fk', code: RESTRICTED });
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where id = ${zoneId}`)).toBe(1);
    // An empty zone goes.
    const { id: empty } = await one(sql`insert into zones (name) values ('Raw Empty Zone') returning id`);
    await run(sql`delete from zones where id = ${empty}`);
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where id = ${empty}`)).toBe(0);
  });

  test('zones_name_key refuses the same zone name in another case; zones_name_not_blank a blank one', async () => {
    expect(await refusedBy(run(sql`insert into zones (name) values ('RAW ZONE')`))).toEqual({ constraint: 'zones_name_key', code: UNIQUE });
    expect(await refusedBy(run(sql`insert into zones (name) values ('  ')`))).toEqual({ constraint: 'zones_name_not_blank', code: CHECK });
  });
});

describe('addresses', () => {
  test.each(['012345', '56001', '5600011', '56OO01', '560 001', ''])('addresses_pin_code_format refuses %j', async (pin) => {
    expect(await refusedBy(insertAddress({ pin }))).toEqual({ constraint: 'addresses_pin_code_format', code: CHECK });
  });

  test.each([
    [90.0001, 0, 'addresses_lat_range'],
    [-91, 0, 'addresses_lat_range'],
    [0, 180.5, 'addresses_lng_range'],
    [0, -181, 'addresses_lng_range'],
    [12.97, null, 'addresses_lat_lng_together'],
    [null, 77.59, 'addresses_lat_lng_together'],
  ])('lat %s, lng %s is refused by %s', async (lat, lng, constraint) => {
    expect(await refusedBy(insertAddress({ lat, lng }))).toEqual({ constraint, code: CHECK });
  });

  test('the edges of the map and no location at all are accepted', async () => {
    const { id: c } = await insertCustomer('+919000000010');
    for (const [lat, lng] of [[90, 180], [-90, -180], [0, 0], [null, null]] as const) await insertAddress({ customer: c, lat, lng });
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where customer_id = ${c}`)).toBe(4);
  });

  test('addresses_one_default_per_customer refuses a second default address; other customers are unaffected', async () => {
    const { id: c } = await insertCustomer('+919000000011');
    await insertAddress({ customer: c, isDefault: true });
    await insertAddress({ customer: c, isDefault: false });
    await insertAddress({ customer: c, isDefault: false });
    expect(await refusedBy(insertAddress({ customer: c, isDefault: true }))).toEqual({ constraint: 'addresses_one_default_per_customer', code: UNIQUE });
    const { id: other } = await insertAddress({ customer: customerId, isDefault: true });
    expect(other).toBeTruthy();
    // Turning a second address into the default without clearing the first is refused too.
    expect(await refusedBy(run(sql`update addresses set is_default = true where customer_id = ${c} and not is_default`))).toEqual({
      constraint: 'addresses_one_default_per_customer',
      code: UNIQUE,
    });
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where customer_id = ${c} and is_default`)).toBe(1);
  });

  test('addresses_customer_id_fk refuses an address of no customer, and deleting a customer takes its addresses', async () => {
    expect(await refusedBy(insertAddress({ customer: '00000000-0000-4000-8000-000000000000' }))).toEqual({ constraint: 'addresses_customer_id_fk', code: FK });
    const { id: c } = await insertCustomer('+919000000012');
    await insertAddress({ customer: c });
    await run(sql`delete from customers where id = ${c}`);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where customer_id = ${c}`)).toBe(0);
  });

  test('addresses_line1_not_blank refuses a blank first line', async () => {
    expect(await refusedBy(insertAddress({ line1: ' ' }))).toEqual({ constraint: 'addresses_line1_not_blank', code: CHECK });
  });
});

describe('products', () => {
  test('products_price_paise_nonnegative refuses a negative price; a free product is fine', async () => {
    expect(await refusedBy(insertProduct({ price: -1 }))).toEqual({ constraint: 'products_price_paise_nonnegative', code: CHECK });
    expect(await insertProduct({ price: 0 })).toHaveProperty('id');
  });

  test.each([1, 5, 100, 1000, 1500, 2500, 3000, -500])('products_gst_rate_fk refuses %i basis points (not in gst_rates)', async (gst) => {
    expect(await refusedBy(insertProduct({ gst }))).toEqual({ constraint: 'products_gst_rate_fk', code: FK });
  });

  test('products_gst_rate_fk accepts every rate of gst_rates: 0%, 5%, 18%, 40% in use, and the removed 12% and 28% old bills carry', async () => {
    const all = (await rows<{ rate_bp: number; in_use: boolean }>(t.database.db, sql`select rate_bp, in_use from gst_rates order by rate_bp`)).map((r) => [r.rate_bp, r.in_use]);
    expect(all).toEqual([[0, true], [500, true], [1200, false], [1800, true], [2800, false], [4000, true]]);
    for (const [gst] of all) expect(await insertProduct({ gst: gst as number })).toHaveProperty('id');
  });

  test('gst_rates: a rate in use by a product cannot be deleted; a rate above 100% cannot exist', async () => {
    expect(await refusedBy(run(sql`delete from gst_rates where rate_bp = 0`))).toEqual({ constraint: 'products_gst_rate_fk', code: RESTRICTED });
    expect(await refusedBy(run(sql`insert into gst_rates (rate_bp, label) values (10001, 'too much')`))).toEqual({ constraint: 'gst_rates_rate_range', code: CHECK });
  });

  test.each(['040', '04011', '0401100', '040110001', '04O1', '', '0401 10'])('products_hsn_code_format refuses %j', async (hsn) => {
    expect(await refusedBy(insertProduct({ hsn }))).toEqual({ constraint: 'products_hsn_code_format', code: CHECK });
  });

  test('products_hsn_code_format accepts 4, 6 and 8 digits', async () => {
    for (const hsn of ['0401', '040110', '04011010']) expect(await insertProduct({ hsn })).toHaveProperty('id');
  });

  test('products_name_key refuses the same name in another case', async () => {
    expect(await refusedBy(insertProduct({ name: 'RAW toned MILK' }))).toEqual({ constraint: 'products_name_key', code: UNIQUE });
    expect(await countOf(t.database.db, sql`select count(*) as n from products where lower(name) = 'raw toned milk'`)).toBe(1);
  });

  test('products_sku_key refuses a SKU already used', async () => {
    expect(await refusedBy(insertProduct({ sku: 'RAW-TONED' }))).toEqual({ constraint: 'products_sku_key', code: UNIQUE });
  });

  test('products_name_not_blank refuses a blank name', async () => {
    expect(await refusedBy(insertProduct({ name: '  ' }))).toEqual({ constraint: 'products_name_not_blank', code: CHECK });
  });
});

describe('product requests', () => {
  test('a pending request with no decision is accepted', async () => {
    expect(await insertRequest({})).toHaveProperty('id');
  });

  test.each([
    ['approved without a product', { status: 'approved', decidedBy: 'admin', decidedAt: true }],
    ['approved without who decided', { status: 'approved', product: true, decidedAt: true }],
    ['approved without when', { status: 'approved', product: true, decidedBy: 'admin' }],
    ['approved with a reject reason', { status: 'approved', product: true, decidedBy: 'admin', decidedAt: true, reason: 'Both at once' }],
    ['rejected without a reason', { status: 'rejected', decidedBy: 'admin', decidedAt: true }],
    ['rejected with a blank reason', { status: 'rejected', decidedBy: 'admin', decidedAt: true, reason: '   ' }],
    ['rejected with a product', { status: 'rejected', product: true, decidedBy: 'admin', decidedAt: true, reason: 'Too costly' }],
    ['pending with a decider', { status: 'pending', decidedBy: 'admin' }],
    ['pending with a product', { status: 'pending', product: true }],
    ['pending with a reason', { status: 'pending', reason: 'Why?' }],
  ])('product_requests_decision_consistent refuses a request %s', async (_what, v: { status: string; product?: boolean; decidedBy?: string; decidedAt?: boolean; reason?: string }) => {
    // A product of its own each time, so that product_requests_product_id_key cannot be what refuses it.
    const product = v.product ? (await insertProduct({})).id : null;
    const refused = await refusedBy(
      insertRequest({ status: v.status, productId: product, decidedBy: v.decidedBy ? t.userIds[v.decidedBy] : null, decidedAt: v.decidedAt, reason: v.reason ?? null }),
    );
    expect(refused).toEqual({ constraint: 'product_requests_decision_consistent', code: CHECK });
  });

  test('consistent approved and rejected requests are accepted', async () => {
    const { id: p } = await insertProduct({});
    expect(await insertRequest({ status: 'approved', productId: p, decidedBy: t.userIds.admin, decidedAt: true })).toHaveProperty('id');
    expect(await insertRequest({ status: 'rejected', decidedBy: t.userIds.manager, decidedAt: true, reason: 'Out of season' })).toHaveProperty('id');
  });

  test('a pending request cannot be flipped to approved without its product by a bare UPDATE', async () => {
    const { id } = await insertRequest({});
    const refused = await refusedBy(run(sql`update product_requests set status = 'approved', decided_by = ${t.userIds.admin}, decided_at = now() where id = ${id}`));
    expect(refused).toEqual({ constraint: 'product_requests_decision_consistent', code: CHECK });
    const [row] = await rows(t.database.db, sql`select status from product_requests where id = ${id}`);
    expect(row.status).toBe('pending');
  });

  test('product_requests_product_id_key: one product comes from at most one request', async () => {
    const { id: p } = await insertProduct({});
    await insertRequest({ status: 'approved', productId: p, decidedBy: t.userIds.admin, decidedAt: true });
    const refused = await refusedBy(insertRequest({ status: 'approved', productId: p, decidedBy: t.userIds.manager, decidedAt: true }));
    expect(refused).toEqual({ constraint: 'product_requests_product_id_key', code: UNIQUE });
    expect(await countOf(t.database.db, sql`select count(*) as n from product_requests where product_id = ${p}`)).toBe(1);
  });

  test('product_requests_product_id_fk: a product made from a request cannot be deleted, nor can a request point at no product', async () => {
    const { id: p } = await insertProduct({});
    await insertRequest({ status: 'approved', productId: p, decidedBy: t.userIds.admin, decidedAt: true });
    expect(await refusedBy(run(sql`delete from products where id = ${p}`))).toEqual({ constraint: 'product_requests_product_id_fk', code: RESTRICTED });
    const refused = await refusedBy(
      insertRequest({ status: 'approved', productId: '00000000-0000-4000-8000-000000000000', decidedBy: t.userIds.admin, decidedAt: true }),
    );
    expect(refused).toEqual({ constraint: 'product_requests_product_id_fk', code: FK });
  });

  test('requests carry the same price, GST and HSN rules as products', async () => {
    expect(await refusedBy(insertRequest({ price: -5 }))).toEqual({ constraint: 'product_requests_price_paise_nonnegative', code: CHECK });
    expect(await refusedBy(insertRequest({ gst: 1000 }))).toEqual({ constraint: 'product_requests_gst_rate_fk', code: FK });
    expect(await refusedBy(insertRequest({ hsn: '04011' }))).toEqual({ constraint: 'product_requests_hsn_code_format', code: CHECK });
  });
});

describe('users and the audit log', () => {
  test('users_email_key and users_email_lowercase', async () => {
    expect(await refusedBy(run(sql`insert into users (email, name, password_hash) values ('admin@milkrun.test', 'Dup', 'x')`))).toEqual({
      constraint: 'users_email_key',
      code: UNIQUE,
    });
    expect(await refusedBy(run(sql`insert into users (email, name, password_hash) values ('Upper@milkrun.test', 'Up', 'x')`))).toEqual({
      constraint: 'users_email_lowercase',
      code: CHECK,
    });
  });

  test('audit_logs_user_id_fk keeps the author of history: a user with audit rows cannot be deleted', async () => {
    await run(sql`insert into audit_logs (user_id, action, table_name) values (${t.userIds.support}, 'create', 'zones')`);
    expect(await refusedBy(run(sql`delete from users where id = ${t.userIds.support}`))).toEqual({ constraint: 'audit_logs_user_id_fk', code: RESTRICTED });
    expect(await countOf(t.database.db, sql`select count(*) as n from users where id = ${t.userIds.support}`)).toBe(1);
  });

  test('audit_logs_append_only refuses UPDATE and DELETE of audit rows', async () => {
    const { id } = await one(sql`insert into audit_logs (user_id, action, table_name) values (${t.userIds.admin}, 'create', 'zones') returning id`);
    expect(await refusedBy(run(sql`update audit_logs set action = 'x' where id = ${id}`))).toEqual({ constraint: 'audit_logs_append_only', code: '42501' });
    expect(await refusedBy(run(sql`delete from audit_logs where id = ${id}`))).toEqual({ constraint: 'audit_logs_append_only', code: '42501' });
    const [row] = await rows(t.database.db, sql`select action from audit_logs where id = ${id}`);
    expect(row.action).toBe('create');
  });
});

describe('data health runs', () => {
  test('data_health_runs_finished_consistent: a run has a result or an error only once it has finished', async () => {
    expect(await refusedBy(run(sql`insert into data_health_runs (result) values ('{"ok": true}'::jsonb)`))).toEqual({ constraint: 'data_health_runs_finished_consistent', code: CHECK });
    expect(await refusedBy(run(sql`insert into data_health_runs (error) values ('boom')`))).toEqual({ constraint: 'data_health_runs_finished_consistent', code: CHECK });
  });

  test('data_health_runs_started_by_fk: a run is started by a real user (or by nobody, a job)', async () => {
    expect(await refusedBy(run(sql`insert into data_health_runs (started_by, finished_at) values (gen_random_uuid(), now())`))).toEqual({ constraint: 'data_health_runs_started_by_fk', code: FK });
    await run(sql`insert into data_health_runs (started_by, finished_at) values (null, now())`);
  });
});

test('a refused delete of a still-referenced row becomes a 409 for the API, whichever SQLSTATE the server uses', async () => {
  const { toAppError } = await import('../../api/lib/errors.js');
  const { id: p } = await insertProduct({});
  await insertRequest({ status: 'approved', productId: p, decidedBy: t.userIds.admin, decidedAt: true });
  // product_requests_product_id_fk has no message of its own, so the generic mapping by SQLSTATE must catch it (not a 500).
  const err = await run(sql`delete from products where id = ${p}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(toAppError(err)).toMatchObject({ status: 409, code: 'still_referenced' });
});

test('every constraint refused in this file has a message for people in api/lib/constraints.ts', async () => {
  const { describeConstraint } = await import('../../api/lib/constraints.js');
  const mapped = [
    'customers_phone_format', 'customers_phone_key', 'customers_name_not_blank', 'customers_zone_id_fk', 'zones_name_key', 'zones_name_not_blank',
    'addresses_pin_code_format', 'addresses_lat_range', 'addresses_lng_range', 'addresses_lat_lng_together', 'addresses_one_default_per_customer',
    'addresses_customer_id_fk', 'products_price_paise_nonnegative', 'products_gst_rate_fk', 'products_hsn_code_format', 'products_name_key',
    'products_sku_key', 'product_requests_decision_consistent', 'product_requests_product_id_key', 'product_requests_price_paise_nonnegative',
    'product_requests_gst_rate_fk', 'product_requests_hsn_code_format', 'users_email_key', 'users_email_lowercase', 'audit_logs_append_only',
  ];
  expect(mapped.filter((name) => !describeConstraint(name))).toEqual([]);
});
