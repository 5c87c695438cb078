import { index, jsonb, pgTable, text, uuid, foreignKey } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './access.js';

// Append-only: the migration audit_append_only adds a trigger that refuses UPDATE and DELETE.
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: id(),
    created_at: createdAt(),
    user_id: uuid('user_id'),
    action: text('action').notNull(),
    table_name: text('table_name').notNull(),
    record_id: uuid('record_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    request_id: text('request_id'),
  },
  (t) => [
    foreignKey({ name: 'audit_logs_user_id_fk', columns: [t.user_id], foreignColumns: [users.id] }).onDelete('restrict'),
    index('audit_logs_table_record_idx').on(t.table_name, t.record_id),
    index('audit_logs_created_idx').on(t.created_at),
    index('audit_logs_user_idx').on(t.user_id),
  ],
);
