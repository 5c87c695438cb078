import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { countOf, createZone, expectJson, expectProblem, rows, UNKNOWN_ID } from './support.js';

// The Refine simple-rest contract, on the customers, zones and products resources.
let t: TestApp;
let north: { id: string; name: string };
let south: { id: string; name: string };
const people: Record<string, any> = {};

const list = async (path: string, role: 'admin' | 'finance' = 'admin') => {
  const res = await t.call(role, 'GET', path);
  const body = await expectJson<any[]>(res, 200);
  return { body, total: Number(res.headers.get('x-total-count')), res };
};
const names = (body: any[]) => body.map((r) => r.name);

beforeAll(async () => {
  t = await createTestApp();
  north = await createZone(t, 'Contract North');
  south = await createZone(t, 'Contract South');
  const seed = [
    { key: 'ravi', name: 'Ravi Kumar', phone: '+919800000001', email: 'ravi@example.org', zone_id: north.id, status: 'active' },
    { key: 'ravindra', name: 'ravindra Rao', phone: '+919800000002', email: 'rr@example.com', zone_id: south.id, status: 'paused' },
    { key: 'anita', name: 'Anita Desai', phone: '+919800000003', email: null, zone_id: north.id, status: 'inactive' },
    { key: 'bala', name: 'Bala Subramaniam', phone: '+919800000004', email: 'bala@example.org', zone_id: south.id, status: 'active' },
    { key: 'chitra', name: 'Chitra 100% Dairy', phone: '+919800000005', email: null, zone_id: north.id, status: 'paused' },
  ];
  for (const { key, ...c } of seed) people[key] = await expectJson(await t.call('admin', 'POST', '/api/customers', c), 201);
  for (const [name, sku, price, unit] of [
    ['Toned Milk 500ml', 'TM-500', 2700, 'packet'],
    ['Full Cream Milk 1L', 'FC-1000', 6800, 'litre'],
    ['Curd 400g', 'CURD-400', 3500, 'packet'],
    ['Paneer 200g', 'PNR-200', 9000, 'piece'],
  ] as const) {
    await expectJson(await t.call('admin', 'POST', '/api/products', { name, sku, price_paise: price, unit, hsn_code: '0401' }), 201);
  }
});
afterAll(() => t?.close());

describe('list, pagination and x-total-count', () => {
  test('a page is the asked slice and x-total-count is the total of all matching rows', async () => {
    const all = await list('/api/customers?_sort=name&_order=asc');
    expect(all.total).toBe(5);
    expect(names(all.body)).toEqual(['Anita Desai', 'Bala Subramaniam', 'Chitra 100% Dairy', 'Ravi Kumar', 'ravindra Rao']);

    const page = await list('/api/customers?_start=1&_end=3&_sort=name&_order=asc');
    expect(page.total).toBe(5);
    expect(names(page.body)).toEqual(['Bala Subramaniam', 'Chitra 100% Dairy']);

    const last = await list('/api/customers?_start=4&_end=10&_sort=name&_order=asc');
    expect(names(last.body)).toEqual(['ravindra Rao']);
    expect(last.total).toBe(5);

    const beyond = await list('/api/customers?_start=50&_end=60');
    expect(beyond.body).toEqual([]);
    expect(beyond.total).toBe(5);

    const none = await list('/api/customers?status=active&zone_id=' + UNKNOWN_ID);
    expect(none.body).toEqual([]);
    expect(none.total).toBe(0);
  });

  test('a row carries only its own fields (the page and its count come from one statement)', async () => {
    const { body } = await list('/api/products?_start=0&_end=2');
    expect(Object.keys(body[0]).filter((k) => k.startsWith('_'))).toEqual([]);
  });

  test('x-total-count counts the filtered rows, not the page', async () => {
    const page = await list(`/api/customers?zone_id=${north.id}&_start=0&_end=1`);
    expect(page.body).toHaveLength(1);
    expect(page.total).toBe(3);
  });

  test('pages walked one by one never repeat or skip a row, even with ties in the sort field', async () => {
    const seen: string[] = [];
    for (let start = 0; start < 5; start += 2) {
      const page = await list(`/api/customers?_start=${start}&_end=${start + 2}&_sort=status&_order=asc`);
      seen.push(...page.body.map((r) => r.id));
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  test('CORS exposes x-total-count to the admin on a cross-origin GET', async () => {
    const res = await t.call('admin', 'GET', '/api/customers?_start=0&_end=2', undefined, { origin: 'http://localhost:5173' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase().split(',').map((s) => s.trim())).toContain('x-total-count');
    expect(res.headers.get('x-total-count')).toBe('5');
  });

  test('an origin that is not configured gets no CORS grant, so a foreign site cannot read answers with the cookie', async () => {
    const res = await t.call('admin', 'GET', '/api/customers?_start=0&_end=2', undefined, { origin: 'https://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a CORS preflight answers without a session and allows PATCH, DELETE and the content-type header', async () => {
    const res = await t.app.request('/api/customers', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/DELETE/);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/content-type/);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toMatch(/x-total-count/);
  });
});

describe('_sort and _order', () => {
  test('sorts by several comma-separated fields, each with its own order', async () => {
    const { body } = await list('/api/customers?_sort=status,name&_order=desc,asc');
    // customer_status enum order is active < paused < inactive, so desc gives inactive, paused, active.
    expect(body.map((r) => [r.status, r.name])).toEqual([
      ['inactive', 'Anita Desai'],
      ['paused', 'Chitra 100% Dairy'],
      ['paused', 'ravindra Rao'],
      ['active', 'Bala Subramaniam'],
      ['active', 'Ravi Kumar'],
    ]);
    const flipped = await list('/api/customers?_sort=zone_name,name&_order=asc,desc');
    expect(flipped.body.map((r) => [r.zone_name, r.name])).toEqual([
      ['Contract North', 'Ravi Kumar'],
      ['Contract North', 'Chitra 100% Dairy'],
      ['Contract North', 'Anita Desai'],
      ['Contract South', 'ravindra Rao'],
      ['Contract South', 'Bala Subramaniam'],
    ]);
  });

  test('_order defaults to asc and accepts upper case', async () => {
    const asc = await list('/api/products?_sort=price_paise');
    expect(asc.body.map((p) => p.price_paise)).toEqual([2700, 3500, 6800, 9000]);
    const desc = await list('/api/products?_sort=price_paise&_order=DESC');
    expect(desc.body.map((p) => p.price_paise)).toEqual([9000, 6800, 3500, 2700]);
  });

  test('an unknown or unsortable sort field is a 400 naming it', async () => {
    const unknown = await expectProblem(await t.call('admin', 'GET', '/api/customers?_sort=shoe_size'), 400, 'unknown_sort');
    expect(unknown.message).toContain('shoe_size');
    expect(unknown.message).toContain('name');
    // notes is a column but not declared sortable.
    const notes = await expectProblem(await t.call('admin', 'GET', '/api/customers?_sort=name,notes&_order=asc,asc'), 400, 'unknown_sort');
    expect(notes.message).toContain('"notes"');
  });

  test('every list sorts by id, both ways (Refine tables sort by id by default)', async () => {
    // The lists are the GET routes without a path parameter that answer x-total-count.
    const doc = await expectJson<{ paths: Record<string, Record<string, unknown>> }>(await t.call('admin', 'GET', '/api/openapi.json'), 200);
    const lists: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!ops.get || path.includes('{') || !path.startsWith('/api/')) continue;
      // Exports are downloads, not lists; an unread export stream would hold PGlite's one connection.
      if (path.endsWith('/export')) continue;
      const res = await t.call('admin', 'GET', `${path}?_start=0&_end=1`);
      if (res.headers.get('x-total-count') !== null) lists.push(path);
    }
    expect(lists.length).toBeGreaterThan(15);
    for (const path of lists) {
      for (const order of ['asc', 'desc']) {
        const res = await t.call('admin', 'GET', `${path}?_sort=id&_order=${order}&_start=0&_end=50`);
        const body = await expectJson<{ id: string }[]>(res, 200);
        const ids = body.map((r) => r.id);
        const sorted = [...ids].sort();
        expect(ids, `${path} sorted by id ${order}`).toEqual(order === 'asc' ? sorted : sorted.reverse());
      }
    }
  });

  test('a bad _order, or more orders than sorts, is a 400', async () => {
    const bad = await expectProblem(await t.call('admin', 'GET', '/api/customers?_sort=name&_order=sideways'), 400, 'bad_sort');
    expect(bad.message).toContain('sideways');
    await expectProblem(await t.call('admin', 'GET', '/api/customers?_sort=name&_order=asc,desc'), 400, 'bad_sort');
  });
});

describe('filters', () => {
  test('field=value is equality', async () => {
    const { body, total } = await list('/api/customers?status=paused&_sort=name');
    expect(names(body)).toEqual(['Chitra 100% Dairy', 'ravindra Rao']);
    expect(total).toBe(2);
    const byZone = await list(`/api/customers?zone_id=${south.id}&_sort=name`);
    expect(names(byZone.body)).toEqual(['Bala Subramaniam', 'ravindra Rao']);
    // uuids are compared case-insensitively, as the admin may send them upper case.
    const upper = await list(`/api/customers?zone_id=${south.id.toUpperCase()}`);
    expect(upper.total).toBe(2);
  });

  test('a repeated field is "in"', async () => {
    const { body, total } = await list('/api/customers?status=paused&status=inactive&_sort=name');
    expect(names(body)).toEqual(['Anita Desai', 'Chitra 100% Dairy', 'ravindra Rao']);
    expect(total).toBe(3);
  });

  test('getMany: ?id=a&id=b returns exactly those rows', async () => {
    const { body, total } = await list(`/api/customers?id=${people.ravi.id}&id=${people.anita.id}&_sort=name`);
    expect(body.map((r) => r.id)).toEqual([people.anita.id, people.ravi.id]);
    expect(total).toBe(2);
    // An id nobody has is simply not in the answer.
    const some = await list(`/api/customers?id=${people.bala.id}&id=${UNKNOWN_ID}`);
    expect(some.body.map((r) => r.id)).toEqual([people.bala.id]);
  });

  test('_ne excludes a value; two of them exclude both', async () => {
    const { body } = await list('/api/customers?status_ne=active&_sort=name');
    expect(names(body)).toEqual(['Anita Desai', 'Chitra 100% Dairy', 'ravindra Rao']);
    const two = await list('/api/customers?status_ne=active&status_ne=paused');
    expect(names(two.body)).toEqual(['Anita Desai']);
  });

  test('_gte and _lte bound a range, inclusively', async () => {
    const { body, total } = await list('/api/products?price_paise_gte=3500&price_paise_lte=6800&_sort=price_paise');
    expect(body.map((p) => p.price_paise)).toEqual([3500, 6800]);
    expect(total).toBe(2);
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    expect((await list(`/api/customers?created_at_gte=${encodeURIComponent(since)}`)).total).toBe(5);
    expect((await list(`/api/customers?created_at_lte=${encodeURIComponent(since)}`)).total).toBe(0);
  });

  test('_like is a case-insensitive "contains" that treats % and _ literally', async () => {
    const { body } = await list('/api/customers?name_like=RAVI&_sort=name');
    expect(names(body)).toEqual(['Ravi Kumar', 'ravindra Rao']);
    expect(names((await list('/api/customers?name_like=100%25')).body)).toEqual(['Chitra 100% Dairy']);
    // A bare % would match everything if it were not escaped.
    expect((await list('/api/customers?name_like=%25')).total).toBe(1);
    expect((await list('/api/customers?name_like=_')).total).toBe(0);
    // On an enum column too.
    expect((await list('/api/customers?status_like=PAUS')).total).toBe(2);
  });

  test('q searches name, phone and email; every word must match', async () => {
    expect(names((await list('/api/customers?q=RAVI&_sort=name')).body)).toEqual(['Ravi Kumar', 'ravindra Rao']);
    expect(names((await list('/api/customers?q=example.org&_sort=name')).body)).toEqual(['Bala Subramaniam', 'Ravi Kumar']);
    expect(names((await list('/api/customers?q=ravi%200002')).body)).toEqual(['ravindra Rao']);
    expect((await list('/api/customers?q=nobody-like-this')).total).toBe(0);
    // q combines with the other filters.
    expect(names((await list('/api/customers?q=ravi&status=active')).body)).toEqual(['Ravi Kumar']);
  });

  test('filters combine with AND', async () => {
    const { body } = await list(`/api/customers?zone_id=${north.id}&status_ne=inactive&name_like=a&_sort=name`);
    expect(names(body)).toEqual(['Chitra 100% Dairy', 'Ravi Kumar']);
  });
});

describe('bad list parameters are a 400, never silently ignored', () => {
  test.each([
    ['unknown field', '/api/customers?shoe_size=9', 'unknown_filter', 'shoe_size'],
    ['unknown operator', '/api/customers?name_contains=ravi', 'unknown_filter', 'name_contains'],
    ['column that is not declared', '/api/customers?notes=x', 'unknown_filter', 'notes'],
    ['field declared not filterable', '/api/zones?customer_count=1', 'unknown_filter', 'customer_count'],
    ['bad enum value', '/api/customers?status=bogus', 'bad_filter', 'bogus'],
    ['bad enum value in a list', '/api/customers?status=active&status=bogus', 'bad_filter', 'bogus'],
    ['bad uuid', '/api/customers?zone_id=not-a-uuid', 'bad_filter', 'not-a-uuid'],
    ['bad uuid in getMany', `/api/customers?id=${UNKNOWN_ID}&id=42`, 'bad_filter', '42'],
    ['bad integer', '/api/products?price_paise_gte=1.5', 'bad_filter', '1.5'],
    ['bad boolean', '/api/products?is_active=yes', 'bad_filter', 'yes'],
    ['bad timestamp', '/api/customers?created_at_gte=yesterday', 'bad_filter', 'yesterday'],
    ['negative _start', '/api/customers?_start=-1&_end=10', 'bad_range', '_start'],
    ['text _end', '/api/customers?_start=0&_end=ten', 'bad_range', '_end'],
    ['_end before _start', '/api/customers?_start=10&_end=5', 'bad_range', '_end'],
    ['page too large', '/api/customers?_start=0&_end=5000', 'bad_range', '1000'],
  ])('%s: %s', async (_what, path, code, word) => {
    const body = await expectProblem(await t.call('admin', 'GET', path), 400, code);
    expect(body.message).toContain(word);
  });

  test('the message lists what may be filtered', async () => {
    const body = await expectProblem(await t.call('admin', 'GET', '/api/customers?shoe_size=9'), 400, 'unknown_filter');
    expect(body.message).toMatch(/Filterable fields: .*status/);
    expect(body.message).not.toContain('notes');
  });
});

describe('getOne, create, update, delete', () => {
  test('getOne returns the row with its computed columns', async () => {
    const one = await expectJson(await t.call('admin', 'GET', `/api/customers/${people.ravi.id}`), 200);
    expect(one).toMatchObject({
      id: people.ravi.id,
      name: 'Ravi Kumar',
      phone: '+919800000001',
      email: 'ravi@example.org',
      zone_id: north.id,
      zone_name: 'Contract North',
      status: 'active',
      address_count: 0,
    });
  });

  test('create answers 201 with the stored row', async () => {
    const res = await t.call('admin', 'POST', '/api/zones', { name: '  Contract East  ' });
    const zone = await expectJson(res, 201);
    expect(zone).toMatchObject({ name: 'Contract East', customer_count: 0 });
    const [row] = await rows(t.database.db, sql`select name from zones where id = ${zone.id}`);
    expect(row).toEqual({ name: 'Contract East' });
  });

  test('PATCH changes only the given fields and answers the new row', async () => {
    const before = (await rows<{ updated_at: Date }>(t.database.db, sql`select updated_at from zones where id = ${south.id}`))[0];
    const zone = await expectJson(await t.call('admin', 'PATCH', `/api/zones/${south.id}`, { name: 'Contract South Renamed' }), 200);
    expect(zone).toMatchObject({ id: south.id, name: 'Contract South Renamed', customer_count: 2 });
    const [row] = await rows<{ name: string; updated_at: Date }>(t.database.db, sql`select name, updated_at from zones where id = ${south.id}`);
    expect(row.name).toBe('Contract South Renamed');
    expect(new Date(row.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(before.updated_at).getTime());

    const customer = await expectJson(await t.call('admin', 'PATCH', `/api/customers/${people.bala.id}`, { status: 'paused' }), 200);
    expect(customer).toMatchObject({ name: 'Bala Subramaniam', status: 'paused', phone: '+919800000004', zone_name: 'Contract South Renamed' });
    await expectJson(await t.call('admin', 'PATCH', `/api/customers/${people.bala.id}`, { status: 'active' }), 200);
  });

  test('DELETE answers the deleted row and removes it', async () => {
    const zone = await createZone(t, 'Contract Doomed');
    const deleted = await expectJson(await t.call('admin', 'DELETE', `/api/zones/${zone.id}`), 200);
    expect(deleted).toMatchObject({ id: zone.id, name: 'Contract Doomed' });
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where id = ${zone.id}`)).toBe(0);
    await expectProblem(await t.call('admin', 'GET', `/api/zones/${zone.id}`), 404, 'not_found');
  });

  test.each(['GET', 'PATCH', 'DELETE'])('%s of an unknown id is a 404 naming the resource', async (method) => {
    const body = await expectProblem(await t.call('admin', method, `/api/zones/${UNKNOWN_ID}`, method === 'PATCH' ? { name: 'x' } : undefined), 404, 'not_found');
    expect(body.message).toBe('Zone was not found.');
    expect(await countOf(t.database.db, sql`select count(*) as n from zones where name = 'x'`)).toBe(0);
  });

  test('an id that is not a UUID is a 400, not a 500', async () => {
    const body = await expectProblem(await t.call('admin', 'GET', '/api/customers/12345'), 400, 'validation_failed');
    expect(body.message).toMatch(/UUID/);
    await expectProblem(await t.call('admin', 'DELETE', '/api/zones/12345'), 400, 'validation_failed');
  });

  test('the last import, before any import has run, is an empty answer (null), not a 404', async () => {
    const res = await t.call('admin', 'GET', '/api/imports/latest');
    expect(await expectJson(res, 200)).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test('an unknown route is a problem+json 404', async () => {
    const body = await expectProblem(await t.call('admin', 'GET', '/api/no-such-things'), 404, 'not_found');
    expect(body.message).toContain('/api/no-such-things');
  });
});

describe('bad bodies', () => {
  const raw = async (method: string, path: string, body: string, contentType = 'application/json') =>
    t.app.request(path, { method, headers: { cookie: await t.cookie('admin'), 'content-type': contentType }, body });

  test('malformed JSON is a 400 problem and creates nothing', async () => {
    const before = await countOf(t.database.db, sql`select count(*) as n from zones`);
    const body = await expectProblem(await raw('POST', '/api/zones', '{"name": "Half'), 400);
    expect(body.message).toMatch(/JSON/i);
    await expectProblem(await raw('PATCH', `/api/zones/${north.id}`, 'name=x'), 400);
    expect(await countOf(t.database.db, sql`select count(*) as n from zones`)).toBe(before);
  });

  test('a missing required field is a 400 naming it', async () => {
    const body = await expectProblem(await t.call('admin', 'POST', '/api/customers', { name: 'No Phone', zone_id: north.id }), 400, 'validation_failed');
    expect(body.message).toContain('phone');
  });

  test('a wrong type is a 400 naming the field', async () => {
    const body = await expectProblem(await t.call('admin', 'POST', '/api/zones', { name: 42 }), 400, 'validation_failed');
    expect(body.message).toContain('name');
    const price = await expectProblem(
      await t.call('admin', 'PATCH', `/api/products/${(await list('/api/products?_start=0&_end=1')).body[0].id}`, { price_paise: '27.00' }),
      400,
      'validation_failed',
    );
    expect(price.message).toContain('price_paise');
  });

  test('every failing field is named, not just the first', async () => {
    const body = await expectProblem(
      await t.call('admin', 'POST', '/api/customers', { name: '', phone: '123', zone_id: 'nope' }),
      400,
      'validation_failed',
    );
    expect(body.message).toContain('name');
    expect(body.message).toContain('phone');
    expect(body.message).toContain('zone_id');
    expect(await countOf(t.database.db, sql`select count(*) as n from customers`)).toBe(5);
  });
});
