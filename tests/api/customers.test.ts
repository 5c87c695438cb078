import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { auditRowsOf, countOf, createCustomer, createZone, expectJson, expectProblem, nextPhone, rows, UNKNOWN_ID } from './support.js';

let t: TestApp;
let zone: { id: string; name: string };
beforeAll(async () => {
  t = await createTestApp();
  zone = await createZone(t, 'Customers Zone');
});
afterAll(() => t?.close());

const customerRows = (phone: string) =>
  rows<{ id: string; name: string; phone: string; email: string | null; zone_id: string; status: string }>(
    t.database.db,
    sql`select id, name, phone, email, zone_id, status from customers where phone = ${phone}`,
  );
const customerCount = () => countOf(t.database.db, sql`select count(*) as n from customers`);
const auditCount = () => countOf(t.database.db, sql`select count(*) as n from audit_logs`);
const home = { line1: '12, 3rd Cross, 5th Main', pin_code: '560034' };

describe('phone numbers', () => {
  test.each([
    ['098765 43210', '+919876543210'],
    ['+91 98765-43211', '+919876543211'],
    ['919876543212', '+919876543212'],
    ['9876543213.0', '+919876543213'],
    [' (98765) 43214 ', '+919876543214'],
    ['6000000000', '+916000000000'],
  ])('%j is stored as %s', async (typed, stored) => {
    const customer = await expectJson(await t.call('support', 'POST', '/api/customers', { name: 'Phone Form', phone: typed, zone_id: zone.id }), 201);
    expect(customer.phone).toBe(stored);
    const [row] = await customerRows(stored);
    expect(row.id).toBe(customer.id);
  });

  test.each(['12345', '5876543210', '+1 9876543210', '98765432100', 'ninety-eight', ''])('%j is a 400 naming the phone', async (typed) => {
    const before = await customerCount();
    const body = await expectProblem(await t.call('support', 'POST', '/api/customers', { name: 'Bad Phone', phone: typed, zone_id: zone.id }), 400, 'validation_failed');
    expect(body.message).toMatch(/^phone: /);
    expect(body.message).toContain('10-digit Indian mobile number');
    expect(await customerCount()).toBe(before);
  });

  test('the same number written differently is a 409 with a clear message, and only one customer exists', async () => {
    await createCustomer(t, { name: 'Lakshmi Iyer', phone: '+91 98123 45678', zone_id: zone.id });
    const audits = await auditCount();
    const body = await expectProblem(
      await t.call('support', 'POST', '/api/customers', { name: 'Lakshmi Again', phone: '09812345678', zone_id: zone.id }),
      409,
      'phone_taken',
    );
    expect(body.message).toBe('Another customer already has this mobile number.');
    expect(body.constraint).toBe('customers_phone_key');
    const found = await customerRows('+919812345678');
    expect(found.map((c) => c.name)).toEqual(['Lakshmi Iyer']);
    expect(await auditCount()).toBe(audits);
  });

  test('changing a phone to another customer\'s is a 409 and keeps the old number', async () => {
    const a = await createCustomer(t, { zone_id: zone.id });
    const b = await createCustomer(t, { zone_id: zone.id });
    await expectProblem(await t.call('support', 'PATCH', `/api/customers/${b.id}`, { phone: a.phone.slice(3) }), 409, 'phone_taken');
    const [row] = await rows(t.database.db, sql`select phone from customers where id = ${b.id}`);
    expect(row.phone).toBe(b.phone);
  });

  test('a changed phone is normalised too', async () => {
    const c = await createCustomer(t, { zone_id: zone.id });
    const updated = await expectJson(await t.call('support', 'PATCH', `/api/customers/${c.id}`, { phone: '0 70000 12345' }), 200);
    expect(updated.phone).toBe('+917000012345');
    expect((await customerRows('+917000012345')).map((r) => r.id)).toEqual([c.id]);
  });

  test('q finds a customer by the digits of their phone', async () => {
    const c = await createCustomer(t, { name: 'Digits Person', phone: '+919955501234', zone_id: zone.id });
    const found = await expectJson<any[]>(await t.call('support', 'GET', '/api/customers?q=99555'), 200);
    expect(found.map((r) => r.id)).toEqual([c.id]);
  });
});

describe('other customer fields', () => {
  test('the email is trimmed and lower-cased; a bad one is a 400', async () => {
    const c = await createCustomer(t, { zone_id: zone.id, email: 'Priya.N@Example.ORG' });
    expect(c.email).toBe('priya.n@example.org');
    const body = await expectProblem(await t.call('support', 'POST', '/api/customers', { name: 'X', phone: nextPhone(), zone_id: zone.id, email: 'priya@' }), 400);
    expect(body.message).toContain('email');
  });

  test('status defaults to active; a bad status is a 400', async () => {
    const c = await createCustomer(t, { zone_id: zone.id });
    expect(c.status).toBe('active');
    const body = await expectProblem(await t.call('support', 'PATCH', `/api/customers/${c.id}`, { status: 'vip' }), 400, 'validation_failed');
    expect(body.message).toContain('status');
  });

  test('the language of their messages: English unless said, Kannada or Hindi by choice; anything else a 400 and the row unchanged', async () => {
    const plain = await createCustomer(t, { zone_id: zone.id });
    expect(plain.language).toBe('en');
    const kannada = await createCustomer(t, { zone_id: zone.id, language: 'kn' });
    expect(kannada.language).toBe('kn');
    const edited = await expectJson<{ language: string }>(await t.call('support', 'PATCH', `/api/customers/${kannada.id}`, { language: 'hi' }), 200);
    expect(edited.language).toBe('hi');
    for (const bad of ['fr', 'Kannada', '', null]) {
      const body = await expectProblem(await t.call('support', 'PATCH', `/api/customers/${kannada.id}`, { language: bad }), 400, 'validation_failed');
      expect(body.message).toMatch(/language/i);
    }
    const [row] = await rows<{ language: string }>(t.database.db, sql`select language::text from customers where id = ${kannada.id}`);
    expect(row.language).toBe('hi');
  });

  test('a zone that does not exist is refused and no customer is written', async () => {
    const phone = nextPhone();
    const body = await expectProblem(await t.call('support', 'POST', '/api/customers', { name: 'Nowhere', phone, zone_id: UNKNOWN_ID }), 422, 'unknown_zone');
    expect(body.message).toMatch(/zone does not exist/);
    expect(await customerRows(phone)).toEqual([]);
  });

  test('a blank name is a 400', async () => {
    const body = await expectProblem(await t.call('support', 'POST', '/api/customers', { name: '  ', phone: nextPhone(), zone_id: zone.id }), 400);
    expect(body.message).toContain('name');
  });
});

describe('creating a customer with an address', () => {
  test('creates the customer and a default address in one go, with an audit row each', async () => {
    const phone = nextPhone();
    const c = await expectJson(
      await t.call('support', 'POST', '/api/customers', {
        name: 'Arjun Menon',
        phone,
        zone_id: zone.id,
        address: { ...home, landmark: 'Near Forum Mall', lat: 12.9352, lng: 77.6245 },
      }),
      201,
    );
    expect(c).toMatchObject({ name: 'Arjun Menon', phone, address_count: 1, zone_name: 'Customers Zone' });
    const addresses = await rows(
      t.database.db,
      sql`select customer_id, label, line1, city, pin_code, lat, lng, is_default from addresses where customer_id = ${c.id}`,
    );
    expect(addresses).toEqual([
      { customer_id: c.id, label: 'Home', line1: home.line1, city: 'Bengaluru', pin_code: '560034', lat: 12.9352, lng: 77.6245, is_default: true },
    ]);
    const audits = await rows<{ action: string; table_name: string; user_id: string }>(
      t.database.db,
      sql`select action, table_name, user_id from audit_logs where record_id = ${c.id} or record_id in (select id from addresses where customer_id = ${c.id}) order by table_name`,
    );
    expect(audits).toEqual([
      { action: 'create', table_name: 'addresses', user_id: t.userIds.support },
      { action: 'create', table_name: 'customers', user_id: t.userIds.support },
    ]);
  });

  test.each([
    ['a PIN code starting with 0', { pin_code: '012345' }, 'address.pin_code', 'PIN code'],
    ['a 5-digit PIN code', { pin_code: '56003' }, 'address.pin_code', 'PIN code'],
    ['a PIN code with letters', { pin_code: '56OO34' }, 'address.pin_code', 'PIN code'],
    ['a latitude above 90', { lat: 90.5, lng: 77.6 }, 'address.lat', 'Latitude'],
    ['a longitude below -180', { lat: 12.9, lng: -180.1 }, 'address.lng', 'Longitude'],
    ['a blank first line', { line1: '   ' }, 'address.line1', 'house and street'],
  ])('%s is a 400 naming the field, and no customer or address is written', async (_what, address, field, words) => {
    const phone = nextPhone();
    const [customersBefore, addressesBefore, auditsBefore] = [await customerCount(), await countOf(t.database.db, sql`select count(*) as n from addresses`), await auditCount()];
    const body = await expectProblem(
      await t.call('support', 'POST', '/api/customers', { name: 'Half Made', phone, zone_id: zone.id, address: { ...home, ...address } }),
      400,
      'validation_failed',
    );
    expect(body.message).toContain(`${field}: `);
    expect(body.message).toContain(words);
    expect(await customerCount()).toBe(customersBefore);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses`)).toBe(addressesBefore);
    expect(await auditCount()).toBe(auditsBefore);
  });

  test('when the database refuses the address, the customer row is rolled back with it', async () => {
    // Latitude without longitude passes the request schema; the CHECK addresses_lat_lng_together refuses it after the customer row was inserted.
    const phone = nextPhone();
    const auditsBefore = await auditCount();
    const body = await expectProblem(
      await t.call('support', 'POST', '/api/customers', { name: 'Rolled Back', phone, zone_id: zone.id, address: { ...home, lat: 12.97 } }),
      422,
      'bad_location',
    );
    expect(body.message).toBe('Give both latitude and longitude, or neither.');
    expect(await customerRows(phone)).toEqual([]);
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where name = 'Rolled Back'`)).toBe(0);
    expect(await auditCount()).toBe(auditsBefore);
  });
});

describe('addresses', () => {
  test('a new default address takes over from the old one: one default per customer', async () => {
    const c = await createCustomer(t, { zone_id: zone.id, address: home });
    const [first] = await rows<{ id: string }>(t.database.db, sql`select id from addresses where customer_id = ${c.id}`);
    const office = await expectJson(
      await t.call('support', 'POST', '/api/addresses', { customer_id: c.id, label: 'Office', line1: 'Prestige Tech Park', pin_code: '560103', is_default: true }),
      201,
    );
    const defaults = await rows<{ id: string }>(t.database.db, sql`select id from addresses where customer_id = ${c.id} and is_default`);
    expect(defaults.map((d) => d.id)).toEqual([office.id]);
    // The old default's change is audited too.
    const oldAudit = await auditRowsOf(t.database.db, first.id);
    expect(oldAudit.map((a) => [a.action, a.before?.is_default, a.after?.is_default])).toEqual([
      ['create', undefined, true],
      ['update', true, false],
    ]);

    // And back again through PATCH.
    await expectJson(await t.call('support', 'PATCH', `/api/addresses/${first.id}`, { is_default: true }), 200);
    const after = await rows<{ id: string }>(t.database.db, sql`select id from addresses where customer_id = ${c.id} and is_default`);
    expect(after.map((d) => d.id)).toEqual([first.id]);
    expect((await expectJson(await t.call('support', 'GET', `/api/customers/${c.id}`), 200)).address_count).toBe(2);
    const list = await t.call('support', 'GET', `/api/addresses?customer_id=${c.id}&is_default=false`);
    expect((await expectJson<any[]>(list, 200)).map((a) => a.id)).toEqual([office.id]);
  });

  test('a non-default address leaves the default alone', async () => {
    const c = await createCustomer(t, { zone_id: zone.id, address: home });
    await expectJson(await t.call('support', 'POST', '/api/addresses', { customer_id: c.id, line1: 'Second home', pin_code: '560001' }), 201);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where customer_id = ${c.id} and is_default`)).toBe(1);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where customer_id = ${c.id}`)).toBe(2);
  });

  test('setting only a latitude on an address without a location is a 422 and changes nothing', async () => {
    const c = await createCustomer(t, { zone_id: zone.id, address: home });
    const [a] = await rows<{ id: string }>(t.database.db, sql`select id from addresses where customer_id = ${c.id}`);
    await expectProblem(await t.call('support', 'PATCH', `/api/addresses/${a.id}`, { lat: 12.9 }), 422, 'bad_location');
    const [row] = await rows(t.database.db, sql`select lat, lng from addresses where id = ${a.id}`);
    expect(row).toEqual({ lat: null, lng: null });
    await expectProblem(await t.call('support', 'PATCH', `/api/addresses/${a.id}`, { lat: -91, lng: 0 }), 400, 'validation_failed');
    const moved = await expectJson(await t.call('support', 'PATCH', `/api/addresses/${a.id}`, { lat: 12.9, lng: 77.6 }), 200);
    expect([moved.lat, moved.lng]).toEqual([12.9, 77.6]);
  });

  test('an address for a customer who does not exist is refused', async () => {
    const body = await expectProblem(
      await t.call('support', 'POST', '/api/addresses', { customer_id: UNKNOWN_ID, line1: 'Ghost street', pin_code: '560001' }),
      422,
      'unknown_customer',
    );
    expect(body.message).toMatch(/customer .* does not exist/);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where line1 = 'Ghost street'`)).toBe(0);
  });

  test('an address can be deleted; its customer stays', async () => {
    const c = await createCustomer(t, { zone_id: zone.id });
    const a = await expectJson(await t.call('support', 'POST', '/api/addresses', { customer_id: c.id, line1: 'Temporary', pin_code: '560002' }), 201);
    expect((await t.call('support', 'DELETE', `/api/addresses/${a.id}`)).status).toBe(200);
    expect(await countOf(t.database.db, sql`select count(*) as n from addresses where id = ${a.id}`)).toBe(0);
    expect(await countOf(t.database.db, sql`select count(*) as n from customers where id = ${c.id}`)).toBe(1);
  });
});
