import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, foreignKey, index, integer, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { addresses } from './customers.js';
import { staff } from './staff.js';
import { shift } from './subscriptions.js';

/**
 * GPS positions posted by delivery staff's phones (POST /api/staff/me/positions). At most one per staff member per
 * 10 seconds of their clock is kept: `bucket` is the 10-second slot of recorded_at, unique per staff member, so a
 * faster phone's extra posts are dropped by the database whatever process they reach. Pruned after
 * POSITION_RETENTION_DAYS by the positions-prune job (api/modules/field/positions-prune.job.ts).
 */
export const staffPositions = pgTable(
  'staff_positions',
  {
    id: id(),
    staff_id: uuid('staff_id').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    accuracy_m: doublePrecision('accuracy_m'),
    recorded_at: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    received_at: timestamp('received_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    // Seconds since the epoch through interval arithmetic (immutable, unlike extract(epoch from timestamptz)).
    bucket: bigint('bucket', { mode: 'number' })
      .generatedAlwaysAs(sql`floor(extract(epoch from (recorded_at - timestamptz '1970-01-01 00:00:00+00')) / 10)::bigint`)
      .notNull(),
  },
  (t) => [
    foreignKey({ name: 'staff_positions_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('cascade'),
    // One kept position per staff member and 10 s; also "the last position of each staff member" (bucket desc).
    uniqueIndex('staff_positions_staff_bucket_key').on(t.staff_id, t.bucket),
    // The prune job deletes by age.
    index('staff_positions_recorded_idx').on(t.recorded_at),
    check('staff_positions_in_india', sql`${t.lat} between 6 and 37.5 and ${t.lng} between 68 and 97.5`),
    check('staff_positions_accuracy_range', sql`${t.accuracy_m} is null or ${t.accuracy_m} between 0 and 100000`),
    // A phone's clock may run a little ahead; a position older than a day is history, not a live position.
    check('staff_positions_recorded_bounds', sql`${t.recorded_at} <= ${t.received_at} + interval '2 minutes' and ${t.recorded_at} >= ${t.received_at} - interval '1 day'`),
  ],
);

/**
 * The stored order of a run: one per staff member and shift, kept from day to day (a run visits mostly the same
 * addresses every day). Its stops are addresses; a stop with no place here goes last on the run sheet.
 */
export const staffRoutes = pgTable(
  'staff_routes',
  {
    id: id(),
    staff_id: uuid('staff_id').notNull(),
    shift: shift('shift').notNull(),
    // Metres along the stored order from its start (the depot, or the first stop when the zone has none).
    distance_m: integer('distance_m').notNull(),
    updated_by: uuid('updated_by'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'staff_routes_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('cascade'),
    foreignKey({ name: 'staff_routes_updated_by_fk', columns: [t.updated_by], foreignColumns: [users.id] }).onDelete('set null'),
    uniqueIndex('staff_routes_staff_shift_key').on(t.staff_id, t.shift),
    check('staff_routes_distance_nonnegative', sql`${t.distance_m} >= 0`),
  ],
);

export const staffRouteStops = pgTable(
  'staff_route_stops',
  {
    route_id: uuid('route_id').notNull(),
    address_id: uuid('address_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    foreignKey({ name: 'staff_route_stops_route_id_fk', columns: [t.route_id], foreignColumns: [staffRoutes.id] }).onDelete('cascade'),
    // A deleted address leaves the run; the others keep their places.
    foreignKey({ name: 'staff_route_stops_address_id_fk', columns: [t.address_id], foreignColumns: [addresses.id] }).onDelete('cascade'),
    uniqueIndex('staff_route_stops_route_address_key').on(t.route_id, t.address_id),
    uniqueIndex('staff_route_stops_route_position_key').on(t.route_id, t.position),
    index('staff_route_stops_address_idx').on(t.address_id),
    check('staff_route_stops_position_positive', sql`${t.position} >= 1`),
  ],
);
