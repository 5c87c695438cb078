import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { dbObserver } from '../../db/client.js';

/**
 * The Prometheus metrics of this process (GET /metrics, api/modules/metrics). Counters and histograms count what
 * THIS process did since it started: with several API processes Prometheus scrapes each and sums them. Gauges that
 * describe the business (notifications waiting, database connections) are read from the database at each scrape, so
 * every process answers the same.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds; 1 s is a bucket bound because the p99 alert's threshold is 1 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered by this process, by route pattern (never the raw path), method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});
export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
export const validationFailures = new Counter({
  name: 'milkrun_validation_failures_total',
  help: 'Requests refused as bad input (400: the schema, the list parameters or the body), by route pattern',
  labelNames: ['route'] as const,
  registers: [registry],
});
export const billingRecordsCreated = new Counter({
  name: 'milkrun_billing_records_created_total',
  help: 'Billing records written by this process (committed delivery confirmations and imports)',
  registers: [registry],
});
export const auditRowsWritten = new Counter({
  name: 'milkrun_audit_rows_written_total',
  help: 'Audit rows written by this process (counted when their transaction commits)',
  registers: [registry],
});
export const invoiceRuns = new Counter({
  name: 'milkrun_invoice_runs_total',
  help: 'Invoice runs started, completed and failed in this process',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
export const webhooksReceived = new Counter({
  name: 'milkrun_webhooks_received_total',
  help: 'Gateway webhook events with a good signature, applied or ignored (duplicates not included)',
  registers: [registry],
});
export const webhooksDuplicate = new Counter({
  name: 'milkrun_webhooks_duplicate_total',
  help: 'Gateway webhook events seen before (same event id): answered, nothing done again',
  registers: [registry],
});
export const webhooksRefused = new Counter({
  name: 'milkrun_webhooks_refused_total',
  help: 'Gateway webhook calls refused (bad or missing signature, bad body)',
  registers: [registry],
});
export const dbQueryDuration = new Histogram({
  name: 'milkrun_db_query_duration_seconds',
  help: 'PostgreSQL statements of this process, from sending to the answer (pool wait included), by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15],
  registers: [registry],
});
export const dbQueriesInFlight = new Gauge({
  name: 'milkrun_db_queries_in_flight',
  help: 'PostgreSQL statements of this process sent and not yet answered (the pool connections in use, at most the pool size)',
  registers: [registry],
});
export const dbPoolSize = new Gauge({
  name: 'milkrun_db_pool_max_connections',
  help: 'The most PostgreSQL connections this process opens (its pool size); 1 on the embedded database',
  registers: [registry],
});
export const dbConnections = new Gauge({
  name: 'milkrun_db_connections',
  help: "Connections to this database by state, all processes together (pg_stat_activity, read at each scrape)",
  labelNames: ['state'] as const,
  registers: [registry],
});
export const notificationsWaiting = new Gauge({
  name: 'milkrun_notifications_waiting',
  help: 'Outbox messages not sent yet (pending or being sent), by channel; read from the database at each scrape',
  labelNames: ['channel'] as const,
  registers: [registry],
});
export const notificationsOldestWaiting = new Gauge({
  name: 'milkrun_notifications_oldest_waiting_seconds',
  help: 'Age of the oldest outbox message not sent yet (0 when none); read from the database at each scrape',
  registers: [registry],
});
export const notificationsDead = new Gauge({
  name: 'milkrun_notifications_dead',
  help: 'Outbox messages given up on; read from the database at each scrape',
  registers: [registry],
});
export const alertsOpen = new Gauge({
  name: 'milkrun_alerts_open',
  help: 'Alert incidents fired and not cleared, by rule kind; read from the database at each scrape',
  labelNames: ['kind'] as const,
  registers: [registry],
});

// The pool's statements, as db/client.ts reports them.
dbObserver.started = () => dbQueriesInFlight.inc();
dbObserver.finished = (seconds, failed) => {
  dbQueriesInFlight.dec();
  dbQueryDuration.observe({ outcome: failed ? 'error' : 'ok' }, seconds);
};
dbObserver.poolSize = (max) => dbPoolSize.set(max);
