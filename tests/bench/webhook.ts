import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../api/lib/sql.js';
import { signBody } from '../../api/modules/gateway/signature.js';
import type { Client } from './http.js';
import { cpuMeter } from './cpu.js';
import type { Ctx } from '../../api/lib/context.js';
import { monthBounds } from '../../api/lib/dates.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { anyOf } from '../../api/lib/rest.js';

/**
 * w. Webhook ingest: Razorpay payment.captured events POSTed to /api/webhooks/razorpay, signed, at `concurrency` clients,
 * one in ten a copy of an earlier event (the same id and body: Razorpay retrying), for customers of the business with
 * the month's invoice open (invoiced here first, one run per customer). Each captured payment is recorded and settles
 * their oldest invoice: most in part, one in eight beyond the bill, the rest wallet credit (after which that customer's
 * payments are all credit). Then, in the database: exactly one event row, one gateway payment and one payment per
 * event id, whatever the copies.  Targets: >= 500 events/s, p99 < 50 ms.
 */
export interface WebhookResult {
  events: number;
  unique: number;
  duplicates: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  statuses: Record<string, number>;
  answered_duplicate: number;
  /** Customers paying (each with the month's invoice open at the start), and invoices the bench issued for them. */
  customers: number;
  invoiced_by_bench: number;
  in_db: { events: number; gateway_payments: number; payments: number; payments_twice: number; allocations_of_bench: number; wallet_lots_of_bench: number };
  one_effect_per_event: boolean;
  /** CPU per request of the measured phase (ms): the API process, PostgreSQL's backends of this database, the load generator. */
  cpu_ms_per_request: { server: number; postgres: number; client: number };
}

export async function benchWebhook(
  db: Db,
  opts: {
    client: Client;
    ctx: Ctx;
    /** The month billed (YYYY-MM) and the day its invoices are dated. */
    month: string;
    invoiceDate: string;
    secret: string;
    concurrency: number;
    count: number;
    duplicateShare: number;
    warmup: number;
    serverPid: number;
    database: string;
    log: (l: string) => void;
  },
): Promise<WebhookResult> {
  const run = randomUUID().replace(/-/g, '').slice(0, 10);
  const { customers, invoiced } = await customersOwing(db, opts.ctx, opts.month, opts.invoiceDate, opts.log);
  if (!customers.length) throw new Error('webhook bench: no customers with an open invoice');
  const event = (i: number, prefix: string) => {
    const id = `pay_B${run}${prefix}${i}`;
    const body = JSON.stringify({
      entity: 'event',
      account_id: 'acc_Bench',
      event: 'payment.captured',
      contains: ['payment'],
      payload: {
        payment: {
          entity: {
            id,
            entity: 'payment',
            // ₹50-99 (part of the month's bill), one in eight ₹2,000 more (the bill and some over: credit).
            amount: 5000 + (i % 50) * 100 + (i % 8 === 7 ? 200_000 : 0),
            currency: 'INR',
            status: 'captured',
            method: 'upi',
            email: 'bench@example.com',
            contact: '+919800000000',
            notes: { customer_id: customers[i % customers.length] },
            created_at: Math.floor(Date.now() / 1000) - 60,
          },
        },
      },
      created_at: Math.floor(Date.now() / 1000),
    });
    return { eventId: `evt_B${run}${prefix}${i}`, body, signature: signBody(body, opts.secret) };
  };
  // The client sends JSON.stringify(body): for a body made by JSON.stringify that is the same bytes, which were signed.
  const send = (e: ReturnType<typeof event>) =>
    opts.client.request({
      method: 'POST',
      path: '/api/webhooks/razorpay',
      body: JSON.parse(e.body) as unknown,
      headers: { 'x-razorpay-event-id': e.eventId, 'x-razorpay-signature': e.signature },
    });

  // Warm-up (other ids), so the measured phase does not pay for first plans and connections.
  const warm = Array.from({ length: opts.warmup }, (_, i) => event(i, 'w'));
  await pool(warm, opts.concurrency, async (e) => void (await send(e)));
  await analyzeChanged(db, opts.log);

  const unique = Array.from({ length: opts.count }, (_, i) => event(i, 'm'));
  // One in ten requests is a copy of an event sent before it (a retry); copies of one id may be in flight at once.
  const duplicates = Math.round((opts.count * opts.duplicateShare) / (1 - opts.duplicateShare));
  const sequence: ReturnType<typeof event>[] = [...unique];
  for (let d = 0; d < duplicates; d++) {
    const of = Math.floor(Math.random() * unique.length);
    const at = of + 1 + Math.floor(Math.random() * Math.min(64, sequence.length - of));
    sequence.splice(Math.min(at, sequence.length), 0, unique[of]);
  }
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let answeredDuplicate = 0;
  const meter = cpuMeter(opts.serverPid, opts.database);
  const t0 = performance.now();
  await pool(sequence, opts.concurrency, async (e) => {
    const s = performance.now();
    const res = await send(e);
    latencies.push(performance.now() - s);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status === 200 && (JSON.parse(res.body) as { duplicate?: boolean }).duplicate) answeredDuplicate++;
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter();
  const perRequest = (s: number) => Math.round((s * 1e5) / sequence.length) / 100;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;

  const like = `pay_B${run}m%`;
  const [counts] = rowsOf<WebhookResult['in_db']>(
    await db.execute(sql`select
      (select count(*)::int from gateway_events where event_id like ${`evt_B${run}m%`}) as events,
      (select count(*)::int from gateway_payments where gateway_payment_id like ${like}) as gateway_payments,
      (select count(*)::int from payments where method = 'gateway' and reference like ${like}) as payments,
      (select count(*)::int from (select reference from payments where method = 'gateway' and reference like ${like} group by reference having count(*) > 1) x) as payments_twice,
      (select count(*)::int from payment_allocations a join payments p on p.id = a.payment_id where p.method = 'gateway' and p.reference like ${like}) as allocations_of_bench,
      (select count(*)::int from wallet_lots l join payments p on p.id = l.payment_id where p.method = 'gateway' and p.reference like ${like}) as wallet_lots_of_bench`),
  );
  const oneEffect =
    counts.events === unique.length && counts.gateway_payments === unique.length && counts.payments === unique.length && counts.payments_twice === 0 && answeredDuplicate === duplicates;
  const result: WebhookResult = {
    events: sequence.length,
    unique: unique.length,
    duplicates,
    customers: customers.length,
    invoiced_by_bench: invoiced,
    seconds: Math.round(seconds * 100) / 100,
    per_second: Math.round(sequence.length / seconds),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    max_ms: Math.round(latencies[latencies.length - 1] * 10) / 10,
    statuses,
    answered_duplicate: answeredDuplicate,
    in_db: counts,
    one_effect_per_event: oneEffect,
    cpu_ms_per_request: { server: perRequest(cpu.server_s), postgres: perRequest(cpu.postgres_s), client: perRequest(cpu.client_s) },
  };
  opts.log(
    `    ${result.events} events (${result.unique} ids, ${result.duplicates} copies) in ${result.seconds} s: ${result.per_second}/s, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; ` +
      `statuses ${JSON.stringify(statuses)}; answered duplicate ${answeredDuplicate}; in the database ${JSON.stringify(counts)}: ${oneEffect ? 'one effect per event id' : 'NOT ONE EFFECT PER EVENT ID'}; ` +
      `CPU per request: server ${result.cpu_ms_per_request.server} ms, PostgreSQL ${result.cpu_ms_per_request.postgres} ms, load generator ${result.cpu_ms_per_request.client} ms`,
  );
  return result;
}

/** Customers the webhook's payments settle invoices of: up to this many, billed in the month and not yet invoiced. */
const OWING = 2000;

/**
 * Customers with the month's invoice open: a random sample of those billed in it, each invoiced here by its own run
 * (runInvoices for one customer, 30-45 ms each), so the month stays uninvoiced for everyone else (c's run, g's).
 */
async function customersOwing(db: Db, ctx: Ctx, month: string, invoiceDate: string, log: (l: string) => void): Promise<{ customers: string[]; invoiced: number }> {
  const { start, end } = monthBounds(month);
  const sample = rowsOf<{ id: string }>(
    await db.execute(sql`select c.id from customers c
      where exists (select 1 from billing_records b where b.customer_id = c.id and b.invoice_id is null and b.service_date between ${start}::date and ${end}::date)
      order by random() limit ${OWING}`),
  ).map((c) => c.id);
  const t0 = performance.now();
  let invoiced = 0;
  for (const id of sample) invoiced += (await runInvoices(ctx, { month, customer_id: id, invoice_date: invoiceDate })).invoices_created;
  const customers = rowsOf<{ id: string }>(
    await db.execute(sql`select distinct i.customer_id as id from invoices i
      where ${anyOf(sql`i.customer_id`, sample)} and i.status = 'issued' and i.balance_due_paise > 0`),
  ).map((c) => c.id);
  log(`    ${customers.length} customers with ${month}'s invoice open (${invoiced} invoiced by the bench in ${Math.round((performance.now() - t0) / 1000)} s)`);
  // The invoicing writes hundreds of MB of WAL: without a checkpoint now, max_wal_size starts one during the
  // measurements (seen once), and every page first written after it goes into the WAL whole.
  await db.execute(sql`checkpoint`);
  return { customers, invoiced };
}

/**
 * ANALYZE of the tables changed past autovacuum's threshold (50 rows + 10% of them), as autovacuum does within its
 * minute's round in production. The benchmark's business has taken no payments: each connection's first plans of the
 * webhook's statements (foreign-key checks, the triggers' lookups by id) see those tables as empty, read them whole,
 * and keep doing so until their statistics change, after the measured phase's end (3.9 ms of PostgreSQL's CPU per
 * event instead of 1.7-2.0, p99 228 ms instead of about 50). Measured is a business that has taken payments a minute.
 */
async function analyzeChanged(db: Db, log: (l: string) => void): Promise<void> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select format('%I.%I', s.schemaname, s.relname) as name from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) order by s.relname`),
  ).map((t) => t.name);
  if (!tables.length) return;
  await db.execute(sql.raw(`analyze ${tables.join(', ')}`));
  log(`    after the warm-up, analyzed what autovacuum would have: ${tables.join(', ')}`);
}

/** Runs `work` over `items` with at most `concurrency` at once, in order of the items. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await work(item);
      }
    }),
  );
}
