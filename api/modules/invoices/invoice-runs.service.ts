import { and, asc, eq, getTableColumns, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { billingRecords, customers, invoiceRuns, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx , onCommit } from '../../lib/context.js';
import { invoiceRuns as invoiceRunsCounter } from '../../lib/metrics.js';
import { allowLongStatements } from '../../lib/sql.js';
import { getRow, type Resource } from '../../lib/crud.js';
import { monthBounds, todayIST } from '../../lib/dates.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import { issueInvoices } from './invoices.service.js';
import { lockCustomersMoney } from '../payments/customer-lock.js';
import { applyWalletCredit } from '../wallets/wallet-ledger.js';
import { rowsOf } from '../../lib/sql.js';

const nameOf = (table: typeof customers | typeof users, col: AnyPgColumn) =>
  sql<string | null>`(select ${table.name} from ${table} where ${table.id} = ${col})`;

export const invoiceRunColumns = {
  customer_name: nameOf(customers, invoiceRuns.customer_id),
  started_by_name: nameOf(users, invoiceRuns.started_by),
};

export const invoiceRunResource: Resource = {
  name: 'invoice-runs',
  label: 'Invoice run',
  table: invoiceRuns,
  selection: {
    ...getTableColumns(invoiceRuns),
    customer_name: invoiceRunColumns.customer_name.as('customer_name'),
    started_by_name: invoiceRunColumns.started_by_name.as('started_by_name'),
  },
};

export type InvoiceRunRow = typeof invoiceRuns.$inferSelect & { customer_name: string | null; started_by_name: string | null };

export interface InvoiceRunInput {
  /** YYYY-MM: the month of service to invoice. */
  month: string;
  customer_id?: string;
  /** Date printed on the invoices; today (IST) by default. Seeds back-date closed months with it; the HTTP API does not expose it. */
  invoice_date?: string;
  /**
   * Customers invoiced per transaction (default 250): each batch is a few set-based statements and one commit, so a
   * month of 50,000 customers costs 200 of them; an interruption undoes at most one batch, leaving only whole invoices.
   */
  customers_per_transaction?: number;
}

export interface InvoiceRunHooks {
  /** Called after each customer's transaction has committed (tests use it to interrupt a run). */
  afterCustomer?: (processed: number, customerId: string) => void | Promise<void>;
}

/** Customers per transaction: progress moves every few hundred milliseconds on a big month. */
export const DEFAULT_BATCH = 250;

interface Plan {
  start: string;
  end: string;
  invoiceDate: string;
  customerId: string | null;
  customersPerTransaction: number;
}

async function plan(ctx: Ctx, input: InvoiceRunInput): Promise<Plan> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) throw unprocessable(`"${input.month}" is not a month (YYYY-MM).`, 'bad_month');
  const { start, end } = monthBounds(input.month);
  const today = todayIST();
  if (start > today) throw unprocessable(`${input.month} has not started yet: only past and current months can be invoiced.`, 'future_month');
  const invoiceDate = input.invoice_date ?? today;
  if (invoiceDate > today) throw unprocessable('The invoice date cannot be in the future.', 'invoice_date_in_future');
  if (invoiceDate < start) throw unprocessable('The invoice date cannot be before the month it bills.', 'invoice_date_before_period');
  if (input.customer_id) {
    const [c] = await ctx.db.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customer_id));
    if (!c) throw notFound('Customer');
  }
  return { start, end, invoiceDate, customerId: input.customer_id ?? null, customersPerTransaction: input.customers_per_transaction ?? DEFAULT_BATCH };
}

/**
 * Starts the month's invoice run: records it (so its progress can be watched) and processes it in the
 * background of this process. `run` is the row as created; `done` settles when the run ends (rejecting
 * if it failed, after marking it failed). The HTTP route answers with `run` at once and does not wait.
 */
export async function startInvoiceRun(ctx: Ctx, input: InvoiceRunInput, hooks: InvoiceRunHooks = {}): Promise<{ run: InvoiceRunRow; done: Promise<InvoiceRunRow> }> {
  const p = await plan(ctx, input);
  const run = await transaction(ctx, async (tx) => {
    await failStalledRuns(tx);
    const [created] = await tx.db
      .insert(invoiceRuns)
      .values({ month: p.start, customer_id: p.customerId, started_by: tx.actor?.id ?? null })
      .returning({ id: invoiceRuns.id });
    const row = (await getRow(tx, invoiceRunResource, created.id)) as InvoiceRunRow;
    await audit(tx, { action: 'create', table: 'invoice-runs', recordId: created.id, after: row });
    return row;
  });
  invoiceRunsCounter.inc({ outcome: 'started' });
  const done = processRun(ctx, run.id, p, hooks);
  return { run, done };
}

/** A run moves every batch (well under a minute); one this still has lost the process that ran it. */
const STALLED_AFTER_MINUTES = 10;

/**
 * A run whose process died (a deploy, a crash) would show 'running' for ever: the next run to start marks it failed.
 * Nothing is lost with it: its batches committed whole, and the new run bills what it left.
 */
async function failStalledRuns(tx: Ctx) {
  const stalled = await tx.db
    .update(invoiceRuns)
    .set({
      status: 'failed',
      error: `Interrupted: no progress for ${STALLED_AFTER_MINUTES} minutes (the process running it stopped). Its invoices are whole; run the month again for the rest.`,
      finished_at: new Date(),
    })
    .where(and(eq(invoiceRuns.status, 'running'), lt(invoiceRuns.updated_at, new Date(Date.now() - STALLED_AFTER_MINUTES * 60_000))))
    .returning({ id: invoiceRuns.id, month: invoiceRuns.month, processed_customers: invoiceRuns.processed_customers });
  if (stalled.length) onCommit(tx, () => invoiceRunsCounter.inc({ outcome: 'stalled' }, stalled.length));
  for (const r of stalled) await audit(tx, { action: 'fail', table: 'invoice-runs', recordId: r.id, after: { ...r, status: 'failed', reason: 'stalled' } });
}

/** Runs the month to the end and returns the finished run row (seeds, scripts and tests use this). */
export async function runInvoices(ctx: Ctx, input: InvoiceRunInput, hooks: InvoiceRunHooks = {}): Promise<InvoiceRunRow> {
  const { done } = await startInvoiceRun(ctx, input, hooks);
  return done;
}

/**
 * One transaction per batch of customers: an interrupted run leaves whole invoices or none, and a
 * re-run picks up the customers still unbilled. Customers a concurrent run already billed yield no invoice here.
 */
async function processRun(ctx: Ctx, runId: string, p: Plan, hooks: InvoiceRunHooks): Promise<InvoiceRunRow> {
  try {
    // Distinct customers over a month of billing records (1.5 million at 50,000 customers): a long job's statement.
    const pending = await ctx.db.transaction(async (db) => {
      await allowLongStatements(db as unknown as Ctx['db']);
      return db
      .selectDistinct({ customer_id: billingRecords.customer_id })
      .from(billingRecords)
      .where(
        and(
          isNull(billingRecords.invoice_id),
          eq(billingRecords.legacy_billed, false),
          gte(billingRecords.service_date, p.start),
          lte(billingRecords.service_date, p.end),
          p.customerId ? eq(billingRecords.customer_id, p.customerId) : undefined,
        ),
      )
      .orderBy(asc(billingRecords.customer_id));
    });
    await ctx.db.update(invoiceRuns).set({ total_customers: pending.length }).where(eq(invoiceRuns.id, runId));
    let processed = 0;
    let created = 0;
    let analyzedAt = 0;
    const size = Math.max(1, Math.floor(p.customersPerTransaction));
    for (let i = 0; i < pending.length; i += size) {
      // PostgreSQL plans the per-row checks (foreign keys, triggers) on invoices and their lines once per connection,
      // by the tables' size then: a first run on near-empty tables would keep scanning them whole as they grow. New
      // statistics make it plan again; refreshed each time the run has doubled them (a few times a run, ~0.1 s each).
      if (created >= 2 * Math.max(analyzedAt, 250)) {
        await ctx.db.transaction(async (db) => {
          await allowLongStatements(db as unknown as Ctx['db']);
          await db.execute(sql`analyze invoices, invoice_lines`);
        });
        analyzedAt = created;
      }
      const chunk = pending.slice(i, i + size);
      created += await transaction(ctx, async (tx) => {
        await allowLongStatements(tx.db); // a long job: not bound by the API's per-request statement timeout
        const ids = chunk.map((c) => c.customer_id);
        // Customers holding wallet credit have it applied to their new invoice (soonest-expiring lot first). Their money
        // lock is taken before anything else, as every money verb takes it first: a payment of one of them meanwhile
        // waits for the batch instead of deadlocking with it.
        const withCredit = rowsOf<{ customer_id: string }>(
          await tx.db.execute(sql`select customer_id from customer_balances where customer_id = any(${`{${ids.join(',')}}`}::uuid[]) and wallet_paise > 0 order by customer_id`),
        ).map((r) => r.customer_id);
        await lockCustomersMoney(tx, withCredit);
        const issued = await issueInvoices(tx, { customerIds: ids, periodStart: p.start, periodEnd: p.end, invoiceDate: p.invoiceDate, runId });
        const credited = new Set(withCredit);
        for (const invoice of issued) if (credited.has(invoice.customer_id)) await applyWalletCredit(tx, invoice.customer_id, invoice.id);
        const amount = issued.reduce((s, i) => s + i.total_paise, 0);
        // Progress commits with the invoices, so it never counts one that was rolled back.
        await tx.db
          .update(invoiceRuns)
          .set({
            processed_customers: sql`${invoiceRuns.processed_customers} + ${chunk.length}`,
            invoices_created: sql`${invoiceRuns.invoices_created} + ${issued.length}`,
            amount_paise: sql`${invoiceRuns.amount_paise} + ${amount}`,
          })
          .where(eq(invoiceRuns.id, runId));
        return issued.length;
      });
      for (const { customer_id } of chunk) await hooks.afterCustomer?.(++processed, customer_id);
    }
    await ctx.db.update(invoiceRuns).set({ status: 'completed', finished_at: new Date() }).where(eq(invoiceRuns.id, runId));
    invoiceRunsCounter.inc({ outcome: 'completed' });
    return (await getRow(ctx, invoiceRunResource, runId)) as InvoiceRunRow;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.error({ err, run: runId }, 'invoice run failed');
    invoiceRunsCounter.inc({ outcome: 'failed' });
    await ctx.db
      .update(invoiceRuns)
      .set({ status: 'failed', error: message.slice(0, 1000), finished_at: new Date() })
      .where(eq(invoiceRuns.id, runId))
      .catch((e: unknown) => ctx.log.error({ err: e, run: runId }, 'could not mark the invoice run failed'));
    throw err;
  }
}
