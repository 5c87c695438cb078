import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

// Depots: where stock is kept and where each run starts (the zones a depot serves point at it). Shared by
// inventory (stock per depot) and field operations (routes start from the zone's depot).
export const depots = pgTable(
  'depots',
  {
    id: id(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    address: text('address').notNull().default(''),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    is_active: boolean('is_active').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('depots_name_key').on(sql`lower(${t.name})`),
    check('depots_name_not_blank', sql`length(trim(${t.name})) between 1 and 120 and length(trim(${t.city})) between 1 and 80`),
    // India's bounding box: a depot elsewhere is a typo.
    check('depots_in_india', sql`${t.lat} between 6 and 37.5 and ${t.lng} between 68 and 97.5`),
  ],
);
