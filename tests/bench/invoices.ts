import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, financialYear, monthBounds, todayIST } from '../../api/lib/dates.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { placeOfSupply, supplierBlock, type Settings } from '../../api/modules/settings/settings.service.js';
import { settings as settingsTable } from '../../db/schema/index.js';
import { rowsOf } from '../../api/lib/sql.js';

/**
 * The month's invoices by hand, set-based, in the caller's transaction: per customer one invoice of their unbilled
 * records of the month, one line per (product, price, rate, HSN), kind and series from the rates (BS for exempt-only,
 * MR otherwise), numbers consecutive per series in customer id order from the series' next number (the order
 * runInvoices takes them in), the billing records moved onto their invoice, the series advanced, a run row and one
 * audit row per invoice. The same invoices and lines as runInvoices, computed by the database in a few statements.
 */
async function handInvoices(tx: Db, p: { start: string; end: string; invoiceDate: string; actorId: string | null }) {
  const fy = financialYear(p.invoiceDate);
  const [settings] = (await tx.select().from(settingsTable)) as Settings[];
  const supplier = supplierBlock(settings);
  const due = addDays(p.invoiceDate, settings.payment_term_days);
  const [run] = rowsOf<{ id: string }>(
    await tx.execute(sql`insert into invoice_runs (month, started_by) values (${p.start}::date, ${p.actorId}::uuid) returning id`),
  );
  await tx.execute(sql`
    create temp table hand_lines on commit drop as
    select b.customer_id, b.product_id, pr.name as description, b.hsn_code, pr.unit, b.unit_price_paise, b.gst_rate_bp,
           sum(b.quantity)::int as quantity, sum(b.taxable_paise)::int as taxable_paise, sum(b.cgst_paise)::int as cgst_paise,
           sum(b.sgst_paise)::int as sgst_paise, sum(b.total_paise)::int as total_paise, count(*)::int as records
    from billing_records b join products pr on pr.id = b.product_id
    where b.invoice_id is null and not b.legacy_billed and b.service_date between ${p.start}::date and ${p.end}::date
    group by b.customer_id, b.product_id, pr.name, pr.unit, b.hsn_code, b.unit_price_paise, b.gst_rate_bp`);
  await tx.execute(sql`
    create temp table hand_invoices on commit drop as
    with heads as (
      select customer_id,
             case when bool_and(gst_rate_bp > 0) then 'tax_invoice' when bool_and(gst_rate_bp = 0) then 'bill_of_supply'
                  else 'invoice_cum_bill_of_supply' end as kind,
             coalesce(sum(taxable_paise) filter (where gst_rate_bp > 0), 0)::int as taxable_paise,
             coalesce(sum(taxable_paise) filter (where gst_rate_bp = 0), 0)::int as exempt_paise,
             sum(cgst_paise)::int as cgst_paise, sum(sgst_paise)::int as sgst_paise, sum(total_paise)::int as total_paise,
             count(*)::int as lines, sum(records)::int as records
      from hand_lines group by customer_id
    ), series as (
      select h.*, case when h.kind = 'bill_of_supply' then ${settings.series_exempt} else ${settings.series_taxed} end as series from heads h
    )
    select gen_random_uuid() as id, s.*,
           coalesce(ds.next_seq, 1) + row_number() over (partition by s.series order by s.customer_id) - 1 as seq
    from series s left join document_series ds on ds.series = s.series and ds.financial_year = ${fy}`);
  const [made] = rowsOf<{ n: number; amount: string }>(
    await tx.execute(sql`
      with ins as (
        insert into invoices (id, number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date,
                              place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, run_id, created_by)
        select id, series || '/' || ${fy} || '/' || lpad(seq::text, 6, '0'), series, ${fy}, seq, kind::invoice_kind, customer_id,
               ${p.start}::date, ${p.end}::date, ${p.invoiceDate}::date, ${due}::date,
               ${placeOfSupply(supplier)}, ${JSON.stringify(supplier)}::jsonb, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, ${run.id}::uuid, ${p.actorId}::uuid
        from hand_invoices
        returning total_paise)
      select count(*)::int as n, coalesce(sum(total_paise), 0)::text as amount from ins`),
  );
  await tx.execute(sql`
    insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp,
                               taxable_paise, cgst_paise, sgst_paise, total_paise)
    select i.id, l.product_id, l.description, l.hsn_code, l.unit, l.quantity, l.unit_price_paise, l.gst_rate_bp,
           l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise
    from hand_lines l join hand_invoices i using (customer_id)`);
  await tx.execute(sql`
    update billing_records b set invoice_id = i.id
    from hand_invoices i
    where b.customer_id = i.customer_id and b.invoice_id is null and not b.legacy_billed
      and b.service_date between ${p.start}::date and ${p.end}::date`);
  await tx.execute(sql`
    insert into document_series (series, financial_year, next_seq)
    select series, ${fy}, max(seq) + 1 from hand_invoices group by series
    on conflict (series, financial_year) do update set next_seq = excluded.next_seq`);
  await tx.execute(sql`
    insert into audit_logs (user_id, action, table_name, record_id, after, request_id)
    select ${p.actorId}::uuid, 'issue', 'invoices', inv.id, to_jsonb(inv) || jsonb_build_object('lines', h.lines, 'records', h.records), 'bench'
    from invoices inv join hand_invoices h on h.id = inv.id`);
  await tx.execute(sql`
    update invoice_runs set status = 'completed', finished_at = now(), total_customers = ${made.n}, processed_customers = ${made.n},
                            invoices_created = ${made.n}, amount_paise = ${made.amount}::bigint
    where id = ${run.id}::uuid`);
  // The deferred checks (invoice totals = lines = records) would run at commit: run them now, inside the timing.
  await tx.execute(sql`set constraints all immediate`);
  return { runId: run.id, invoices: made.n };
}

/** What identifies a run's invoices and lines, whoever wrote them (ids and timestamps aside). */
async function runFingerprint(db: Db, runId: string) {
  const [f] = rowsOf<{ invoices: number; total: string; heads: string; lines: string; records: number }>(
    await db.execute(sql`
      select (select count(*)::int from invoices where run_id = ${runId}::uuid) as invoices,
             (select coalesce(sum(total_paise), 0)::text from invoices where run_id = ${runId}::uuid) as total,
             (select md5(coalesce(string_agg(concat_ws('|', number, kind, customer_id, period_start, period_end, invoice_date, due_date, taxable_paise,
                                                       exempt_paise, cgst_paise, sgst_paise, total_paise), ',' order by number), ''))
                from invoices where run_id = ${runId}::uuid) as heads,
             (select md5(coalesce(string_agg(concat_ws('|', i.number, l.product_id, l.description, l.hsn_code, l.unit, l.quantity, l.unit_price_paise,
                                                       l.gst_rate_bp, l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise),
                                             ',' order by i.number, l.product_id, l.unit_price_paise, l.gst_rate_bp), ''))
                from invoice_lines l join invoices i on i.id = l.invoice_id where i.run_id = ${runId}::uuid) as lines,
             (select count(*)::int from billing_records b join invoices i on i.id = b.invoice_id where i.run_id = ${runId}::uuid) as records`),
  );
  return f;
}

export interface InvoiceResult {
  month: string;
  invoices: number;
  billing_records: number;
  sql_s: number;
  service_s: number;
  /** false when the service run hit the time budget: service_s is then extrapolated from its rate. */
  service_finished: boolean;
  service_customers_done: number;
  customers_per_transaction: number;
  ratio: number;
  same_result: boolean;
  fingerprints: { sql: string; service: string };
}

class Budget extends Error {}

/**
 * The hand-written set-based version first, in a transaction that is rolled back (its deferred checks forced first,
 * inside the timing), then VACUUM and CHECKPOINT so the real run meets the same table and WAL state; then runInvoices for the month. The
 * real run is bounded by `maxSeconds`: past it, the run is interrupted (whole invoices only, as designed) and its
 * time for the month extrapolated from its rate, said so in the result.
 */
export async function benchInvoices(
  db: Db,
  ctx: Ctx,
  opts: { month: string; maxSeconds: number; customersPerTransaction: number; log: (l: string) => void },
): Promise<InvoiceResult> {
  const { start, end } = monthBounds(opts.month);
  const invoiceDate = todayIST();
  const actorId = ctx.actor?.id ?? null;

  // Each timed phase starts right after a checkpoint: the one before it wrote a lot of WAL (the rolled-back hand
  // run, the vacuum), and a checkpoint started by that in the middle of the next phase would charge it full-page writes.
  const checkpoint = () => db.execute(sql`checkpoint`);
  await checkpoint();
  let sqlFingerprint = '';
  let sqlSeconds = 0;
  let sqlInvoices = 0;
  class Rollback extends Error {}
  try {
    await db.transaction(async (tx) => {
      const t0 = performance.now();
      const made = await handInvoices(tx as unknown as Db, { start, end, invoiceDate, actorId });
      sqlSeconds = (performance.now() - t0) / 1000;
      sqlInvoices = made.invoices;
      const f = await runFingerprint(tx as unknown as Db, made.runId);
      sqlFingerprint = `${f.invoices} invoices, ${f.total} paise, ${f.records} records, heads ${f.heads}, lines ${f.lines}`;
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  opts.log(`    hand-written SQL: ${sqlInvoices} invoices in ${sqlSeconds.toFixed(1)} s (rolled back)`);
  await db.execute(sql`vacuum analyze billing_records, invoices, invoice_lines, audit_logs, document_series`);
  await checkpoint();

  const [pending] = rowsOf<{ customers: number; records: number }>(
    await db.execute(sql`
      select count(distinct customer_id)::int as customers, count(*)::int as records from billing_records
      where invoice_id is null and not legacy_billed and service_date between ${start}::date and ${end}::date`),
  );
  const t0 = performance.now();
  const deadline = t0 + opts.maxSeconds * 1000;
  let done = 0;
  let finished = true;
  let lastLog = t0;
  try {
    await runInvoices(ctx, { month: opts.month, customers_per_transaction: opts.customersPerTransaction }, {
      afterCustomer: (n) => {
        done = n;
        const now = performance.now();
        if (now - lastLog > 30_000) {
          lastLog = now;
          opts.log(`    runInvoices: ${n}/${pending.customers} customers after ${((now - t0) / 1000).toFixed(0)} s`);
        }
        if (now > deadline) throw new Budget(`time budget of ${opts.maxSeconds} s spent`);
      },
    });
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    finished = false;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const serviceSeconds = finished ? elapsed : (elapsed * pending.customers) / Math.max(1, done);
  opts.log(`    runInvoices: ${done}/${pending.customers} customers in ${elapsed.toFixed(1)} s${finished ? '' : ` (interrupted; ${serviceSeconds.toFixed(0)} s extrapolated)`}`);

  let serviceFingerprint = '(interrupted: not compared)';
  if (finished) {
    const [latest] = rowsOf<{ id: string }>(
      await db.execute(sql`select id from invoice_runs where month = ${start}::date and status = 'completed' order by created_at desc limit 1`),
    );
    const f = await runFingerprint(db, latest.id);
    serviceFingerprint = `${f.invoices} invoices, ${f.total} paise, ${f.records} records, heads ${f.heads}, lines ${f.lines}`;
  }
  return {
    month: opts.month,
    invoices: sqlInvoices,
    billing_records: pending.records,
    sql_s: round1(sqlSeconds),
    service_s: round1(serviceSeconds),
    service_finished: finished,
    service_customers_done: done,
    customers_per_transaction: opts.customersPerTransaction,
    ratio: Math.round((serviceSeconds / sqlSeconds) * 100) / 100,
    same_result: finished && serviceFingerprint === sqlFingerprint,
    fingerprints: { sql: sqlFingerprint, service: serviceFingerprint },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
