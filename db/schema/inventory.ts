import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './access.js';
import { products } from './catalog.js';
import { depots } from './depots.js';
import { staff } from './staff.js';

// Inventory and procurement (issue 16): suppliers and what they sell, stock by batch with an append-only ledger, and
// purchase orders. Stock is never set: stock_batches.quantity moves only with a ledger line (trigger in the migration
// inventory_ledger_rules), so a batch always equals the sum of its movements.

export const suppliers = pgTable(
  'suppliers',
  {
    id: id(),
    name: text('name').notNull(),
    gstin: text('gstin').notNull(),
    contact_name: text('contact_name').notNull().default(''),
    phone: text('phone').notNull().default(''),
    email: text('email').notNull().default(''),
    address: text('address').notNull().default(''),
    is_active: boolean('is_active').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('suppliers_gstin_key').on(t.gstin),
    uniqueIndex('suppliers_name_key').on(sql`lower(${t.name})`),
    check('suppliers_name_not_blank', sql`length(trim(${t.name})) between 1 and 120`),
    check('suppliers_gstin_format', sql`${t.gstin} ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'`),
  ],
);

/** A product a supplier sells: its price, how long it takes to come, and the pack it comes in (a crate of 12). */
export const supplierProducts = pgTable(
  'supplier_products',
  {
    id: id(),
    supplier_id: uuid('supplier_id').notNull(),
    product_id: uuid('product_id').notNull(),
    price_paise: integer('price_paise').notNull(),
    lead_time_days: integer('lead_time_days').notNull().default(1),
    pack_size: integer('pack_size').notNull().default(1),
    pack_label: text('pack_label').notNull().default(''),
    is_preferred: boolean('is_preferred').notNull().default(false),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'supplier_products_supplier_id_fk', columns: [t.supplier_id], foreignColumns: [suppliers.id] }).onDelete('cascade'),
    foreignKey({ name: 'supplier_products_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    unique('supplier_products_supplier_product_key').on(t.supplier_id, t.product_id),
    // One preferred supplier per product: reorder proposals buy from it.
    uniqueIndex('supplier_products_one_preferred').on(t.product_id).where(sql`${t.is_preferred}`),
    check('supplier_products_price_nonnegative', sql`${t.price_paise} >= 0`),
    check('supplier_products_lead_time_valid', sql`${t.lead_time_days} between 0 and 60`),
    check('supplier_products_pack_size_positive', sql`${t.pack_size} between 1 and 10000`),
  ],
);

/** Stock kept above the forecast, per product (every depot). */
export const safetyStocks = pgTable(
  'safety_stocks',
  {
    product_id: uuid('product_id').primaryKey(),
    quantity: integer('quantity').notNull(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'safety_stocks_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('cascade'),
    check('safety_stocks_quantity_nonnegative', sql`${t.quantity} >= 0`),
  ],
);

/** One batch of a product at a depot, with its expiry. quantity is the ledger's sum, kept by trigger, never below 0. */
export const stockBatches = pgTable(
  'stock_batches',
  {
    id: id(),
    product_id: uuid('product_id').notNull(),
    depot_id: uuid('depot_id').notNull(),
    batch_code: text('batch_code').notNull(),
    expiry_date: date('expiry_date', { mode: 'string' }).notNull(),
    quantity: integer('quantity').notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'stock_batches_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    foreignKey({ name: 'stock_batches_depot_id_fk', columns: [t.depot_id], foreignColumns: [depots.id] }).onDelete('restrict'),
    unique('stock_batches_code_key').on(t.product_id, t.depot_id, t.batch_code),
    // The target of stock_movements' composite FK: a movement's product and depot are its batch's.
    unique('stock_batches_id_product_depot_key').on(t.id, t.product_id, t.depot_id),
    check('stock_batches_quantity_nonnegative', sql`${t.quantity} >= 0`),
    check('stock_batches_code_valid', sql`length(trim(${t.batch_code})) between 1 and 60`),
    // FEFO: a depot's batches of a product by expiry, only those with stock.
    index('stock_batches_fefo_idx').on(t.product_id, t.depot_id, t.expiry_date).where(sql`${t.quantity} > 0`),
    index('stock_batches_expiry_idx').on(t.expiry_date).where(sql`${t.quantity} > 0`),
  ],
);

/**
 * receipt (from a purchase order), dispatch (to a run), return (from a run), wastage, spoilage, transfer_out/in
 * (between depots, two lines sharing transfer_id), adjustment (counted), expiry (the daily write-off).
 */
export const stockMovementKind = pgEnum('stock_movement_kind', ['receipt', 'dispatch', 'return', 'wastage', 'spoilage', 'transfer_out', 'transfer_in', 'adjustment', 'expiry']);
export const runShift = pgEnum('stock_run_shift', ['morning', 'evening']);

export const purchaseOrderStatus = pgEnum('purchase_order_status', ['draft', 'approved', 'sent', 'partially_received', 'received', 'cancelled']);

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: id(),
    number: integer('number').generatedAlwaysAsIdentity().notNull(),
    supplier_id: uuid('supplier_id').notNull(),
    depot_id: uuid('depot_id').notNull(),
    status: purchaseOrderStatus('status').notNull().default('draft'),
    expected_date: date('expected_date', { mode: 'string' }),
    note: text('note').notNull().default(''),
    total_paise: integer('total_paise').notNull().default(0),
    created_by: uuid('created_by').notNull(),
    approved_by: uuid('approved_by'),
    approved_at: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    sent_at: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    received_at: timestamp('received_at', { withTimezone: true, mode: 'date' }),
    cancelled_at: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    cancel_reason: text('cancel_reason'),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    unique('purchase_orders_number_key').on(t.number),
    foreignKey({ name: 'purchase_orders_supplier_id_fk', columns: [t.supplier_id], foreignColumns: [suppliers.id] }).onDelete('restrict'),
    foreignKey({ name: 'purchase_orders_depot_id_fk', columns: [t.depot_id], foreignColumns: [depots.id] }).onDelete('restrict'),
    foreignKey({ name: 'purchase_orders_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('restrict'),
    foreignKey({ name: 'purchase_orders_approved_by_fk', columns: [t.approved_by], foreignColumns: [users.id] }).onDelete('restrict'),
    // Four eyes: whoever drafted an order cannot approve it.
    check('purchase_orders_approver_differs', sql`${t.approved_by} is null or ${t.approved_by} <> ${t.created_by}`),
    check('purchase_orders_approval_consistent', sql`(${t.approved_by} is null) = (${t.approved_at} is null) and (${t.status} in ('draft', 'cancelled') or ${t.approved_by} is not null)`),
    check('purchase_orders_cancel_consistent', sql`(${t.status} = 'cancelled') = (${t.cancelled_at} is not null)`),
    check('purchase_orders_total_nonnegative', sql`${t.total_paise} >= 0`),
    index('purchase_orders_status_idx').on(t.status, t.created_at),
    index('purchase_orders_supplier_idx').on(t.supplier_id, t.created_at),
    index('purchase_orders_depot_idx').on(t.depot_id, t.status),
    index('purchase_orders_created_idx').on(t.created_at, t.id),
  ],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: id(),
    purchase_order_id: uuid('purchase_order_id').notNull(),
    product_id: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unit_price_paise: integer('unit_price_paise').notNull(),
    quantity_accepted: integer('quantity_accepted').notNull().default(0),
    quantity_rejected: integer('quantity_rejected').notNull().default(0),
  },
  (t) => [
    foreignKey({ name: 'purchase_order_lines_order_fk', columns: [t.purchase_order_id], foreignColumns: [purchaseOrders.id] }).onDelete('cascade'),
    foreignKey({ name: 'purchase_order_lines_product_id_fk', columns: [t.product_id], foreignColumns: [products.id] }).onDelete('restrict'),
    unique('purchase_order_lines_product_key').on(t.purchase_order_id, t.product_id),
    check('purchase_order_lines_quantity_positive', sql`${t.quantity} between 1 and 1000000`),
    check('purchase_order_lines_price_nonnegative', sql`${t.unit_price_paise} >= 0`),
    // Received goods (accepted and rejected) never exceed what was ordered: a second receipt of the same goods fails.
    check('purchase_order_lines_not_over_received', sql`${t.quantity_accepted} >= 0 and ${t.quantity_rejected} >= 0 and ${t.quantity_accepted} + ${t.quantity_rejected} <= ${t.quantity}`),
  ],
);

export const stockMovements = pgTable(
  'stock_movements',
  {
    id: id(),
    kind: stockMovementKind('kind').notNull(),
    product_id: uuid('product_id').notNull(),
    depot_id: uuid('depot_id').notNull(),
    batch_id: uuid('batch_id').notNull(),
    /** Signed: what the line adds to the batch (dispatch, wastage, spoilage, transfer_out, expiry take away). */
    quantity: integer('quantity').notNull(),
    reason: text('reason').notNull().default(''),
    /** The run a dispatch or return belongs to: date, shift and staff of its run sheet. */
    run_date: date('run_date', { mode: 'string' }),
    run_shift: runShift('run_shift'),
    staff_id: uuid('staff_id'),
    purchase_order_line_id: uuid('purchase_order_line_id'),
    /** The two lines of one transfer share it. */
    transfer_id: uuid('transfer_id'),
    created_by: uuid('created_by'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'stock_movements_batch_fk', columns: [t.batch_id, t.product_id, t.depot_id], foreignColumns: [stockBatches.id, stockBatches.product_id, stockBatches.depot_id] }).onDelete('restrict'),
    foreignKey({ name: 'stock_movements_staff_id_fk', columns: [t.staff_id], foreignColumns: [staff.id] }).onDelete('restrict'),
    foreignKey({ name: 'stock_movements_po_line_fk', columns: [t.purchase_order_line_id], foreignColumns: [purchaseOrderLines.id] }).onDelete('restrict'),
    foreignKey({ name: 'stock_movements_created_by_fk', columns: [t.created_by], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'stock_movements_sign_by_kind',
      sql`case when ${t.kind} in ('receipt', 'return', 'transfer_in') then ${t.quantity} > 0 when ${t.kind} = 'adjustment' then ${t.quantity} <> 0 else ${t.quantity} < 0 end`,
    ),
    check('stock_movements_reason_given', sql`${t.kind} not in ('wastage', 'spoilage', 'adjustment') or length(trim(${t.reason})) between 3 and 500`),
    check('stock_movements_run_given', sql`(${t.kind} in ('dispatch', 'return')) = (${t.run_date} is not null and ${t.run_shift} is not null and ${t.staff_id} is not null)`),
    check('stock_movements_receipt_has_line', sql`(${t.kind} = 'receipt') = (${t.purchase_order_line_id} is not null)`),
    check('stock_movements_transfer_has_id', sql`(${t.kind} in ('transfer_out', 'transfer_in')) = (${t.transfer_id} is not null)`),
    index('stock_movements_product_depot_idx').on(t.product_id, t.depot_id, t.created_at),
    index('stock_movements_batch_idx').on(t.batch_id),
    index('stock_movements_created_idx').on(t.created_at, t.id),
    index('stock_movements_kind_idx').on(t.kind, t.created_at),
    index('stock_movements_run_idx').on(t.run_date, t.run_shift, t.staff_id).where(sql`${t.run_date} is not null`),
    index('stock_movements_po_line_idx').on(t.purchase_order_line_id).where(sql`${t.purchase_order_line_id} is not null`),
  ],
);
