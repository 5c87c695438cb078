import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.js';
import { users } from './access.js';

// The data-health checks run in the background (seconds on a big database); the page shows the last finished run.
export const dataHealthRuns = pgTable(
  'data_health_runs',
  {
    id: id(),
    started_at: timestamp('started_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    finished_at: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** { ok, checks } as GET /api/data-health shows them; null while running or when the run failed. */
    result: jsonb('result'),
    error: text('error'),
    started_by: uuid('started_by'),
  },
  (t) => [
    foreignKey({ name: 'data_health_runs_started_by_fk', columns: [t.started_by], foreignColumns: [users.id] }).onDelete('set null'),
    check('data_health_runs_finished_consistent', sql`${t.finished_at} is not null or (${t.result} is null and ${t.error} is null)`),
    // One run at a time, whichever API process starts it (a second start finds this one running).
    uniqueIndex('data_health_runs_one_running').on(sql`(true)`).where(sql`${t.finished_at} is null`),
    index('data_health_runs_finished_idx').on(t.finished_at),
  ],
);
