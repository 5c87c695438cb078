import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';

export const productUnit = pgEnum('product_unit', ['packet', 'litre', 'ml', 'kg', 'g', 'piece', 'dozen', 'bottle']);

// GST rates in basis points: the one list every table references (migration 0012_gst_rates). Rates the law removed
// stay, not in use, for the billing records and invoice lines that carry them; a product takes only a rate in use.
export const gstRates = pgTable(
  'gst_rates',
  {
    rate_bp: integer('rate_bp').primaryKey(),
    label: text('label').notNull(),
    in_use: boolean('in_use').notNull().default(true),
  },
  (t) => [check('gst_rates_rate_range', sql`${t.rate_bp} between 0 and 10000`)],
);

export const products = pgTable(
  'products',
  {
    id: id(),
    name: text('name').notNull(),
    sku: text('sku').notNull(),
    category: text('category').notNull().default('dairy'),
    unit: productUnit('unit').notNull(),
    unit_size: text('unit_size').notNull().default(''),
    price_paise: integer('price_paise').notNull(),
    hsn_code: text('hsn_code').notNull(),
    gst_rate_bp: integer('gst_rate_bp').notNull().default(0),
    is_active: boolean('is_active').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('products_name_key').on(sql`lower(${t.name})`),
    uniqueIndex('products_sku_key').on(t.sku),
    check('products_price_paise_nonnegative', sql`${t.price_paise} >= 0`),
    // Business bound (migration 0011): at most Rs 1 lakh a unit, the API's own limit.
    check('products_price_paise_max', sql`${t.price_paise} <= 10000000`),
    foreignKey({ name: 'products_gst_rate_fk', columns: [t.gst_rate_bp], foreignColumns: [gstRates.rate_bp] }).onDelete('restrict'),
    check('products_hsn_code_format', sql`${t.hsn_code} ~ '^[0-9]{4}([0-9]{2}){0,2}$'`),
    check('products_name_not_blank', sql`length(trim(${t.name})) > 0`),
  ],
);

export const productRequestStatus = pgEnum('product_request_status', ['pending', 'approved', 'rejected']);

export const productRequests = pgTable(
  'product_requests',
  {
    id: id(),
    name: text('name').notNull(),
    category: text('category').notNull().default('dairy'),
    unit: productUnit('unit').notNull(),
    unit_size: text('unit_size').notNull().default(''),
    price_paise: integer('price_paise').notNull(),
    hsn_code: text('hsn_code').notNull(),
    gst_rate_bp: integer('gst_rate_bp').notNull().default(0),
    note: text('note').notNull().default(''),
    requested_by: uuid('requested_by'),
    status: productRequestStatus('status').notNull().default('pending'),
    decided_by: uuid('decided_by'),
    decided_at: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    reject_reason: text('reject_reason'),
    product_id: uuid('product_id'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'product_requests_requested_by_fk', columns: [t.requested_by], foreignColumns: [users.id] }).onDelete('set null'),
    foreignKey({ name: 'product_requests_decided_by_fk', columns: [t.decided_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'product_requests_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    // One request creates at most one product, and a product comes from at most one request.
    uniqueIndex('product_requests_product_id_key').on(t.product_id),
    check('product_requests_price_paise_nonnegative', sql`${t.price_paise} >= 0`),
    check('product_requests_price_paise_max', sql`${t.price_paise} <= 10000000`),
    foreignKey({ name: 'product_requests_gst_rate_fk', columns: [t.gst_rate_bp], foreignColumns: [gstRates.rate_bp] }).onDelete('restrict'),
    check('product_requests_hsn_code_format', sql`${t.hsn_code} ~ '^[0-9]{4}([0-9]{2}){0,2}$'`),
    // The decision and its traces go together: approved has a product, rejected a reason, pending neither.
    check(
      'product_requests_decision_consistent',
      sql`(${t.status} = 'pending' and ${t.decided_at} is null and ${t.decided_by} is null and ${t.product_id} is null and ${t.reject_reason} is null)
       or (${t.status} = 'approved' and ${t.decided_at} is not null and ${t.decided_by} is not null and ${t.product_id} is not null and ${t.reject_reason} is null)
       or (${t.status} = 'rejected' and ${t.decided_at} is not null and ${t.decided_by} is not null and ${t.product_id} is null and length(trim(coalesce(${t.reject_reason}, ''))) > 0)`,
    ),
    index('product_requests_status_created_idx').on(t.status, t.created_at),
  ],
);
