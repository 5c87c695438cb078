import { sql } from 'drizzle-orm';
import { bigint, check, customType, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './access.js';

// Background exports (issue 14 item 2): a job per export, claimed by any API process with FOR UPDATE SKIP LOCKED; the
// list's ids are fixed when it starts (export_job_ids, in the list's order), then each batch of rows is written as one
// chunk of the file (export_chunks) in its own short transaction, with the progress, so a reader sees it move and a
// process that dies leaves a job the next one takes over (its heartbeat stops).

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const exportJobStatus = pgEnum('export_job_status', ['queued', 'running', 'done', 'failed']);

export const exportJobs = pgTable(
  'export_jobs',
  {
    id: id(),
    user_id: uuid('user_id').notNull(),
    /** The list (GET /api/<resource>/export) and its query string: filters, q, _sort, _order. */
    resource: text('resource').notNull(),
    format: text('format').notNull(),
    params: text('params').notNull().default(''),
    status: exportJobStatus('status').notNull().default('queued'),
    rows_done: integer('rows_done').notNull().default(0),
    rows_total: integer('rows_total'),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    heartbeat_at: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }),
    created_at: createdAt(),
    started_at: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finished_at: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** The file is kept until then (24 hours after it was finished). */
    expires_at: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    foreignKey({ name: 'export_jobs_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('cascade'),
    check('export_jobs_format_valid', sql`${t.format} in ('csv', 'xlsx', 'json')`),
    check('export_jobs_progress_valid', sql`${t.rows_done} >= 0 and (${t.rows_total} is null or ${t.rows_total} >= 0) and ${t.bytes} >= 0 and ${t.attempts} >= 0`),
    check('export_jobs_finished_consistent', sql`(${t.status} in ('done', 'failed')) = (${t.finished_at} is not null) and (${t.status} = 'done') = (${t.expires_at} is not null) and (${t.status} = 'failed') = (${t.error} is not null)`),
    index('export_jobs_queue_idx').on(t.created_at).where(sql`${t.status} in ('queued', 'running')`),
    index('export_jobs_user_idx').on(t.user_id, t.created_at),
    index('export_jobs_expires_idx').on(t.expires_at).where(sql`${t.expires_at} is not null`),
  ],
);

export const exportJobIds = pgTable(
  'export_job_ids',
  {
    job_id: uuid('job_id').notNull(),
    seq: integer('seq').notNull(),
    id: uuid('id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'export_job_ids_pkey', columns: [t.job_id, t.seq] }),
    foreignKey({ name: 'export_job_ids_job_fk', columns: [t.job_id], foreignColumns: [exportJobs.id] }).onDelete('cascade'),
  ],
);

export const exportChunks = pgTable(
  'export_chunks',
  {
    job_id: uuid('job_id').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ name: 'export_chunks_pkey', columns: [t.job_id, t.seq] }),
    foreignKey({ name: 'export_chunks_job_fk', columns: [t.job_id], foreignColumns: [exportJobs.id] }).onDelete('cascade'),
  ],
);
