import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './access.js';

export const importRunStatus = pgEnum('import_run_status', ['running', 'completed', 'failed']);

// One run of the legacy importer; the admin shows the last one's report.
export const importRuns = pgTable(
  'import_runs',
  {
    id: id(),
    started_at: timestamp('started_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    finished_at: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    status: importRunStatus('status').notNull().default('running'),
    dry_run: boolean('dry_run').notNull().default(false),
    source: text('source').notNull(),
    report: jsonb('report'),
    error: text('error'),
    actor_id: uuid('actor_id'),
  },
  (t) => [
    foreignKey({ name: 'import_runs_actor_id_fk', columns: [t.actor_id], foreignColumns: [users.id] }).onDelete('set null'),
    check('import_runs_finished_consistent', sql`(${t.status} = 'running') = (${t.finished_at} is null)`),
    index('import_runs_started_idx').on(t.started_at),
  ],
);

// The old system's ids (ObjectId hex and UUID) of every imported document: both forms resolve to the same record,
// and the unique indexes make a second run import nothing twice (claimed with ON CONFLICT DO NOTHING).
export const legacyIds = pgTable(
  'legacy_ids',
  {
    id: id(),
    collection: text('collection').notNull(),
    legacy_oid: text('legacy_oid'),
    legacy_uuid: uuid('legacy_uuid'),
    record_id: uuid('record_id').notNull(),
    run_id: uuid('run_id'),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'legacy_ids_run_id_fk', columns: [t.run_id], foreignColumns: [importRuns.id] }).onDelete('set null'),
    uniqueIndex('legacy_ids_collection_oid_key').on(t.collection, t.legacy_oid),
    uniqueIndex('legacy_ids_collection_uuid_key').on(t.collection, t.legacy_uuid),
    check('legacy_ids_some_id', sql`${t.legacy_oid} is not null or ${t.legacy_uuid} is not null`),
    check('legacy_ids_oid_format', sql`${t.legacy_oid} is null or ${t.legacy_oid} ~ '^[0-9a-f]{24}$'`),
    index('legacy_ids_record_idx').on(t.record_id),
  ],
);

export const importAnomalyKind = pgEnum('import_anomaly_kind', [
  'orphan_order',
  'phantom_delivery',
  'duplicate_delivery_mark',
  'rejected_document',
  'customer_without_user',
  'merged_record',
  'unmatched_billing_record',
  'unbilled_delivery',
]);

// What an import found wrong in the old data, listed on the data-health page for a person to review.
export const importAnomalies = pgTable(
  'import_anomalies',
  {
    id: id(),
    run_id: uuid('run_id').notNull(),
    kind: importAnomalyKind('kind').notNull(),
    collection: text('collection').notNull(),
    legacy_id: text('legacy_id'),
    record_id: uuid('record_id'),
    detail: jsonb('detail').notNull().default({}),
    created_at: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'import_anomalies_run_id_fk', columns: [t.run_id], foreignColumns: [importRuns.id] }).onDelete('cascade'),
    index('import_anomalies_run_kind_idx').on(t.run_id, t.kind),
  ],
);
