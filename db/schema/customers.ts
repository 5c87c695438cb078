import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, foreignKey, index, pgEnum, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { depots } from './depots.js';

export const zones = pgTable(
  'zones',
  {
    id: id(),
    name: text('name').notNull(),
    // The depot its runs start from and its stock comes from (null until one is set).
    depot_id: uuid('depot_id'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'zones_depot_id_fk', columns: [t.depot_id], foreignColumns: [depots.id] }).onDelete('restrict'),
    index('zones_depot_idx').on(t.depot_id),
    uniqueIndex('zones_name_key').on(sql`lower(${t.name})`),
    check('zones_name_not_blank', sql`length(trim(${t.name})) > 0`),
  ],
);

export const customerStatus = pgEnum('customer_status', ['active', 'paused', 'inactive']);
/** The language a customer's messages are written in (notification templates exist in each). */
export const customerLanguage = pgEnum('customer_language', ['en', 'kn', 'hi']);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    email: text('email'),
    zone_id: uuid('zone_id').notNull(),
    status: customerStatus('status').notNull().default('active'),
    language: customerLanguage('language').notNull().default('en'),
    notes: text('notes').notNull().default(''),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    // A zone with customers cannot be deleted: the API maps this name to a 409.
    foreignKey({ name: 'customers_zone_id_fk', columns: [t.zone_id], foreignColumns: [zones.id] }).onDelete('restrict'),
    uniqueIndex('customers_phone_key').on(t.phone),
    check('customers_phone_format', sql`${t.phone} ~ '^\\+91[6-9][0-9]{9}$'`),
    check('customers_name_not_blank', sql`length(trim(${t.name})) > 0`),
    index('customers_zone_idx').on(t.zone_id),
    index('customers_created_idx').on(t.created_at),
    // Search (q) finds customers first by trigrams (ILIKE '%word%', phone digits), then their orders, deliveries, bills.
    index('customers_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('customers_phone_trgm_idx').using('gin', t.phone.op('gin_trgm_ops')),
    index('customers_email_trgm_idx').using('gin', t.email.op('gin_trgm_ops')),
  ],
);

export const addresses = pgTable(
  'addresses',
  {
    id: id(),
    customer_id: uuid('customer_id').notNull(),
    label: text('label').notNull().default('Home'),
    line1: text('line1').notNull(),
    line2: text('line2').notNull().default(''),
    landmark: text('landmark').notNull().default(''),
    city: text('city').notNull().default('Bengaluru'),
    pin_code: text('pin_code').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    is_default: boolean('is_default').notNull().default(false),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'addresses_customer_id_fk', columns: [t.customer_id], foreignColumns: [customers.id] }).onDelete('cascade'),
    // Target of the composite FK (customer_id, address_id) from orders: an order's address is its customer's.
    unique('addresses_customer_id_id_key').on(t.customer_id, t.id),
    uniqueIndex('addresses_one_default_per_customer').on(t.customer_id).where(sql`${t.is_default}`),
    check('addresses_pin_code_format', sql`${t.pin_code} ~ '^[1-9][0-9]{5}$'`),
    check('addresses_lat_range', sql`${t.lat} is null or ${t.lat} between -90 and 90`),
    check('addresses_lng_range', sql`${t.lng} is null or ${t.lng} between -180 and 180`),
    check('addresses_lat_lng_together', sql`(${t.lat} is null) = (${t.lng} is null)`),
    check('addresses_line1_not_blank', sql`length(trim(${t.line1})) > 0`),
  ],
);
