import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './access.js';
import { gatewayPayments } from './gateway.js';

// Settlement reconciliation (issue 12, item 5): the gateway's settlement files as finance uploads them, each line
// matched to a captured gateway payment (which then shows its UTR), and a queue of what does not add up. A file is
// kept once (its SHA-256), a payment settled once (its id unique among the lines): uploading again changes nothing.
// Uploads and lines are append-only; an exception changes once, when someone resolves it (triggers in the migration).

export const settlementUploads = pgTable(
  'settlement_uploads',
  {
    id: id(),
    file_sha256: text('file_sha256').notNull(),
    file_name: text('file_name').notNull(),
    uploaded_by: uuid('uploaded_by'),
    line_count: integer('line_count').notNull(),
    matched_count: integer('matched_count').notNull(),
    exception_count: integer('exception_count').notNull(),
    /** Lines already recorded by an earlier file (kept there, not again here). */
    skipped_count: integer('skipped_count').notNull().default(0),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    fee_paise: bigint('fee_paise', { mode: 'number' }).notNull(),
    tax_paise: bigint('tax_paise', { mode: 'number' }).notNull(),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('settlement_uploads_file_key').on(t.file_sha256),
    foreignKey({ name: 'settlement_uploads_uploaded_by_fk', columns: [t.uploaded_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('settlement_uploads_sha256_format', sql`${t.file_sha256} ~ '^[0-9a-f]{64}$' and length(${t.file_name}) between 1 and 200`),
    check(
      'settlement_uploads_counts_valid',
      sql`${t.line_count} >= 0 and ${t.matched_count} >= 0 and ${t.exception_count} >= 0 and ${t.skipped_count} >= 0
      and ${t.matched_count} + ${t.exception_count} + ${t.skipped_count} = ${t.line_count}
      and ${t.amount_paise} >= 0 and ${t.fee_paise} >= 0 and ${t.tax_paise} >= 0`,
    ),
    index('settlement_uploads_created_idx').on(t.created_at, t.id),
    index('settlement_uploads_lines_idx').on(t.line_count, t.id),
    index('settlement_uploads_name_trgm_idx').using('gin', sql`${t.file_name} gin_trgm_ops`),
  ],
);

/** What a line of a settlement file is to us: a captured payment of that amount, or an exception. */
export const settlementLineStatus = pgEnum('settlement_line_status', ['matched', 'unknown_payment', 'amount_mismatch', 'not_captured']);

export const settlementLines = pgTable(
  'settlement_lines',
  {
    id: id(),
    upload_id: uuid('upload_id').notNull(),
    line_no: integer('line_no').notNull(),
    settlement_id: text('settlement_id').notNull(),
    utr: text('utr').notNull(),
    /** The gateway's payment id as the file names it (pay_...). */
    payment_ref: text('payment_ref').notNull(),
    amount_paise: bigint('amount_paise', { mode: 'number' }).notNull(),
    fee_paise: bigint('fee_paise', { mode: 'number' }).notNull(),
    tax_paise: bigint('tax_paise', { mode: 'number' }).notNull(),
    settled_at: timestamp('settled_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: settlementLineStatus('status').notNull(),
    /** The gateway payment it names, when we have it. */
    gateway_payment_id: uuid('gateway_payment_id'),
    created_at: createdAt(),
  },
  (t) => [
    // A payment is settled once: the same line in a second file (or the same file again) is not recorded again.
    uniqueIndex('settlement_lines_payment_key').on(t.payment_ref),
    uniqueIndex('settlement_lines_upload_line_key').on(t.upload_id, t.line_no),
    foreignKey({ name: 'settlement_lines_upload_fk', columns: [t.upload_id], foreignColumns: [settlementUploads.id] }).onDelete('restrict'),
    foreignKey({ name: 'settlement_lines_gateway_payment_fk', columns: [t.gateway_payment_id], foreignColumns: [gatewayPayments.id] }).onDelete('restrict'),
    check('settlement_lines_amounts_valid', sql`${t.amount_paise} > 0 and ${t.amount_paise} <= 1000000000 and ${t.fee_paise} >= 0 and ${t.tax_paise} >= 0 and ${t.fee_paise} + ${t.tax_paise} <= ${t.amount_paise}`),
    check(
      'settlement_lines_text_valid',
      sql`length(${t.settlement_id}) between 1 and 100 and length(${t.utr}) between 1 and 50 and length(${t.payment_ref}) between 1 and 100 and ${t.line_no} >= 1`,
    ),
    // Only a line naming none of our payments has none.
    check('settlement_lines_payment_when_known', sql`(${t.status} = 'unknown_payment') = (${t.gateway_payment_id} is null)`),
    index('settlement_lines_upload_idx').on(t.upload_id, t.line_no),
    index('settlement_lines_gateway_payment_idx').on(t.gateway_payment_id),
    index('settlement_lines_settled_idx').on(t.settled_at, t.id),
    index('settlement_lines_amount_idx').on(t.amount_paise, t.id),
    index('settlement_lines_status_idx').on(t.status, t.settled_at),
    index('settlement_lines_utr_idx').on(t.utr),
    // The lines' search (q): payment id, UTR or settlement id, any part of them.
    index('settlement_lines_payment_ref_trgm_idx').using('gin', sql`${t.payment_ref} gin_trgm_ops`),
    index('settlement_lines_utr_trgm_idx').using('gin', sql`${t.utr} gin_trgm_ops`),
    index('settlement_lines_settlement_trgm_idx').using('gin', sql`${t.settlement_id} gin_trgm_ops`),
  ],
);

export const settlementExceptionKind = pgEnum('settlement_exception_kind', ['unknown_payment', 'amount_mismatch', 'not_captured', 'not_settled']);
export const settlementExceptionStatus = pgEnum('settlement_exception_status', ['open', 'resolved']);

export const settlementExceptions = pgTable(
  'settlement_exceptions',
  {
    id: id(),
    kind: settlementExceptionKind('kind').notNull(),
    status: settlementExceptionStatus('status').notNull().default('open'),
    /** The line that does not add up (all kinds but not_settled). */
    settlement_line_id: uuid('settlement_line_id'),
    /** The gateway payment concerned, when we have it. */
    gateway_payment_id: uuid('gateway_payment_id'),
    expected_paise: bigint('expected_paise', { mode: 'number' }),
    actual_paise: bigint('actual_paise', { mode: 'number' }),
    detail: text('detail').notNull(),
    resolved_by: uuid('resolved_by'),
    resolved_at: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolution: text('resolution'),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('settlement_exceptions_line_key').on(t.settlement_line_id),
    // One "not settled" per payment: the scan finds it again every hour and adds nothing.
    uniqueIndex('settlement_exceptions_not_settled_key').on(t.gateway_payment_id).where(sql`${t.kind} = 'not_settled'`),
    foreignKey({ name: 'settlement_exceptions_line_fk', columns: [t.settlement_line_id], foreignColumns: [settlementLines.id] }).onDelete('restrict'),
    foreignKey({ name: 'settlement_exceptions_gateway_payment_fk', columns: [t.gateway_payment_id], foreignColumns: [gatewayPayments.id] }).onDelete('restrict'),
    foreignKey({ name: 'settlement_exceptions_resolved_by_fk', columns: [t.resolved_by], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'settlement_exceptions_subject',
      sql`(${t.kind} = 'not_settled') = (${t.settlement_line_id} is null)
      and (${t.kind} = 'unknown_payment' or ${t.gateway_payment_id} is not null)`,
    ),
    check(
      'settlement_exceptions_resolution_consistent',
      sql`(${t.status} = 'resolved') = (${t.resolved_at} is not null)
      and (${t.resolved_at} is null or length(trim(coalesce(${t.resolution}, ''))) > 0)
      and (${t.resolution} is null or ${t.resolved_at} is not null)
      and (${t.resolved_by} is null or ${t.resolved_at} is not null)
      and length(${t.detail}) <= 500 and coalesce(length(${t.resolution}), 0) <= 500`,
    ),
    index('settlement_exceptions_created_idx').on(t.created_at, t.id),
    index('settlement_exceptions_kind_idx').on(t.kind, t.created_at),
    index('settlement_exceptions_status_idx').on(t.status, t.created_at),
    index('settlement_exceptions_payment_idx').on(t.gateway_payment_id),
    index('settlement_exceptions_detail_trgm_idx').using('gin', sql`${t.detail} gin_trgm_ops`),
  ],
);
