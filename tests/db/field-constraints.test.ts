import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeStaff, makeZone, sqlRows } from '../helpers/chain-fixtures.js';
import { refusedWithMessage } from '../helpers/refused.js';

// Staff positions and stored run orders written around the API with raw SQL: each rule refuses the write, by name.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const db = () => database.db;
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

const position = (staffId: string, cols: { lat?: number; lng?: number; accuracy?: number | null; recorded?: SQL; received?: SQL } = {}) =>
  db().execute(sql`insert into staff_positions (staff_id, lat, lng, accuracy_m, recorded_at, received_at)
    values (${staffId}, ${cols.lat ?? 12.93}, ${cols.lng ?? 77.62}, ${cols.accuracy ?? null}, ${cols.recorded ?? sql`now()`}, ${cols.received ?? sql`now()`})`);

test('a position is in India, with a sane accuracy, of a real staff member, recorded not far from when it arrived', async () => {
  const { staff } = await makeStaff(db());
  await position(staff.id, { recorded: sql`now() - interval '1 hour'` });
  expect(await refusedWithMessage(position(staff.id, { lat: 51.5, lng: -0.12 }))).toBe('staff_positions_in_india');
  expect(await refusedWithMessage(position(staff.id, { lat: 5.9 }))).toBe('staff_positions_in_india');
  expect(await refusedWithMessage(position(staff.id, { lng: 97.6 }))).toBe('staff_positions_in_india');
  expect(await refusedWithMessage(position(staff.id, { accuracy: -1 }))).toBe('staff_positions_accuracy_range');
  expect(await refusedWithMessage(position(staff.id, { accuracy: 100_001 }))).toBe('staff_positions_accuracy_range');
  expect(await refusedWithMessage(position(staff.id, { recorded: sql`now() + interval '3 minutes'` }))).toBe('staff_positions_recorded_bounds');
  expect(await refusedWithMessage(position(staff.id, { recorded: sql`now() - interval '25 hours'` }))).toBe('staff_positions_recorded_bounds');
  expect(await refusedWithMessage(position('00000000-0000-4000-8000-000000000000'))).toBe('staff_positions_staff_id_fk');
});

test('one position per staff member and 10-second slot (staff_positions_staff_bucket_key); another member or slot is fine', async () => {
  const { staff } = await makeStaff(db());
  const { staff: other } = await makeStaff(db());
  // One slot for every statement below (each statement's own now() could fall in the next slot on a slow machine).
  const slot = sql`to_timestamp(${Math.floor(Date.now() / 10_000) * 10 - 60})`;
  await position(staff.id, { recorded: sql`${slot} + interval '1 second'` });
  expect(await refusedWithMessage(position(staff.id, { recorded: sql`${slot} + interval '9.9 seconds'` }))).toBe('staff_positions_staff_bucket_key');
  await position(other.id, { recorded: sql`${slot} + interval '2 seconds'` });
  await position(staff.id, { recorded: sql`${slot} + interval '10 seconds'` });
  // The slot is computed by the database: a client cannot write its own.
  await expect(db().execute(sql`insert into staff_positions (staff_id, lat, lng, recorded_at, bucket) values (${staff.id}, 12.9, 77.6, now(), 1)`)).rejects.toThrow();
  // Moving a kept position into a taken slot is refused too.
  const row = await one<{ id: string }>(sql`select id from staff_positions where staff_id = ${staff.id} order by recorded_at desc limit 1`);
  expect(await refusedWithMessage(db().execute(sql`update staff_positions set recorded_at = ${slot} + interval '3 seconds' where id = ${row.id}`))).toBe('staff_positions_staff_bucket_key');
  // A deleted staff member takes their positions along.
  await db().execute(sql`delete from staff where id = ${other.id}`);
  expect((await one<{ n: number }>(sql`select count(*)::int as n from staff_positions where staff_id = ${other.id}`)).n).toBe(0);
});

test('a stored run: one per staff member and shift, its stops each once and in distinct places from 1', async () => {
  const zone = await makeZone(db());
  const { staff } = await makeStaff(db(), { zone_id: zone.id });
  const a = await makeCustomer(db(), { zone_id: zone.id });
  const b = await makeCustomer(db(), { zone_id: zone.id });
  const route = await one<{ id: string }>(sql`insert into staff_routes (staff_id, shift, distance_m) values (${staff.id}, 'morning', 1200) returning id`);
  await db().execute(sql`insert into staff_routes (staff_id, shift, distance_m) values (${staff.id}, 'evening', 0)`);
  expect(await refusedWithMessage(db().execute(sql`insert into staff_routes (staff_id, shift, distance_m) values (${staff.id}, 'morning', 10)`))).toBe('staff_routes_staff_shift_key');
  expect(await refusedWithMessage(db().execute(sql`insert into staff_routes (staff_id, shift, distance_m) values ('00000000-0000-4000-8000-000000000000', 'morning', 10)`))).toBe('staff_routes_staff_id_fk');
  expect(await refusedWithMessage(db().execute(sql`update staff_routes set distance_m = -1 where id = ${route.id}`))).toBe('staff_routes_distance_nonnegative');
  expect(await refusedWithMessage(db().execute(sql`update staff_routes set updated_by = '00000000-0000-4000-8000-000000000000' where id = ${route.id}`))).toBe('staff_routes_updated_by_fk');

  const stop = (addressId: string, position: number, routeId = route.id) => db().execute(sql`insert into staff_route_stops (route_id, address_id, position) values (${routeId}, ${addressId}, ${position})`);
  await stop(a.address.id, 1);
  await stop(b.address.id, 2);
  expect(await refusedWithMessage(stop(a.address.id, 3))).toBe('staff_route_stops_route_address_key');
  const c = await makeCustomer(db(), { zone_id: zone.id });
  expect(await refusedWithMessage(stop(c.address.id, 2))).toBe('staff_route_stops_route_position_key');
  expect(await refusedWithMessage(stop(c.address.id, 0))).toBe('staff_route_stops_position_positive');
  expect(await refusedWithMessage(stop('00000000-0000-4000-8000-000000000000', 3))).toBe('staff_route_stops_address_id_fk');
  expect(await refusedWithMessage(stop(c.address.id, 3, '00000000-0000-4000-8000-000000000000'))).toBe('staff_route_stops_route_id_fk');
  // Rebinding a stop to another run (of another staff member) where its place is taken is refused as well.
  const { staff: other } = await makeStaff(db(), { zone_id: zone.id });
  const otherRoute = await one<{ id: string }>(sql`insert into staff_routes (staff_id, shift, distance_m) values (${other.id}, 'morning', 0) returning id`);
  await stop(c.address.id, 1, otherRoute.id);
  expect(await refusedWithMessage(db().execute(sql`update staff_route_stops set route_id = ${otherRoute.id} where address_id = ${a.address.id}`))).toBe('staff_route_stops_route_position_key');
  // A deleted address leaves the run; a deleted run takes its stops along.
  await db().execute(sql`delete from customers where id = ${b.customer.id}`);
  expect((await one<{ n: number }>(sql`select count(*)::int as n from staff_route_stops where route_id = ${route.id}`)).n).toBe(1);
  await db().execute(sql`delete from staff_routes where id = ${route.id}`);
  expect((await one<{ n: number }>(sql`select count(*)::int as n from staff_route_stops where route_id = ${route.id}`)).n).toBe(0);
});
