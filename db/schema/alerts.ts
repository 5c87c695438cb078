import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

// What an alert rule watches; each kind is one query in api/modules/alerts/alert-checks.ts.
export const alertKind = pgEnum('alert_kind', ['data_health_broken', 'error_rate', 'p99_latency', 'invoice_run_failed', 'unbilled_at_midnight', 'notifications_backlog']);

// Alert rules are data: a kind, a threshold (in the kind's unit: a count, basis points of requests, milliseconds) and
// the window it looks back over. An admin edits them; the alert job reads them each minute.
export const alertRules = pgTable(
  'alert_rules',
  {
    id: id(),
    kind: alertKind('kind').notNull(),
    name: text('name').notNull(),
    threshold: integer('threshold').notNull(),
    window_minutes: integer('window_minutes').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (t) => [
    uniqueIndex('alert_rules_name_key').on(t.name),
    check('alert_rules_name_valid', sql`length(btrim(${t.name})) between 3 and 80`),
    check('alert_rules_threshold_valid', sql`${t.threshold} between 0 and 100000000`),
    // Up to a week: the checks read request statistics and rows of that window, kept for 8 days.
    check('alert_rules_window_valid', sql`${t.window_minutes} between 1 and 10080`),
  ],
);

// Incidents: a rule fired (its value went over the threshold) and, later, cleared. One open incident per rule, so
// two API processes checking at once cannot fire the same incident twice.
export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    rule_id: uuid('rule_id').notNull(),
    fired_at: timestamp('fired_at', { withTimezone: true, mode: 'date' }).defaultNow().notNull(),
    cleared_at: timestamp('cleared_at', { withTimezone: true, mode: 'date' }),
    /** The measured value when it fired, and the threshold it passed then (a later edit of the rule changes neither). */
    value: integer('value').notNull(),
    threshold: integer('threshold').notNull(),
    /** The last value seen while open, and the one seen when it cleared (null when cleared by disabling the rule). */
    last_value: integer('last_value').notNull(),
    cleared_value: integer('cleared_value'),
    note: text('note'),
  },
  (t) => [
    foreignKey({ name: 'alerts_rule_id_fk', columns: [t.rule_id], foreignColumns: [alertRules.id] }).onDelete('restrict'),
    uniqueIndex('alerts_one_open_per_rule').on(t.rule_id).where(sql`${t.cleared_at} is null`),
    check('alerts_cleared_after_fired', sql`${t.cleared_at} is null or ${t.cleared_at} >= ${t.fired_at}`),
    check('alerts_values_nonnegative', sql`${t.value} >= 0 and ${t.threshold} >= 0 and ${t.last_value} >= 0 and coalesce(${t.cleared_value}, 0) >= 0`),
    index('alerts_fired_idx').on(t.fired_at, t.id),
    index('alerts_rule_idx').on(t.rule_id, t.fired_at),
  ],
);

// Request counts and latencies per minute and per API process, flushed by each process every few seconds: the error
// rate and p99 alerts read all processes' rows, not one process's memory. Pruned after 8 days.
export const requestStats = pgTable(
  'request_stats',
  {
    minute: timestamp('minute', { withTimezone: true, mode: 'date' }).notNull(),
    process_id: text('process_id').notNull(),
    requests: integer('requests').notNull().default(0),
    /** Answers with a 5xx status. */
    errors: integer('errors').notNull().default(0),
    /** Requests per latency bucket (api/modules/alerts/request-stats.ts LATENCY_BOUNDS_MS; the last is "slower"). */
    buckets: integer('buckets').array().notNull(),
  },
  (t) => [
    primaryKey({ name: 'request_stats_pkey', columns: [t.minute, t.process_id] }),
    check('request_stats_counts_valid', sql`${t.requests} >= 0 and ${t.errors} between 0 and ${t.requests}`),
    check('request_stats_minute_whole', sql`${t.minute} = date_trunc('minute', ${t.minute})`),
  ],
);
