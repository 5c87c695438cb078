/**
 * g. Money (issue 12), through HTTP against api/server.ts in a child process:
 *   - the receivables page over the bench business (50,000 customers, the month invoiced by c or here, most invoices
 *     paid, some in part, the rest open): its first page, each sort, the zone and ageing filters, a search, the last
 *     reachable page and the totals by zone, mixed at 16 clients (target p99 < 1 s);
 *   - a customer's three-year statement (target p99 < 100 ms), on a business with three years of history made by the
 *     demo generator through the service verbs (<bench database>_statements, kept for --reuse: same scale and days).
 *   npm run bench -- --only g [--reuse]
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { addDays, monthBounds } from '../../api/lib/dates.js';
import { rowsOf } from '../../api/lib/sql.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import type { Ctx } from '../../api/lib/context.js';
import { openDatabase, type Db } from '../../db/client.js';
import { seedDemo } from '../../seeds/demo.js';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../seeds/users.js';
import { databaseComment, dbName, recreateDatabase, withDb } from './db.js';
import { Client, closedLoop, freePort, loginCookie, startChild, type LoadResult } from './http.js';

export interface MoneyResult {
  receivables?: { customers_with_balance: number; open_invoices: number; paid_by_bench: number; requests: string[]; mixed: LoadResult; single: { path: string; median_ms: number }[] };
  statement?: { database: string; customers: number; days: number; lines_avg: number; lines_max: number; mixed: LoadResult };
}

export interface MoneyOptions {
  url: URL;
  db: Db;
  ctx: Ctx;
  month: string;
  today: string;
  seed: number;
  reuse: boolean;
  concurrency: number;
  seconds: number;
  /** The statements' business: demo generator scale (300 customers per 1) and days of history. */
  statementScale: number;
  statementDays: number;
  resultsDir: string;
  stamp: string;
  log: (line: string) => void;
}

// As run.ts starts it: production settings (a webhook secret is required there; nothing here sends webhooks).
const SERVER_ENV = { LOG_LEVEL: 'warn', NODE_ENV: 'production', APP_SECRET: 'milkrun-bench-app-secret-of-32-characters-or-more', RAZORPAY_WEBHOOK_SECRET: 'milkrun-bench-money-webhook-secret' };
/** The day the bench dates its month's invoices: the day after the month, or today when that is still to come. */
export function benchInvoiceDate(month: string, today: string): string {
  const after = addDays(monthBounds(month).end, 1);
  return after > today ? today : after;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function withServer<T>(opts: MoneyOptions, url: URL, name: string, fn: (client: Client, cookie: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server = await startChild({ script: 'api/server.ts', env: { ...SERVER_ENV, DATABASE_URL: url.toString(), PORT: String(port) }, port, readyPath: '/api/health', logFile: join(opts.resultsDir, `${opts.stamp}-${name}.log`) });
  const client = new Client(server.url, opts.concurrency);
  try {
    // Managers read receivables and statements (list, show): the demo login, no second factor.
    return await fn(client, await loginCookie(client, 'manager@milkrun.test', DEMO_PASSWORD));
  } finally {
    client.close();
    await server.stop();
  }
}

/**
 * Money in for the bench month, once, set-based (the triggers keep invoices and balances as the API's verb would):
 * about 75% of the open invoices paid in full a few days after their date, 10% in part, the rest left open.
 */
async function payTheMonth(db: Db, month: string, today: string): Promise<number> {
  const { start } = monthBounds(month);
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(sql`with chosen as (
        select i.id, i.customer_id, i.balance_due_paise as due, i.invoice_date, abs(hashtext(i.id::text)) % 100 as roll
        from invoices i
        where i.status = 'issued' and i.balance_due_paise > 0 and i.period_start >= ${start}::date
          and not exists (select 1 from payments p where p.reference = 'BENCH-' || i.id::text)
      ), paid as (
        insert into payments (customer_id, amount_paise, method, reference, received_on, status)
        select customer_id, case when roll < 75 then due else greatest(100, due / 2) end, 'upi', 'BENCH-' || id::text, least(invoice_date + 3, ${today}::date), 'captured'
        from chosen where roll < 85
        returning id, customer_id, amount_paise, reference
      ), allocated as (
        insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise)
        select customer_id, substring(reference from 7)::uuid, id, amount_paise from paid
        returning 1
      )
      select count(*)::int as n from allocated`),
  );
  await db.execute(sql`analyze payments`);
  await db.execute(sql`analyze payment_allocations`);
  await db.execute(sql`analyze invoices`);
  await db.execute(sql`analyze customer_balances`);
  return n;
}

export async function benchMoney(opts: MoneyOptions): Promise<MoneyResult> {
  const { db, log } = opts;
  const result: MoneyResult = {};

  // Receivables over the bench business -------------------------------------------------------------------------
  // Whoever is still unbilled (all, or all but w's customers, or none after c's run): the run invoices only them.
  const t0 = performance.now();
  const run = await runInvoices(opts.ctx, { month: opts.month, invoice_date: benchInvoiceDate(opts.month, opts.today) });
  if (run.invoices_created) log(`    invoiced ${opts.month} first: ${run.invoices_created} invoices in ${Math.round((performance.now() - t0) / 1000)} s`);
  const paid = await payTheMonth(db, opts.month, opts.today);
  const [volume] = rowsOf<{ customers: number; open: number }>(
    await db.execute(sql`select (select count(*)::int from customer_balances where balance_due_paise > 0 or wallet_paise > 0) as customers,
      (select count(*)::int from invoices where status = 'issued' and balance_due_paise > 0) as open`),
  );
  log(`    receivables: ${volume.customers} customers with a balance, ${volume.open} open invoices (${paid} paid by the bench now)`);
  const [{ zone }] = rowsOf<{ zone: string }>(await db.execute(sql`select zone_id::text as zone from customers group by zone_id order by count(*) desc limit 1`));
  const [{ word }] = rowsOf<{ word: string }>(await db.execute(sql`select split_part(name, ' ', 1) as word from customers group by 1 order by count(*) desc limit 1`));
  const page = '/api/receivables?_start=0&_end=25';
  const paths = [
    page,
    `${page}&_sort=balance_due_paise&_order=asc`,
    `${page}&_sort=oldest_due_date&_order=asc`,
    `${page}&_sort=wallet_paise&_order=desc`,
    `${page}&zone_id=${zone}`,
    `${page}&balance_due_paise_gte=1&oldest_due_date_lte=${addDays(opts.today, -1)}`,
    `${page}&q=${encodeURIComponent(word.toLowerCase())}`,
    '/api/receivables?_start=10000&_end=10025',
    '/api/receivables/zones',
  ];
  result.receivables = await withServer(opts, opts.url, 'receivables', async (client, cookie) => {
    const headers = { cookie };
    const single: { path: string; median_ms: number }[] = [];
    for (const path of paths) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const a = await client.request({ method: 'GET', path, headers });
        if (a.status !== 200) throw new Error(`GET ${path}: ${a.status} ${a.body.slice(0, 300)}`);
        times.push(performance.now() - t0);
      }
      single.push({ path, median_ms: Math.round(median(times) * 10) / 10 });
      log(`    ${String(single.at(-1)!.median_ms).padStart(8)} ms  ${path}`);
    }
    const mixed = await closedLoop({
      client,
      concurrency: opts.concurrency,
      maxRequests: Number.MAX_SAFE_INTEGER,
      maxSeconds: opts.seconds,
      next: (i) => ({ method: 'GET', path: paths[i % paths.length], headers }),
      ok: (a) => a.status === 200,
    });
    log(`    receivables mixed, ${opts.concurrency} clients: ${mixed.per_second}/s, p50 ${mixed.p50_ms} ms, p99 ${mixed.p99_ms} ms, ${mixed.failed} failed`);
    return { customers_with_balance: volume.customers, open_invoices: volume.open, paid_by_bench: paid, requests: paths, mixed, single };
  });

  // A three-year statement -----------------------------------------------------------------------------------
  const statementsUrl = withDb(opts.url, `${dbName(opts.url)}_statements`);
  const key = JSON.stringify({ v: 1, scale: opts.statementScale, days: opts.statementDays, seed: opts.seed, today: opts.today });
  if (!(opts.reuse && (await databaseComment(opts.url, dbName(statementsUrl))) === key)) {
    const t0 = performance.now();
    log(`    statements: a business of ${opts.statementScale * 300} customers with ${opts.statementDays} days of history, made by the demo generator...`);
    await recreateDatabase(statementsUrl);
    const made = await openDatabase({ url: statementsUrl.toString() });
    await made.migrate();
    await seedDemo(made.db, { scale: opts.statementScale, seed: opts.seed, historyDays: opts.statementDays });
    await made.db.execute(sql`vacuum analyze`);
    // Marked reusable only once whole (an interrupted run leaves it unmarked, so the next one makes it again).
    if (opts.reuse) await made.db.execute(sql.raw(`comment on database "${dbName(statementsUrl)}" is '${key.replace(/'/g, "''")}'`));
    await made.close();
    log(`    statements: made in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  const made = await openDatabase({ url: statementsUrl.toString(), max: 2 });
  await ensureDemoUsers(made.db);
  const from = addDays(opts.today, -3 * 365);
  const people = rowsOf<{ id: string }>(await made.db.execute(sql`select customer_id::text as id from invoices group by customer_id order by count(*) desc, customer_id`)).map((r) => r.id);
  await made.close();
  if (!people.length) throw new Error('the statements business has no invoices');
  result.statement = await withServer(opts, statementsUrl, 'statements', async (client, cookie) => {
    const headers = { cookie };
    const lines: number[] = [];
    for (const id of people) {
      const a = await client.request({ method: 'GET', path: `/api/customers/${id}/statement?from=${from}&to=${opts.today}`, headers });
      if (a.status !== 200) throw new Error(`statement of ${id}: ${a.status} ${a.body.slice(0, 300)}`);
      lines.push((JSON.parse(a.body) as { lines: unknown[] }).lines.length);
    }
    const mixed = await closedLoop({
      client,
      concurrency: Math.min(4, opts.concurrency),
      maxRequests: Number.MAX_SAFE_INTEGER,
      maxSeconds: opts.seconds,
      next: (i) => ({ method: 'GET', path: `/api/customers/${people[i % people.length]}/statement?from=${from}&to=${opts.today}`, headers }),
      ok: (a) => a.status === 200,
    });
    const avg = Math.round(lines.reduce((s, n) => s + n, 0) / lines.length);
    log(`    statement ${from}..${opts.today} (${people.length} customers, ${avg} lines on average, ${Math.max(...lines)} at most), 4 clients: ${mixed.per_second}/s, p50 ${mixed.p50_ms} ms, p99 ${mixed.p99_ms} ms, ${mixed.failed} failed`);
    return { database: dbName(statementsUrl), customers: people.length, days: opts.statementDays, lines_avg: avg, lines_max: Math.max(...lines), mixed };
  });
  return result;
}
