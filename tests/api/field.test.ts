import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventsTuning } from '../../api/modules/field/events.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bodyOf, callAs, loginCookie, makeCustomer, makeOrder, makeProduct, makeStaff, makeZone, problemOf, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { readSse } from '../helpers/sse.js';

// Issue 15, the live map: delivery staff's GPS positions (validated, one per 10 s kept, rows checked), the map of a
// day's shift, the event stream (a posted position arrives; logout ends it), and runs put in order and kept.

let t: TestApp;
const db = () => t.database.db;
let zone: { id: string; name: string };
let otherZone: { id: string; name: string };
let runner: Awaited<ReturnType<typeof makeStaff>>;
let runnerCookie: string;
let milk: Awaited<ReturnType<typeof makeProduct>>;

const post = (cookie: string, body: unknown) => callAs(t.app, cookie, 'POST', '/api/staff/me/positions', body);
const positionsOf = (staffId: string) => sqlRows<{ lat: number; lng: number; accuracy_m: number | null; recorded_at: Date }>(db(), sql`select lat, lng, accuracy_m, recorded_at from staff_positions where staff_id = ${staffId} order by recorded_at`);
/**
 * The start of a 10-second slot a minute before the file began, plus `ms`: one base for every test here, since their
 * offsets say which posts share a slot (a base read per call moved on under load between a post and its check).
 */
const SLOT_BASE = Math.floor((Date.now() - 60_000) / 10_000) * 10_000;
const slot = (ms: number) => new Date(SLOT_BASE + ms).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  zone = await makeZone(db());
  otherZone = await makeZone(db());
  runner = await makeStaff(db(), { zone_id: zone.id, login: true, name: 'Ravi Runner' });
  runnerCookie = await loginCookie(t.app, runner.user!.email, runner.user!.password);
  milk = await makeProduct(db(), { price_paise: 2800, gst_rate_bp: 0, hsn_code: '0401' });
});
afterAll(() => t?.close());

describe('POST /api/staff/me/positions', () => {
  test('delivery staff post a position: 201, one row with what was sent', async () => {
    const at = slot(1000);
    const body = await bodyOf(await post(runnerCookie, { lat: 12.9352, lng: 77.6245, accuracy_m: 8.5, recorded_at: at }), 201);
    expect(body).toMatchObject({ kept: true, position: { staff_id: runner.staff.id, lat: 12.9352, lng: 77.6245, accuracy_m: 8.5, at } });
    const rows = await positionsOf(runner.staff.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lat: 12.9352, lng: 77.6245, accuracy_m: 8.5 });
    expect(new Date(rows[0].recorded_at).toISOString()).toBe(at);
  });

  test('a second position within the same 10 seconds answers 200 kept: false and leaves one row; the next slot is kept', async () => {
    const before = (await positionsOf(runner.staff.id)).length;
    const second = await bodyOf(await post(runnerCookie, { lat: 12.936, lng: 77.625, recorded_at: slot(6000) }), 200);
    expect(second).toMatchObject({ kept: false, position: null });
    expect(second.message).toMatch(/10 seconds/);
    expect(await positionsOf(runner.staff.id)).toHaveLength(before);
    await bodyOf(await post(runnerCookie, { lat: 12.937, lng: 77.626, recorded_at: slot(11_000) }), 201);
    expect(await positionsOf(runner.staff.id)).toHaveLength(before + 1);
  });

  test('ten posts at once for one slot keep exactly one', { tags: ['race'] }, async () => {
    const member = await makeStaff(db(), { zone_id: zone.id, login: true });
    const cookie = await loginCookie(t.app, member.user!.email, member.user!.password);
    const at = slot(2000);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(cookie, { lat: 12.93 + i / 1000, lng: 77.62, recorded_at: at })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await positionsOf(member.staff.id)).toHaveLength(1);
  });

  test('coordinates outside India, bad types and unknown fields are 400s with a message; nothing is written', async () => {
    const before = (await positionsOf(runner.staff.id)).length;
    for (const body of [{ lat: 51.5, lng: -0.12 }, { lat: 0, lng: 0 }, { lat: 12.9, lng: 100 }, { lat: '12.9', lng: 77.6 }, { lat: 12.9 }, { lat: 12.9, lng: 77.6, speed: 3 }, { lat: 12.9, lng: 77.6, accuracy_m: -1 }, { lat: 12.9, lng: 77.6, recorded_at: 'yesterday' }]) {
      const p = await problemOf(await post(runnerCookie, body), 400, 'validation_failed');
      expect(p.message, JSON.stringify(body)).toBeTruthy();
    }
    expect((await problemOf(await post(runnerCookie, { lat: 40, lng: 77.6 }), 400)).message).toMatch(/outside India/);
    expect(await positionsOf(runner.staff.id)).toHaveLength(before);
  });

  test('recorded_at in the future (past a small skew) or older than a day is a 422; nothing is written', async () => {
    const before = (await positionsOf(runner.staff.id)).length;
    await problemOf(await post(runnerCookie, { lat: 12.9, lng: 77.6, recorded_at: new Date(Date.now() + 10 * 60_000).toISOString() }), 422, 'position_in_future');
    await problemOf(await post(runnerCookie, { lat: 12.9, lng: 77.6, recorded_at: new Date(Date.now() - 25 * 3600_000).toISOString() }), 422, 'position_too_old');
    // A phone a little ahead is fine.
    await bodyOf(await post(runnerCookie, { lat: 12.9, lng: 77.6, recorded_at: new Date(Date.now() + 30_000).toISOString() }), 201);
    expect(await positionsOf(runner.staff.id)).toHaveLength(before + 1);
  });

  test('only delivery staff with a staff record: managers 403, an admin without a staff row 403, an inactive member 403', async () => {
    await problemOf(await t.call('manager', 'POST', '/api/staff/me/positions', { lat: 12.9, lng: 77.6 }), 403, 'forbidden');
    await problemOf(await t.call('support', 'POST', '/api/staff/me/positions', { lat: 12.9, lng: 77.6 }), 403, 'forbidden');
    expect((await problemOf(await t.call('admin', 'POST', '/api/staff/me/positions', { lat: 12.9, lng: 77.6 }), 403)).message).toMatch(/not linked to a staff member/);
    const gone = await makeStaff(db(), { zone_id: zone.id, login: true, is_active: false });
    const cookie = await loginCookie(t.app, gone.user!.email, gone.user!.password);
    expect((await problemOf(await post(cookie, { lat: 12.9, lng: 77.6 }), 403)).message).toMatch(/inactive/);
    expect(await positionsOf(gone.staff.id)).toHaveLength(0);
    expect(await problemOf(await callAs(t.app, '', 'POST', '/api/staff/me/positions', { lat: 12.9, lng: 77.6 }), 401)).toBeTruthy();
  });

  test('positions past the retention are pruned; recent ones stay', async () => {
    const { prunePositions } = await import('../../api/modules/field/positions.service.js');
    const member = await makeStaff(db(), { zone_id: zone.id });
    // Written around the CHECK's bounds (received_at set back too), as a month-old position would be.
    await db().execute(sql`insert into staff_positions (staff_id, lat, lng, recorded_at, received_at) values
      (${member.staff.id}, 12.9, 77.6, now() - interval '40 days', now() - interval '40 days'),
      (${member.staff.id}, 12.9, 77.6, now() - interval '31 days', now() - interval '31 days'),
      (${member.staff.id}, 12.9, 77.6, now() - interval '2 days', now() - interval '2 days')`);
    const deleted = await prunePositions({ db: db(), inTx: false, actor: null, requestId: 'test', log: console as never }, 30, 1);
    expect(deleted).toBe(2);
    expect(await positionsOf(member.staff.id)).toHaveLength(1);
  });
});

async function customerAt(zoneId: string, lat: number | null, lng: number | null, name?: string): Promise<CustomerFixture> {
  return makeCustomer(db(), { zone_id: zoneId, name, address: { lat, lng, line1: `${name ?? 'Door'} Road`, pin_code: '560034' } });
}

describe('GET /api/map', () => {
  test("a day's shift: deliveries with customer, position, items, status, staff and zone; the staff's last position", async () => {
    const z = await makeZone(db());
    const member = await makeStaff(db(), { zone_id: z.id, login: true, name: 'Map Runner' });
    const cookie = await loginCookie(t.app, member.user!.email, member.user!.password);
    const a = await customerAt(z.id, 12.93, 77.62, 'Asha Map');
    const b = await customerAt(z.id, 12.94, 77.63, 'Bala Map');
    const other = await customerAt(otherZone.id, 12.95, 77.64, 'Chitra Other');
    const oa = await makeOrder(db(), { customer: a, items: [{ product: milk, quantity: 2 }], staff_id: member.staff.id });
    await makeOrder(db(), { customer: b, items: [{ product: milk, quantity: 1 }], staff_id: member.staff.id });
    await makeOrder(db(), { customer: other, items: [{ product: milk, quantity: 1 }] });
    await makeOrder(db(), { customer: a, items: [{ product: milk, quantity: 5 }], shift: 'evening' });
    await bodyOf(await t.call('manager', 'POST', `/api/deliveries/${oa.delivery.id}/confirm`, {}), 200);
    await bodyOf(await post(cookie, { lat: 12.931, lng: 77.621, recorded_at: slot(1000) }), 201);
    await bodyOf(await post(cookie, { lat: 12.935, lng: 77.625, recorded_at: slot(21_000) }), 201);

    const map = await bodyOf(await t.call('manager', 'GET', `/api/map?shift=morning&zone_id=${z.id}`), 200);
    expect(map).toMatchObject({ date: todayIST(), shift: 'morning', total: 2, truncated: false });
    expect(map.tile.url).toContain('{z}');
    expect(map.tile.attribution).toMatch(/OpenStreetMap/);
    const asha = map.deliveries.find((d: any) => d.customer_name === 'Asha Map');
    expect(asha).toMatchObject({ status: 'delivered', lat: 12.93, lng: 77.62, staff_id: member.staff.id, staff_name: 'Map Runner', zone_id: z.id, zone_name: z.name });
    expect(asha.items).toEqual([{ product_name: milk.name, unit_size: milk.unit_size, quantity: 2, delivered_quantity: 2 }]);
    expect(map.deliveries.find((d: any) => d.customer_name === 'Bala Map')).toMatchObject({ status: 'pending' });
    expect(map.deliveries.some((d: any) => d.customer_name === 'Chitra Other')).toBe(false);
    const s = map.staff.find((x: any) => x.staff_id === member.staff.id);
    expect(s.position).toMatchObject({ lat: 12.935, lng: 77.625, at: slot(21_000) });

    // By staff; all zones; another day with no positions.
    const byStaff = await bodyOf(await t.call('manager', 'GET', `/api/map?staff_id=${member.staff.id}`), 200);
    expect(byStaff.deliveries.map((d: any) => d.customer_name).sort()).toEqual(['Asha Map', 'Bala Map']);
    expect(byStaff.staff.map((x: any) => x.staff_id)).toEqual([member.staff.id]);
    const all = await bodyOf(await t.call('admin', 'GET', '/api/map?shift=morning'), 200);
    expect(all.deliveries.some((d: any) => d.customer_name === 'Chitra Other')).toBe(true);
    const yesterday = await bodyOf(await t.call('manager', 'GET', `/api/map?date=${addDays(todayIST(), -1)}&staff_id=${member.staff.id}`), 200);
    expect(yesterday.deliveries).toEqual([]);
    expect(yesterday.staff[0].position).toBeNull();
  });

  test("a zone's depot is on the map; a manager limited to zones sees only theirs", async () => {
    const z = await makeZone(db());
    const [depot] = await sqlRows<{ id: string }>(db(), sql`insert into depots (name, city, lat, lng) values ('Map depot', 'Bengaluru', 12.92, 77.61) returning id`);
    await db().execute(sql`update zones set depot_id = ${depot.id} where id = ${z.id}`);
    await makeOrder(db(), { customer: await customerAt(z.id, 12.92, 77.62, 'Deepa Depot'), items: [{ product: milk, quantity: 1 }] });
    const map = await bodyOf(await t.call('manager', 'GET', `/api/map?zone_id=${z.id}`), 200);
    expect(map.depots).toEqual([{ id: depot.id, name: 'Map depot', lat: 12.92, lng: 77.61, zone_ids: [z.id] }]);

    const limited = await makeStaff(db(), { login: { roles: ['manager'] } });
    await db().execute(sql`update permissions set conditions = '{"zones": true}' where role_id = (select id from roles where name = 'manager') and resource = 'map'`);
    try {
      await db().execute(sql`insert into user_zones (user_id, zone_id) values (${limited.user!.id}, ${otherZone.id})`);
      const cookie = await loginCookie(t.app, limited.user!.email, limited.user!.password);
      const mine = await bodyOf(await callAs(t.app, cookie, 'GET', '/api/map'), 200);
      expect(mine.deliveries.length).toBeGreaterThan(0);
      expect(mine.deliveries.every((d: any) => d.zone_id === otherZone.id)).toBe(true);
      expect(mine.depots).toEqual([]);
    } finally {
      await db().execute(sql`update permissions set conditions = null where role_id = (select id from roles where name = 'manager') and resource = 'map'`);
    }
  });

  test('bad and far dates, bad shifts and unknown parameters are refused; roles without the map get 403', async () => {
    await problemOf(await t.call('manager', 'GET', `/api/map?date=${addDays(todayIST(), -200)}`), 422, 'date_out_of_range');
    await problemOf(await t.call('manager', 'GET', `/api/map?date=${addDays(todayIST(), 30)}`), 422, 'date_out_of_range');
    await problemOf(await t.call('manager', 'GET', '/api/map?date=2026-02-30'), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'GET', '/api/map?shift=night'), 400, 'validation_failed');
    await problemOf(await t.call('manager', 'GET', '/api/map?zone=x'), 400, 'validation_failed');
    await problemOf(await t.call('finance', 'GET', '/api/map'), 403, 'forbidden');
    await problemOf(await callAs(t.app, runnerCookie, 'GET', '/api/map'), 403, 'forbidden');
  });
});

describe('GET /api/events', () => {
  test("a position posted reaches a manager's stream as staff.position; roles without the map get 403", async () => {
    const res = await callAs(t.app, await t.cookie('manager'), 'GET', '/api/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = readSse(res);
    try {
      const ready = await stream.next('ready');
      expect(ready.retry).toBeGreaterThan(0);
      const at = slot(41_000);
      await bodyOf(await post(runnerCookie, { lat: 12.95, lng: 77.65, recorded_at: at }), 201);
      const e = await stream.next('staff.position');
      expect(JSON.parse(e.data)).toMatchObject({ staff_id: runner.staff.id, zone_id: zone.id, lat: 12.95, lng: 77.65, at });
      // A post that is not kept sends nothing.
      await bodyOf(await post(runnerCookie, { lat: 12.96, lng: 77.66, recorded_at: slot(42_000) }), 200);
      await expect(stream.next('staff.position', 500)).rejects.toThrow(/no "staff.position" event/);
    } finally {
      await stream.cancel();
    }
    await problemOf(await t.call('support', 'GET', '/api/events'), 403, 'forbidden');
    await problemOf(await callAs(t.app, runnerCookie, 'GET', '/api/events'), 403, 'forbidden');
    await problemOf(await callAs(t.app, '', 'GET', '/api/events'), 401);
  });

  test("a manager limited to zones hears only their zones' staff", async () => {
    const limited = await makeStaff(db(), { login: { roles: ['manager'] } });
    await db().execute(sql`insert into user_zones (user_id, zone_id) values (${limited.user!.id}, ${otherZone.id})`);
    const elsewhere = await makeStaff(db(), { zone_id: otherZone.id, login: true });
    const elsewhereCookie = await loginCookie(t.app, elsewhere.user!.email, elsewhere.user!.password);
    await db().execute(sql`update permissions set conditions = '{"zones": true}' where role_id = (select id from roles where name = 'manager') and resource = 'map'`);
    try {
      const cookie = await loginCookie(t.app, limited.user!.email, limited.user!.password);
      const stream = readSse(await callAs(t.app, cookie, 'GET', '/api/events'));
      try {
        await stream.next('ready');
        // The runner's zone is not theirs: nothing; the other zone's member: the event.
        await bodyOf(await post(runnerCookie, { lat: 12.95, lng: 77.65, recorded_at: slot(51_000) }), 201);
        await bodyOf(await post(elsewhereCookie, { lat: 12.91, lng: 77.61, recorded_at: slot(51_000) }), 201);
        const e = await stream.next('staff.position');
        expect(JSON.parse(e.data)).toMatchObject({ staff_id: elsewhere.staff.id, zone_id: otherZone.id });
        await expect(stream.next('staff.position', 500)).rejects.toThrow(/no "staff.position" event/);
      } finally {
        await stream.cancel();
      }
    } finally {
      await db().execute(sql`update permissions set conditions = null where role_id = (select id from roles where name = 'manager') and resource = 'map'`);
    }
  });

  test('logging out ends the stream at the next heartbeat', async () => {
    const saved = eventsTuning.heartbeatMs;
    eventsTuning.heartbeatMs = 150;
    try {
      const member = await makeStaff(db(), { login: { roles: ['manager'] } });
      const cookie = await loginCookie(t.app, member.user!.email, member.user!.password);
      const stream = readSse(await callAs(t.app, cookie, 'GET', '/api/events'));
      await stream.next('ready');
      await new Promise((r) => setTimeout(r, 400));
      expect(stream.heartbeats).toBeGreaterThan(0);
      expect(stream.done).toBe(false);
      await bodyOf(await callAs(t.app, cookie, 'POST', '/api/auth/logout'), 200);
      const end = await stream.next('end', 3000);
      expect(JSON.parse(end.data)).toEqual({ reason: 'signed_out' });
      await stream.closed;
      expect(stream.done).toBe(true);
      // The browser's reconnection is refused.
      await problemOf(await callAs(t.app, cookie, 'GET', '/api/events'), 401);
    } finally {
      eventsTuning.heartbeatMs = saved;
    }
  });
});

describe('run order', () => {
  test('optimise from the depot, kept for the next day (a new stop last), followed by the run sheet and by delivery staff', async () => {
    const z = await makeZone(db());
    const [depot] = await sqlRows<{ id: string }>(db(), sql`insert into depots (name, city, lat, lng) values ('Route depot', 'Bengaluru', 12.90, 77.60) returning id`);
    await db().execute(sql`update zones set depot_id = ${depot.id} where id = ${z.id}`);
    const member = await makeStaff(db(), { zone_id: z.id, login: true });
    const cookie = await loginCookie(t.app, member.user!.email, member.user!.password);
    // Along a line away from the depot, created out of order: the best order is by distance from the depot.
    const near = await customerAt(z.id, 12.91, 77.6, 'Near');
    const far = await customerAt(z.id, 12.95, 77.6, 'Far');
    const mid = await customerAt(z.id, 12.93, 77.6, 'Mid');
    const nowhere = await customerAt(z.id, null, null, 'Nowhere');
    const today = todayIST();
    for (const c of [far, nowhere, near, mid]) await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: member.staff.id });

    const run = await bodyOf(await t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id, shift: 'morning' }), 200);
    expect(run.start).toEqual({ kind: 'depot', depot: { id: depot.id, name: 'Route depot', lat: 12.9, lng: 77.6 } });
    expect(run.stops.map((s: any) => s.address_id)).toEqual([near.address.id, mid.address.id, far.address.id, nowhere.address.id]);
    // 0.05 degrees of latitude from the depot to the far stop: about 5.56 km.
    expect(run.distance_m).toBeGreaterThan(5500);
    expect(run.distance_m).toBeLessThan(5620);
    const stored = await sqlRows<{ address_id: string; position: number }>(db(), sql`select rs.address_id, rs.position from staff_route_stops rs join staff_routes r on r.id = rs.route_id where r.staff_id = ${member.staff.id} and r.shift = 'morning' order by rs.position`);
    expect(stored.map((s) => s.address_id)).toEqual(run.stops.map((s: any) => s.address_id));
    const [audit] = await sqlRows<{ action: string }>(db(), sql`select action from audit_logs where table_name = 'staff_routes' order by created_at desc limit 1`);
    expect(audit.action).toBe('optimise');

    const sheet = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?staff_id=${member.staff.id}`), 200);
    expect(sheet.stops.map((s: any) => s.customer_name)).toEqual(['Near', 'Mid', 'Far', 'Nowhere']);
    expect(sheet.stops.map((s: any) => s.stop_number)).toEqual([1, 2, 3, 4]);
    expect(sheet.route).toMatchObject({ start: 'depot', distance_m: run.distance_m, ordered: true });
    const own = await bodyOf(await callAs(t.app, cookie, 'GET', '/api/run-sheets'), 200);
    expect(own.stops.map((s: any) => s.customer_name)).toEqual(['Near', 'Mid', 'Far', 'Nowhere']);

    // Tomorrow: the same run less Mid (alternate days), plus a new customer: the stored order, the new stop last.
    const tomorrow = addDays(today, 1);
    const fresh = await customerAt(z.id, 12.905, 77.6, 'Fresh');
    for (const c of [fresh, far, near, nowhere]) await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: member.staff.id, delivery_date: tomorrow });
    const next = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?staff_id=${member.staff.id}&date=${tomorrow}`), 200);
    expect(next.stops.map((s: any) => s.customer_name)).toEqual(['Near', 'Far', 'Nowhere', 'Fresh']);

    // The manager drags Far first and saves: kept, with its distance; Mid (not on tomorrow's run) keeps its place after Near.
    const order = [far, near, nowhere, fresh].map((c) => c.address.id);
    const saved = await bodyOf(await t.call('manager', 'POST', '/api/run-sheets/order', { staff_id: member.staff.id, shift: 'morning', date: tomorrow, address_ids: order }), 200);
    expect(saved.stops.map((s: any) => s.address_id)).toEqual(order);
    expect(saved.distance_m).toBeGreaterThan(run.distance_m);
    const after = await sqlRows<{ address_id: string }>(db(), sql`select rs.address_id from staff_route_stops rs join staff_routes r on r.id = rs.route_id where r.staff_id = ${member.staff.id} order by rs.position`);
    expect(after.map((s) => s.address_id)).toEqual([far.address.id, near.address.id, mid.address.id, nowhere.address.id, fresh.address.id]);
    const [audit2] = await sqlRows<{ action: string }>(db(), sql`select action from audit_logs where table_name = 'staff_routes' order by created_at desc limit 1`);
    expect(audit2.action).toBe('reorder');
    const today2 = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?staff_id=${member.staff.id}`), 200);
    expect(today2.stops.map((s: any) => s.customer_name)).toEqual(['Far', 'Near', 'Mid', 'Nowhere']);

    // An order that does not list the run's stops exactly once is refused, and changes nothing.
    await problemOf(await t.call('manager', 'POST', '/api/run-sheets/order', { staff_id: member.staff.id, shift: 'morning', date: tomorrow, address_ids: order.slice(1) }), 422, 'run_changed');
    await problemOf(await t.call('manager', 'POST', '/api/run-sheets/order', { staff_id: member.staff.id, shift: 'morning', date: tomorrow, address_ids: [...order.slice(1), order[1]] }), 422, 'run_changed');
    const unchanged = await sqlRows<{ address_id: string }>(db(), sql`select rs.address_id from staff_route_stops rs join staff_routes r on r.id = rs.route_id where r.staff_id = ${member.staff.id} order by rs.position`);
    expect(unchanged).toEqual(after);
  });

  test('two saves of one run at once both answer, and the stored order is one of them whole', { tags: ['race'] }, async () => {
    const z = await makeZone(db());
    const member = await makeStaff(db(), { zone_id: z.id });
    const stops: CustomerFixture[] = [];
    for (let i = 0; i < 5; i++) stops.push(await customerAt(z.id, 12.9 + i / 100, 77.6, `Race ${i}`));
    for (const c of stops) await makeOrder(db(), { customer: c, items: [{ product: milk, quantity: 1 }], staff_id: member.staff.id });
    const ids = stops.map((c) => c.address.id);
    const orders = [ids, [...ids].reverse()];
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([
        ...orders.map((address_ids) => t.call('manager', 'POST', '/api/run-sheets/order', { staff_id: member.staff.id, shift: 'morning', address_ids })),
        t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id, shift: 'morning' }),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const stored = await sqlRows<{ address_id: string; position: number }>(db(), sql`select rs.address_id, rs.position from staff_route_stops rs join staff_routes r on r.id = rs.route_id where r.staff_id = ${member.staff.id} and r.shift = 'morning' order by rs.position`);
      expect(stored.map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
      expect([ids.join(), [...ids].reverse().join()]).toContain(stored.map((s) => s.address_id).join());
      expect(await sqlRows(db(), sql`select 1 from staff_routes where staff_id = ${member.staff.id}`)).toHaveLength(1);
    }
  });

  test('without a depot the run starts at a stop and says so; an empty run is a 422; delivery staff and support may not', async () => {
    const z = await makeZone(db());
    const member = await makeStaff(db(), { zone_id: z.id });
    for (const [lat, name] of [[12.95, 'A'], [12.91, 'B'], [12.93, 'C']] as const) {
      await makeOrder(db(), { customer: await customerAt(z.id, lat, 77.6, name), items: [{ product: milk, quantity: 1 }], staff_id: member.staff.id, shift: 'evening' });
    }
    const run = await bodyOf(await t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id, shift: 'evening' }), 200);
    expect(run.start).toEqual({ kind: 'first_stop', depot: null });
    // From one end of the line to the other: 0.04 degrees, about 4.45 km.
    expect(run.distance_m).toBeGreaterThan(4400);
    expect(run.distance_m).toBeLessThan(4500);
    const sheet = await bodyOf(await t.call('manager', 'GET', `/api/run-sheets?staff_id=${member.staff.id}&shift=evening`), 200);
    expect(sheet.route).toMatchObject({ start: 'first_stop', depot: null, distance_m: run.distance_m });
    expect(['A,C,B', 'B,C,A']).toContain(sheet.stops.map((s: any) => s.customer_name).join(','));

    await problemOf(await t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id, shift: 'morning' }), 422, 'run_empty');
    await problemOf(await t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: '00000000-0000-4000-8000-000000000000', shift: 'morning' }), 404);
    await problemOf(await t.call('manager', 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id }), 400, 'validation_failed');
    await problemOf(await callAs(t.app, runnerCookie, 'POST', '/api/run-sheets/optimise', { staff_id: member.staff.id, shift: 'evening' }), 403, 'forbidden');
    await problemOf(await t.call('support', 'POST', '/api/run-sheets/order', { staff_id: member.staff.id, shift: 'evening', address_ids: [] }), 403, 'forbidden');
  });
});
