/**
 * npm run bench [-- --customers N] [--quick] [--reuse] [--only a,b,c,d]
 *
 * Builds a month of a business of N customers (default 50,000: about 1.5 million order lines) in a PostgreSQL database
 * it drops and recreates (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/milkrun_bench; the name must
 * start with milkrun_bench), then measures:
 *   a. one day's subscription orders: generateOrders against a hand-written INSERT ... SELECT   (target <= 1.5x)
 *   b. POST /api/deliveries/:id/confirm at 16 clients against the real server in a child process, and against a bare
 *      node:http server running the same three statements (session, read, write)   (target >= 0.7x its rate, p99 < 50 ms)
 *   c. the month's invoice run: runInvoices against a hand-written set-based SQL              (target <= 1.5x)
 *   d. GET /api/orders (first page by date, status=pending, x-total-count) at 16 clients against a bare node:http
 *      server checking the session with Milkrun's lookup, then reading the page and its count as a hand-written list
 *      would (three statements)                                        (target >= 0.7x its throughput, p99 < 100 ms)
 *   f. a narrow list: GET /api/orders of one day and one status (a count of hundreds to a few thousand rows), where the
 *      framework's cost shows, at 16 clients against the bare server's three statements   (target >= 0.7x its throughput)
 *   w. Razorpay webhook ingest: signed payment.captured events at 16 clients, one in ten a copy of an earlier one
 *      (target >= 500 events/s, p99 < 50 ms, exactly one effect per event id in the database)
 *   x. CSV export of every order line (tests/bench/export.ts) over HTTP, streamed to its end, against PostgreSQL's own
 *      COPY (the same rows) TO STDOUT read by the same client   (target >= 0.5x COPY's rows/s, API memory growth < 100 MB)
 *   v. inventory (tests/bench/forecast.ts): the 7-day demand forecast over the business (target < 2 s), equal per date,
 *      shift, product and depot to the orders generating those days then creates (in a rolled-back transaction)
 *   g. money (tests/bench/money.ts): the receivables page over the business, its requests mixed at 16 clients
 *      (target p99 < 1 s), and a customer's three-year statement on a business the demo generator gives three years of
 *      history (<name>_statements)                                                       (target p99 < 100 ms)
 * and prints a table; the figures go to tests/bench/results/<time>.json (ignored by git).
 *
 * --quick: 3,000 customers and shorter phases, to check the harness. --reuse: keep a copy of the prepared database
 * (<name>_seeded) and start from it next time when customers, seed and dates match (the benchmarks change the data).
 * --only a,f: some of the benchmarks; --only prep: prepare the data and stop. --invoice-batch N: runInvoices'
 * customers_per_transaction (default: the service's own, what the API's run does).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { and, asc, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { deliveries, orders } from '../../db/schema/index.js';
import { selectionOf } from '../../api/lib/crud.js';
import { orderResource } from '../../api/modules/orders/orders.service.js';
import { openDatabase, type Database } from '../../db/client.js';
import { addDays, monthBounds, todayIST } from '../../api/lib/dates.js';
import { rowsOf } from '../../api/lib/sql.js';
import { sqlLiteral } from '../../api/lib/copy-out.js';
import { systemCtx } from '../../seeds/history.js';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../seeds/users.js';
import { captureRequests, oneLine, type CapturedQuery } from './capture.js';
import { confirmWrite } from './bare-confirm.js';
import type { BareQueries } from './bare-server.js';
import { benchConfirm, type ConfirmResult } from './confirm.js';
import { prepareData, userId, type BenchPlan, type DataSummary } from './data.js';
import { benchUrl, databaseComment, dbName, recreateDatabase, withDb } from './db.js';
import { benchGeneration, type GenerationResult } from './generate.js';
import { BENCH_WEBHOOK_SECRET, benchServerEnv, Client, freePort, loginCookie, startChild, type ChildServer } from './http.js';
import { benchInvoices, type InvoiceResult } from './invoices.js';
import { DEFAULT_BATCH } from '../../api/modules/invoices/invoice-runs.service.js';
import { benchOrdersList, ORDERS_PATH, type ListResult } from './orders-list.js';
import { benchSweep, sweepTable, type SweepResult } from './sweep.js';
import { benchWebhook, type WebhookResult } from './webhook.js';
import { benchInvoiceDate, benchMoney, type MoneyResult } from './money.js';
import { benchExport, type ExportResult } from './export.js';
import { benchForecast, type ForecastBenchResult } from './forecast.js';
import pino from 'pino';
import { createApp } from '../../api/app.js';
import { listSpecs } from '../../api/lib/http.js';
import { MAX_START } from '../../api/lib/rest.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    only: { type: 'string', default: 'a,b,c,d,f,e,w,x,g,v' },
    seed: { type: 'string', default: '20260401' },
    'invoice-batch': { type: 'string' },
  },
});
const quick = args.quick ?? false;
const customers = Number(args.customers ?? (quick ? 3000 : 50000));
if (!Number.isInteger(customers) || customers < 300) throw new Error('--customers must be a whole number >= 300');
const invoiceBatch = Number(args['invoice-batch'] ?? DEFAULT_BATCH);
const only = new Set((args.only ?? '').split(',').map((s) => s.trim()));
const CONCURRENCY = 16;
/** The webhook secret the benchmark's server runs with (production mode requires one) and signs with. */
// confirmCount and confirmSeconds bound each measured phase (2 rounds: 4 phases), fewer when today is short of deliveries.
const knobs = quick
  ? { genRuns: 3, confirmWarmup: 200, confirmCount: 1500, confirmSeconds: 15, confirmRounds: 2, listSeconds: 5, listRounds: 2, invoiceSeconds: 300, sweepSlowMs: 2000, sweepMixedSeconds: 10, webhookWarmup: 300, webhookCount: 3000 }
  : { genRuns: 3, confirmWarmup: 1000, confirmCount: 20000, confirmSeconds: 30, confirmRounds: 2, listSeconds: 15, listRounds: 2, invoiceSeconds: 1800, sweepSlowMs: 2000, sweepMixedSeconds: 30, webhookWarmup: 1000, webhookCount: 15000 };

const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const log = (line: string) => console.log(line);
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const secondsSince = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

const url = benchUrl();
const today = todayIST();
const month = addDays(monthBounds(today.slice(0, 7)).start, -1).slice(0, 7);
const plan: BenchPlan = { customers, seed: Number(args.seed), month, today };
const machine = {
  cpus: os.cpus().length,
  cpu_model: os.cpus()[0]?.model ?? '?',
  memory_gb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgres: '',
  load_at_start: load(),
  load_at_end: [] as number[],
};

log(`Milkrun benchmarks: ${customers} customers, month ${month}, pending day ${today}, database ${dbName(url)}${quick ? ' (quick)' : ''}`);
log(`machine: ${machine.cpus} cpus (${machine.cpu_model}), load average ${machine.load_at_start.join(' ')}`);

// 1. Data ------------------------------------------------------------------------------------------------------
let data: DataSummary | { reused: string; prepared?: DataSummary };
const started = performance.now();
{
  const saved = `${dbName(url)}_seeded`;
  // The saved copy's comment says what it holds (and how it was prepared): reused only for the same plan.
  const fingerprint = JSON.stringify({ v: 1, ...plan });
  const comment = args.reuse ? await databaseComment(url, saved) : null;
  const savedInfo = (() => {
    try {
      return comment ? (JSON.parse(comment) as { key?: string; summary?: DataSummary }) : null;
    } catch {
      return null;
    }
  })();
  if (comment === fingerprint || savedInfo?.key === fingerprint) {
    log(`data: reusing ${saved}`);
    // Migrations added since the copy was saved are applied to the saved copy itself (an index on millions of rows
    // takes minutes: paid once, not on every run), then analysed, then copied.
    const savedDb = await openDatabase({ url: withDb(url, saved).toString(), max: 1 });
    const applied = async () => rowsOf<{ n: number }>(await savedDb.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n;
    const before = await applied();
    await savedDb.migrate();
    const added = (await applied()) - before;
    if (added > 0) {
      await savedDb.db.execute(sql`vacuum analyze`);
      log(`data: applied ${added} new migration(s) to ${saved} in ${secondsSince(started)} s`);
    }
    await savedDb.close();
    await recreateDatabase(url, { template: saved });
    data = { reused: saved, prepared: savedInfo?.summary };
  } else {
    log('data:');
    await recreateDatabase(url);
    const database = await openDatabase({ url: url.toString() });
    await database.migrate();
    data = await prepareData(database.db, plan, log);
    await database.close();
    if (args.reuse) {
      await recreateDatabase(withDb(url, saved), { template: dbName(url), comment: JSON.stringify({ key: fingerprint, summary: data }) });
      log(`data: saved as ${saved}`);
    }
  }
}
log(`data ready in ${secondsSince(started)} s`);
if (only.has('prep')) process.exit(0);

const database: Database = await openDatabase({ url: url.toString() });
const db = database.db;
// The demo logins as the demo makes them (no second factor), also on a saved copy older than a migration that changed
// their roles (two-factor sign-in required of admin and finance).
await ensureDemoUsers(db);
machine.postgres = rowsOf<{ v: string }>(await db.execute(sql`select version() as v`))[0].v;
const ctx = await systemCtx(db, await userId(db, 'admin@milkrun.test'));
const [volume] = rowsOf<Record<string, number>>(
  await db.execute(sql`
    select (select count(*)::int from customers) as customers,
           (select count(*)::int from orders where delivery_date between ${monthBounds(month).start}::date and ${monthBounds(month).end}::date) as month_orders,
           (select count(*)::int from billing_records where service_date between ${monthBounds(month).start}::date and ${monthBounds(month).end}::date) as month_billing_records,
           (select count(*)::int from deliveries where order_date = ${today}::date and status = 'pending') as pending_today,
           pg_database_size(current_database()) / (1024 * 1024) as database_mb`),
);
log(`volume: ${JSON.stringify(volume)}`);

// What Milkrun's own code sends for one orders page and one confirmation (also copied into the bare server).
const capture = await captureRequests(url.toString());
const captureCookie = await capture.login('manager@milkrun.test', DEMO_PASSWORD);
const listCapture = await capture.record(ORDERS_PATH, { headers: { cookie: captureCookie } });
if (listCapture.status !== 200) throw new Error(`GET ${ORDERS_PATH}: ${listCapture.status} ${listCapture.body}`);
const orderQueries = listCapture.queries.filter((q) => /from "orders"/i.test(q.sql));
const milkrunList = orderQueries.find((q) => /\blimit\b/i.test(q.sql));
if (!milkrunList) throw new Error(`could not find the orders page among:\n${listCapture.queries.map((q) => oneLine(q.sql)).join('\n')}`);
// The baseline: the same page and its count as two plain statements, as a hand-written server would send them.
const bareList = (where: SQL) => ({
  page: db
    .select(selectionOf(orderResource) as never)
    .from(orders)
    .where(where)
    .orderBy(desc(orders.delivery_date), asc(orders.id))
    .limit(25)
    .toSQL() as CapturedQuery,
  count: db.select({ total: count() }).from(orders).where(where).toSQL() as CapturedQuery,
});
const { page: pageQuery, count: countQuery } = bareList(eq(orders.status, 'pending'));

// f's narrow list: the invoiced month's last day (settled and vacuumed), in its largest status of at most 5,000 orders
// (at 3,000 customers: delivered, about 3,000; at 50,000: failed, about 800), sorted as d's by the index on status.
const narrowDay = monthBounds(month).end;
const dayStatuses = rowsOf<{ status: string; n: number }>(
  await db.execute(sql`select status::text, count(*)::int as n from orders where delivery_date = ${narrowDay}::date group by 1 order by 2 desc`),
);
const narrow = dayStatuses.find((r) => r.n <= 5000) ?? dayStatuses[dayStatuses.length - 1];
const NARROW_PATH = `/api/orders?_start=0&_end=25&_sort=delivery_date&_order=desc&status=${narrow.status}&delivery_date=${narrowDay}`;
const narrowCapture = await capture.record(NARROW_PATH, { headers: { cookie: captureCookie } });
if (narrowCapture.status !== 200 || narrowCapture.headers.get('x-total-count') !== String(narrow.n)) {
  throw new Error(`GET ${NARROW_PATH}: ${narrowCapture.status} total ${narrowCapture.headers.get('x-total-count')}, expected ${narrow.n}: ${narrowCapture.body.slice(0, 300)}`);
}
const narrowBare = bareList(and(eq(orders.status, narrow.status as 'pending'), eq(orders.delivery_date, narrowDay))!);

// b's yardstick runs Milkrun's own three confirmation statements: the session lookup and the read as captured, the
// write rebuilt by bare-confirm.ts, whose text must be the captured one (checked here for the captured item count).
const [oneDelivery] = rowsOf<{ id: string; items: number }>(
  await db.execute(sql`select d.id, (select count(*)::int from order_items i where i.order_id = d.order_id) as items
                       from deliveries d where d.order_date = ${today}::date and d.status = 'pending' order by d.id desc limit 1`),
);
const confirmCapture = await capture.record(`/api/deliveries/${oneDelivery.id}/confirm`, {
  method: 'POST',
  headers: { cookie: captureCookie, 'content-type': 'application/json' },
  body: '{}',
});
await capture.close();
if (confirmCapture.status !== 200) throw new Error(`POST confirm: ${confirmCapture.status} ${confirmCapture.body}`);
const findStatement = (what: string, re: RegExp) => {
  const found = confirmCapture.queries.filter((q) => re.test(q.sql));
  if (found.length !== 1) throw new Error(`the confirmation's ${what} statement: ${found.length} match ${re} among\n${confirmCapture.queries.map((q) => oneLine(q.sql).slice(0, 120)).join('\n')}`);
  return found[0];
};
const confirmStatements = {
  session: findStatement('session', /from sessions s join users u/),
  read: findStatement('read', /from "deliveries" inner join "orders"/),
  write: findStatement('write', /with o0 as/),
};
if (confirmCapture.queries.length !== 3) throw new Error(`the confirmation now sends ${confirmCapture.queries.length} statements, not 3: update the bare server`);
{
  const item = { order_item_id: '', product_id: '', product_name: '', unit_size: '', ordered_quantity: 1, unit_price_paise: 1, hsn_code: '', gst_rate_bp: 0 };
  const rebuilt = confirmWrite(
    { id: '', order_id: '', staff_id: null, status: 'pending', customer_id: '', order_status: 'pending', items: Array.from({ length: oneDelivery.items }, () => item) },
    { actorId: '' },
  );
  if (oneLine(rebuilt.sql) !== oneLine(confirmStatements.write.sql) || rebuilt.params.length !== confirmStatements.write.params.length) {
    throw new Error(`bare-confirm.ts no longer builds Milkrun's confirmation write:\nMilkrun: ${oneLine(confirmStatements.write.sql)}\nbare:    ${oneLine(rebuilt.sql)}`);
  }
}
/** Where the session lookup's parameters go: the token's hash (64 hex), the time (ISO) and the permission keys held. */
function sessionSlots(params: unknown[]) {
  const token_hash = params.findIndex((p) => typeof p === 'string' && /^[0-9a-f]{64}$/.test(p));
  const now = params.findIndex((p) => typeof p === 'string' && /^\d{4}-\d\d-\d\dT/.test(p));
  const known = params.findIndex((_, i) => i !== token_hash && i !== now);
  if (params.length !== 3 || token_hash < 0 || now < 0 || known < 0) throw new Error(`the session lookup's parameters changed: ${JSON.stringify(params)}`);
  return { token_hash, now, known };
}
const bareQueries: BareQueries = {
  lists: { [ORDERS_PATH]: { page: pageQuery, count: countQuery }, [NARROW_PATH]: narrowBare },
  session: { sql: confirmStatements.session.sql, slots: sessionSlots(confirmStatements.session.params) },
  confirm: {
    read: confirmStatements.read.sql,
    read_columns: [...Object.keys(getTableColumns(deliveries)), 'customer_id', 'order_status', 'items'],
  },
};
const queriesFile = join(resultsDir, `${stamp}-bare-queries.json`);
writeFileSync(queriesFile, JSON.stringify(bareQueries, null, 2));
const statements = {
  orders_list: listCapture.queries.map((q) => oneLine(q.sql)),
  narrow_list: narrowCapture.queries.map((q) => oneLine(q.sql)),
  confirm: confirmCapture.queries.map((q) => oneLine(q.sql).slice(0, 200)),
};
log(`statements per request: GET /api/orders ${statements.orders_list.length}, POST confirm ${statements.confirm.length} (Milkrun's own; the bare server runs the session lookup and the confirmation's as captured, and its own page and count)`);
log(`  Milkrun's orders statements: ${orderQueries.map((q) => oneLine(q.sql)).join(' ; ')}  ${JSON.stringify(milkrunList.params)}`);
log(`  bare server: page ${oneLine(pageQuery.sql)}  ${JSON.stringify(pageQuery.params)}; count ${oneLine(countQuery.sql)}`);
log(`  narrow list (f): ${NARROW_PATH}: ${narrow.n} rows`);
const explain = async (q: CapturedQuery) =>
  rowsOf<Record<string, string>>(await db.execute(sql.raw(`explain (analyze, buffers) ${inline(q)}`))).map((r) => Object.values(r)[0]);

const results: {
  generation?: GenerationResult;
  confirm?: ConfirmResult;
  orders_list?: ListResult & { milkrun_sql: CapturedQuery; page_sql: CapturedQuery; count_sql: CapturedQuery; explain: { milkrun: string[]; page: string[]; count: string[] } };
  narrow_list?: ListResult & { rows: number; milkrun_sql: CapturedQuery; page_sql: CapturedQuery; count_sql: CapturedQuery; explain: { milkrun: string[]; page: string[]; count: string[] } };
  invoices?: InvoiceResult;
  sweep?: SweepResult;
  webhook?: WebhookResult;
  money?: MoneyResult;
  export?: ExportResult;
  forecast?: ForecastBenchResult;
  load: Record<string, number[]>;
} = { load: {} };

// a. Generation --------------------------------------------------------------------------------------------------
if (only.has('a')) {
  log(`a. one day's subscription orders (${addDays(today, 1)}), generateOrders vs INSERT ... SELECT, ${knobs.genRuns} runs each:`);
  results.load.a = load();
  results.generation = await benchGeneration(db, ctx, { day: addDays(today, 1), runs: knobs.genRuns, log });
}

// b, d, e, f. HTTP against the real server and the bare server, each in a child process ---------------------------------
if (['b', 'd', 'f', 'e', 'w', 'x'].some((b) => only.has(b))) {
  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  try {
    const port = await freePort();
    const milkrun = await startChild({
      script: 'api/server.ts',
      env: benchServerEnv(url.toString(), port),
      port,
      readyPath: '/api/health',
      logFile: join(resultsDir, `${stamp}-server.log`),
    });
    servers.push(milkrun);
    const client = new Client(milkrun.url, CONCURRENCY);
    clients.push(client);
    const cookie = await loginCookie(client, 'manager@milkrun.test', DEMO_PASSWORD);
    const barePort = await freePort();
    const bare = await startChild({
      script: 'tests/bench/bare-server.ts',
      env: { DATABASE_URL: url.toString(), PORT: String(barePort), BENCH_QUERIES: queriesFile, POOL_MAX: '10' },
      port: barePort,
      readyPath: '/api/health',
      logFile: join(resultsDir, `${stamp}-bare.log`),
    });
    servers.push(bare);
    const bareClient = new Client(bare.url, CONCURRENCY);
    clients.push(bareClient);
    const pids = { milkrun: milkrun.pid, bare: bare.pid };
    log(`servers: api/server.ts pid ${milkrun.pid} on ${milkrun.url.host}, bare node:http pid ${bare.pid} on ${bare.url.host}`);

    if (only.has('b')) {
      log(
        `b. confirming deliveries over HTTP, ${CONCURRENCY} clients, Milkrun vs bare node:http (same three statements): warm-up ${knobs.confirmWarmup} each, ` +
          `then ${knobs.confirmRounds} rounds of up to ${knobs.confirmCount} or ${knobs.confirmSeconds} s:`,
      );
      results.load.b = load();
      results.confirm = await benchConfirm(db, {
        clients: { milkrun: client, bare: bareClient },
        pids,
        database: dbName(url),
        cookie,
        today,
        concurrency: CONCURRENCY,
        warmup: knobs.confirmWarmup,
        count: knobs.confirmCount,
        seconds: knobs.confirmSeconds,
        rounds: knobs.confirmRounds,
        log,
      });
      const c = results.confirm;
      for (const server of ['milkrun', 'bare'] as const) {
        const r = c[server];
        log(`    ${server.padEnd(7)} ${r.ok} confirmed in ${r.seconds} s: ${r.per_second}/s; in the database: ${r.confirmed_in_db} delivered, ${r.items_in_db} items, ${r.billed_in_db} billing records`);
      }
    }
    // Before the sweep, so the gateway's lists it walks hold the events and payments this makes.
    if (only.has('w')) {
      log(`w. Razorpay webhook ingest over HTTP, ${CONCURRENCY} clients, 10% duplicates (warm-up ${knobs.webhookWarmup}, then ${knobs.webhookCount} event ids):`);
      results.load.w = load();
      results.webhook = await benchWebhook(db, {
        client,
        ctx,
        month,
        invoiceDate: benchInvoiceDate(month, today),
        secret: BENCH_WEBHOOK_SECRET,
        concurrency: CONCURRENCY,
        count: knobs.webhookCount,
        duplicateShare: 0.1,
        warmup: knobs.webhookWarmup,
        serverPid: milkrun.pid,
        database: dbName(url),
        log,
      });
    }
    if (only.has('e')) {
      // The list specs as the API mounts them: the sweep walks every list, sortable column and filter.
      createApp({ database, logger: pino({ level: 'silent' }) });
      const [{ phone }] = rowsOf<{ phone: string }>(await db.execute(sql`select phone from customers order by phone offset 1000 limit 1`));
      const adminCookie = await loginCookie(client, 'admin@milkrun.test', DEMO_PASSWORD);
      log(`e. the sweep: every list's first page, sorts, filters, searches and last reachable page (${listSpecs.size} lists), dashboard, data health:`);
      results.load.e = load();
      results.sweep = await benchSweep({ client, cookie: adminCookie, specs: listSpecs, maxStart: MAX_START, phone, runs: 5, slowMs: knobs.sweepSlowMs, concurrency: CONCURRENCY, mixedSeconds: knobs.sweepMixedSeconds, log });
      const m = results.sweep.mixed;
      log(`    mixed, ${CONCURRENCY} clients: ${m.per_second}/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms, statuses ${JSON.stringify(m.statuses)}`);
    }
    if (only.has('d')) {
      log(`d. GET ${ORDERS_PATH}, ${CONCURRENCY} clients, Milkrun vs bare node:http, ${knobs.listRounds} rounds of ${knobs.listSeconds} s:`);
      results.load.d = load();
      const list = await benchOrdersList({ milkrun: client, bare: bareClient, pids, database: dbName(url), cookie, concurrency: CONCURRENCY, seconds: knobs.listSeconds, rounds: knobs.listRounds, log });
      results.orders_list = { ...list, milkrun_sql: milkrunList, page_sql: pageQuery, count_sql: countQuery, explain: { milkrun: await explain(milkrunList), page: await explain(pageQuery), count: await explain(countQuery) } };
    }
    if (only.has('f')) {
      log(`f. GET ${NARROW_PATH} (${narrow.n} rows), ${CONCURRENCY} clients, Milkrun vs bare node:http, ${knobs.listRounds} rounds of ${knobs.listSeconds} s:`);
      results.load.f = load();
      const list = await benchOrdersList({ path: NARROW_PATH, milkrun: client, bare: bareClient, pids, database: dbName(url), cookie, concurrency: CONCURRENCY, seconds: knobs.listSeconds, rounds: knobs.listRounds, log });
      const milkrunNarrow = narrowCapture.queries.find((q) => /from "orders"/i.test(q.sql) && /\blimit\b/i.test(q.sql))!;
      results.narrow_list = {
        ...list,
        rows: narrow.n,
        milkrun_sql: milkrunNarrow,
        page_sql: narrowBare.page,
        count_sql: narrowBare.count,
        explain: { milkrun: await explain(milkrunNarrow), page: await explain(narrowBare.page), count: await explain(narrowBare.count) },
      };
    }
    if (only.has('x')) {
      log('x. CSV export of every order line over HTTP, against COPY (the same rows) TO STDOUT:');
      results.load.x = load();
      const exporter = await loginCookie(client, 'admin@milkrun.test', DEMO_PASSWORD);
      results.export = await benchExport({ url: milkrun.url, databaseUrl: url.toString(), cookie: exporter, pid: milkrun.pid, log });
    }
  } finally {
    for (const c of clients) c.close();
    for (const s of servers.reverse()) await s.stop();
  }
}

// c. Invoice run ------------------------------------------------------------------------------------------------------
if (only.has('c')) {
  log(`c. the invoice run of ${month}: hand-written set-based SQL (rolled back), then runInvoices (${invoiceBatch} customer(s) per transaction, budget ${knobs.invoiceSeconds} s):`);
  results.load.c = load();
  results.invoices = await benchInvoices(db, ctx, { month, maxSeconds: knobs.invoiceSeconds, customersPerTransaction: invoiceBatch, log });
}

// g. Money: receivables over the business, a three-year statement ------------------------------------------------------
if (only.has('g')) {
  log(`g. money: the receivables page (${CONCURRENCY} clients) and a customer's three-year statement:`);
  results.load.g = load();
  results.money = await benchMoney({
    url,
    db,
    ctx,
    month,
    today,
    seed: Number(args.seed),
    reuse: args.reuse ?? false,
    concurrency: CONCURRENCY,
    seconds: knobs.listSeconds,
    statementScale: quick ? 0.05 : 0.1,
    statementDays: 3 * 365 + 30,
    resultsDir,
    stamp,
    log,
  });
}
// v. Inventory: the 7-day forecast, from the day after tomorrow (days no benchmark generates) --------------------------------
if (only.has('v')) {
  log('v. inventory: the 7-day forecast against generating those days:');
  results.load.v = load();
  results.forecast = await benchForecast(db, ctx, { from: addDays(today, 2), days: 7, runs: 3, log });
}
await database.close();
machine.load_at_end = load();

// Report --------------------------------------------------------------------------------------------------------------
interface Line {
  name: string;
  what: string;
  value: string;
  target: string;
  pass: boolean;
}
const lines: Line[] = [];
const g = results.generation;
if (g) {
  lines.push({
    name: 'a. generate a day',
    what: `generateOrders vs one INSERT...SELECT, ${g.rows} orders, median of ${knobs.genRuns}${g.same_rows ? ', same rows' : ', ROWS DIFFER'}`,
    value: `${g.service_ms} ms vs ${g.sql_ms} ms = ${g.ratio}x`,
    target: '<= 1.5x',
    pass: g.ratio <= 1.5 && g.same_rows,
  });
}
const fc = results.forecast;
if (fc) {
  lines.push({
    name: 'v. forecast 7 days',
    what: `GET /api/forecast's service, ${fc.rows} rows from ${fc.from}, median of ${fc.runs_ms.length}; ${fc.forecast_units} units vs ${fc.generated_units} generated${fc.same ? ', same' : `, ${fc.differing} DIFFER`}`,
    value: `${fc.median_ms} ms`,
    target: '< 2000 ms, equal',
    pass: fc.median_ms < 2000 && fc.same,
  });
}
const c = results.confirm;
if (c) {
  const m = c.milkrun;
  // Every 200 left its delivery confirmed and each of its items delivered and billed once.
  const whole = (r: typeof m) => r.failed === 0 && r.confirmed_in_db === r.ok && r.billed_in_db === r.items_in_db;
  lines.push({
    name: 'b. confirm (rate)',
    what: `POST /api/deliveries/:id/confirm, ${c.concurrency} clients, vs bare node:http (same 3 statements); ${m.ok} ok / ${m.failed} failed${whole(m) && whole(c.bare) ? ', rows whole' : ', ROWS DIFFER'}`,
    value: `${m.per_second}/s vs ${c.bare.per_second}/s = ${c.ratio}x`,
    target: '>= 0.7x',
    pass: c.ratio >= 0.7 && whole(m) && whole(c.bare),
  });
  lines.push({ name: 'b. confirm (latency)', what: 'same runs, Milkrun (bare in brackets)', value: `p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms (${c.bare.p99_ms})`, target: 'p99 < 50 ms', pass: m.p99_ms < 50 });
}
const inv = results.invoices;
if (inv) {
  lines.push({
    name: 'c. invoice run',
    what: `runInvoices (${invoiceBatch} customers/tx) vs set-based SQL, ${inv.invoices} invoices of ${inv.billing_records} records${inv.service_finished ? (inv.same_result ? ', same result' : ', RESULT DIFFERS') : ', service extrapolated'}`,
    value: `${inv.service_s} s vs ${inv.sql_s} s = ${inv.ratio}x`,
    target: '<= 1.5x',
    pass: inv.ratio <= 1.5 && (inv.same_result || !inv.service_finished),
  });
}
const l = results.orders_list;
if (l) {
  lines.push({ name: 'd. orders list (rate)', what: `GET /api/orders page+count, ${l.concurrency} clients, vs bare node:http`, value: `${l.milkrun.per_second}/s vs ${l.bare.per_second}/s = ${l.ratio}x`, target: '>= 0.7x', pass: l.ratio >= 0.7 && l.milkrun.failed === 0 });
  lines.push({ name: 'd. orders list (latency)', what: 'same runs, Milkrun (bare in brackets)', value: `p50 ${l.milkrun.p50_ms} ms, p99 ${l.milkrun.p99_ms} ms (${l.bare.p99_ms})`, target: 'p99 < 100 ms', pass: l.milkrun.p99_ms < 100 });
}
const mo = results.money;
if (mo?.receivables) {
  const r = mo.receivables;
  lines.push({
    name: 'g. receivables',
    what: `GET /api/receivables (${r.requests.length} requests: sorts, filters, search, last page, zones) mixed, ${CONCURRENCY} clients; ${r.customers_with_balance} customers with a balance`,
    value: `${r.mixed.per_second}/s, p50 ${r.mixed.p50_ms} ms, p99 ${r.mixed.p99_ms} ms, ${r.mixed.failed} failed`,
    target: 'p99 < 1 s',
    pass: r.mixed.p99_ms < 1000 && r.mixed.failed === 0,
  });
}
if (mo?.statement) {
  const st = mo.statement;
  lines.push({
    name: 'g. 3-year statement',
    what: `GET /api/customers/:id/statement over 3 years, 4 clients, ${st.customers} customers of ${st.days} days' history (${st.lines_avg} lines, at most ${st.lines_max})`,
    value: `${st.mixed.per_second}/s, p50 ${st.mixed.p50_ms} ms, p99 ${st.mixed.p99_ms} ms, ${st.mixed.failed} failed`,
    target: 'p99 < 100 ms',
    pass: st.mixed.p99_ms < 100 && st.mixed.failed === 0,
  });
}
const sw = results.sweep;
if (sw) {
  const target = (path: string) => (path.startsWith('/api/dashboard') ? 500 : path.startsWith('/api/data-health') ? 10_000 : 300);
  const slow = sw.rows.filter((r) => r.median_ms >= target(r.path));
  lines.push({ name: 'e. sweep (single client)', what: `${sw.rows.length} requests, median of 5 each; slowest ${sw.rows[0]?.path}`, value: `slowest ${sw.rows[0]?.median_ms} ms, ${slow.length} over target`, target: '< 300 ms (dashboard 500)', pass: slow.length === 0 });
  lines.push({ name: 'e. sweep (mixed)', what: `all of them mixed, ${sw.mixed.concurrency} clients, ${sw.mixed.requests} requests`, value: `${sw.mixed.per_second}/s, p50 ${sw.mixed.p50_ms} ms, p99 ${sw.mixed.p99_ms} ms`, target: 'p99 < 1 s', pass: sw.mixed.p99_ms < 1000 && sw.mixed.failed === 0 });
  log('');
  for (const l of sweepTable(sw, target)) log(l);
}

const f = results.narrow_list;
if (f) {
  lines.push({
    name: 'f. narrow list (rate)',
    what: `GET /api/orders of ${narrowDay}, status ${narrow.status} (${f.rows} rows), page+count, ${f.concurrency} clients, vs bare node:http`,
    value: `${f.milkrun.per_second}/s vs ${f.bare.per_second}/s = ${f.ratio}x; p99 ${f.milkrun.p99_ms} ms (${f.bare.p99_ms})`,
    target: '>= 0.7x',
    pass: f.ratio >= 0.7 && f.milkrun.failed === 0,
  });
}
const w = results.webhook;
if (w) {
  lines.push({
    name: 'w. webhook ingest',
    what: `POST /api/webhooks/razorpay, ${w.events} signed events (${w.duplicates} copies), ${CONCURRENCY} clients; ${w.one_effect_per_event ? 'one effect per event id' : 'NOT ONE EFFECT PER EVENT ID'}`,
    value: `${w.per_second}/s, p99 ${w.p99_ms} ms`,
    target: '>= 500/s, p99 < 50 ms, one effect',
    pass: w.per_second >= 500 && w.p99_ms < 50 && w.one_effect_per_event && Object.keys(w.statuses).every((s) => s === '200'),
  });
}
const x = results.export;
if (x) {
  lines.push({
    name: 'x. CSV export',
    what: `GET /api/order-items/export?format=csv (by id), ${x.rows} rows (${x.api.mb} MB), vs COPY TO STDOUT; API memory +${x.api.rss_growth_mb} MB`,
    value: `${x.api.rows_per_second}/s vs ${x.copy.rows_per_second}/s = ${x.ratio}x`,
    target: '>= 0.5x, memory < 100 MB',
    pass: x.ratio >= 0.5 && x.api.rss_growth_mb < 100,
  });
}

const cols: (keyof Line)[] = ['name', 'what', 'value', 'target', 'pass'];
const cell = (line: Line, k: keyof Line) => (k === 'pass' ? (line.pass ? 'pass' : 'FAIL') : String(line[k]));
const widths = cols.map((k) => Math.max(k.length, ...lines.map((line) => cell(line, k).length)));
const row = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i])).join(' | ');
log('');
log(`Milkrun benchmarks, ${customers} customers (${quick ? 'quick' : 'full'}), ${machine.cpus} cpus, load average at start ${machine.load_at_start.join(' ')}, at end ${machine.load_at_end.join(' ')}`);
log(row(cols.map(String)));
log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const line of lines) log(row(cols.map((k) => cell(line, k))));

const file = join(resultsDir, `${stamp}-${customers}.json`);
writeFileSync(
  file,
  JSON.stringify(
    { started_at: new Date(Date.now() - (performance.now() - started)).toISOString(), finished_at: new Date().toISOString(), quick, customers, plan, knobs, machine, data, volume, statements, results, table: lines },
    null,
    2,
  ),
);
log(`\nresults: ${file}`);
// The webhook's invariant is asserted, not only reported: a second effect of one event id fails the run.
if (results.webhook && !results.webhook.one_effect_per_event) {
  console.error('w. webhook ingest: NOT exactly one effect per event id (see above)');
  process.exitCode = 1;
}

/** A captured statement with its parameters inlined as the CSV export's COPY writes them, for EXPLAIN (the values are ours: status, limit, offset). */
function inline(q: CapturedQuery): string {
  return q.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const literal = sqlLiteral(q.params[Number(n) - 1]);
    if (literal === null) throw new Error(`inline: no literal for $${n} of ${oneLine(q.sql).slice(0, 80)}`);
    return literal;
  });
}
