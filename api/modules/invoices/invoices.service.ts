import { asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { addresses, billingRecords, customers, invoiceLines, invoices } from '../../../db/schema/index.js';
import { assertCan } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { assertWithinAmount } from '../../lib/permission-catalog.js';
import { onCommit, transaction, type Ctx } from '../../lib/context.js';
import { auditRowsWritten } from '../../lib/metrics.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { addDays, financialYear, todayIST } from '../../lib/dates.js';
import { conflict, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import { rowsOf } from '../../lib/sql.js';
import { getSettings, placeOfSupply, supplierBlock } from '../settings/settings.service.js';
import { creditFreedPayments, reverseAllocations } from '../payments/allocations.service.js';
import { lockCustomerMoney } from '../payments/customer-lock.js';
import { applyWalletCredit } from '../wallets/wallet-ledger.js';
import { notifyCustomers } from '../notifications/outbox.js';
import { formatRupees } from '../../../shared/money.js';

const customerName = sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${invoices.customer_id})`;
// The invoice that replaced this one after it was voided (at most one: reissue locks the void invoice and checks first).
// The outer column is spelled out: drizzle may print a selected column unqualified, and a bare "id" would mean r.id here.
const replacedBy = sql<string | null>`(select r.id from invoices r where r.replaces_invoice_id = invoices.id order by r.issued_at limit 1)`;

export const invoiceColumns = { customer_name: customerName, replaced_by_invoice_id: replacedBy };

export const invoiceResource: Resource = {
  name: 'invoices',
  label: 'Invoice',
  table: invoices,
  selection: {
    ...getTableColumns(invoices),
    customer_name: customerName.as('customer_name'),
    replaced_by_invoice_id: replacedBy.as('replaced_by_invoice_id'),
  },
};

export const invoiceLineResource: Resource = { name: 'invoice-lines', label: 'Invoice line', table: invoiceLines };

export interface IssueParams {
  customerId: string;
  periodStart: string;
  periodEnd: string;
  invoiceDate: string;
  runId?: string | null;
  replacesId?: string | null;
}

export interface BatchParams {
  /** Customers to invoice; their numbers follow customer id order within each series. */
  customerIds: string[];
  periodStart: string;
  periodEnd: string;
  invoiceDate: string;
  runId?: string | null;
  /** Only with a single customer: the void invoice this one replaces. */
  replacesId?: string | null;
}

export interface IssuedInvoice {
  id: string;
  customer_id: string;
  number: string;
  total_paise: number;
}

/**
 * Puts each customer's unbilled records of a period on one new invoice, inside the caller's transaction (or its own),
 * in a few set-based statements whatever the number of customers. Customers with nothing left to bill get none.
 * Lines are the sums of the records' own amounts, never recomputed, so an invoice equals its records to the paisa.
 *
 * Numbers: the series counter is advanced by the batch's count under its row lock, held until the caller's
 * transaction ends, so concurrent issuers queue there and a rollback gives the numbers back: no gap, no duplicate.
 */
export async function issueInvoices(ctx: Ctx, p: BatchParams): Promise<IssuedInvoice[]> {
  if (p.customerIds.length === 0) return [];
  if (p.replacesId && p.customerIds.length !== 1) throw new Error('issueInvoices: a replacement invoice is issued for one customer');
  return transaction(ctx, async (tx) => {
    const fy = financialYear(p.invoiceDate);
    // Read in this transaction: every invoice of the batch gets the same supplier block, term and prefixes, and keeps
    // its copy of the block (invoices.supplier), so a later change of the settings never changes an issued invoice.
    const settings = await getSettings(tx);
    const supplier = supplierBlock(settings);
    const ids = `{${p.customerIds.join(',')}}`;
    // Race: two runs (or a run and a reissue) reach the same customers. The first locks the records (in id order, so
    // two issuers never deadlock); the second waits, and once the first commits the rows no longer match
    // `invoice_id is null`: it gets none. The locked set is kept so a record confirmed meanwhile waits for the next run.
    await tx.db.execute(sql`
      create temp table issue_records on commit drop as
      select b.id, b.customer_id, b.product_id, b.quantity, b.unit_price_paise, b.hsn_code, b.gst_rate_bp,
             b.taxable_paise, b.cgst_paise, b.sgst_paise, b.total_paise
      from billing_records b
      where b.customer_id = any(${ids}::uuid[]) and b.invoice_id is null and not b.legacy_billed
        and b.service_date between ${p.periodStart}::date and ${p.periodEnd}::date
      order by b.customer_id, b.id
      for update`);
    const issued = rowsOf<IssuedInvoice>(
      await tx.db.execute(sql`
        with lines as (
          -- One line per product, price and tax rate (a price change mid-month gives two lines).
          select r.customer_id, r.product_id, pr.name as description, r.hsn_code, pr.unit, r.unit_price_paise, r.gst_rate_bp,
                 sum(r.quantity)::int as quantity, sum(r.taxable_paise)::int as taxable_paise, sum(r.cgst_paise)::int as cgst_paise,
                 sum(r.sgst_paise)::int as sgst_paise, sum(r.total_paise)::int as total_paise, count(*)::int as records
          from issue_records r join products pr on pr.id = r.product_id
          group by r.customer_id, r.product_id, pr.name, pr.unit, r.hsn_code, r.unit_price_paise, r.gst_rate_bp
        ), heads as (
          select customer_id,
                 case when bool_and(gst_rate_bp > 0) then 'tax_invoice' when bool_and(gst_rate_bp = 0) then 'bill_of_supply'
                      else 'invoice_cum_bill_of_supply' end::invoice_kind as kind,
                 coalesce(sum(taxable_paise) filter (where gst_rate_bp > 0), 0)::int as taxable_paise,
                 coalesce(sum(taxable_paise) filter (where gst_rate_bp = 0), 0)::int as exempt_paise,
                 sum(cgst_paise)::int as cgst_paise, sum(sgst_paise)::int as sgst_paise, sum(total_paise)::int as total_paise,
                 count(*)::int as lines, sum(records)::int as records
          from lines group by customer_id
        ), serial as (
          select h.*, case when h.kind = 'bill_of_supply' then ${settings.series_exempt} else ${settings.series_taxed} end as series from heads h
        ), counts as (
          select series, count(*)::int as n from serial group by series
        ), taken as (
          -- Series in name order, so two batches taking both never wait on each other crosswise.
          insert into document_series (series, financial_year, next_seq)
          select series, ${fy}, n + 1 from counts order by series
          on conflict (series, financial_year) do update set next_seq = document_series.next_seq + excluded.next_seq - 1
          returning series, next_seq
        ), numbered as (
          -- Numbers in customer order from the series' next one (MR/26-27/000123: at most 16 characters, GST Rule 46).
          select gen_random_uuid() as id, s.*, (t.next_seq - c.n - 1 + row_number() over (partition by s.series order by s.customer_id))::int as seq
          from serial s join counts c using (series) join taken t using (series)
        ), made as (
          insert into invoices (id, number, series, financial_year, seq, kind, customer_id, period_start, period_end, invoice_date, due_date,
                                place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, run_id, replaces_invoice_id, created_by)
          select id, series || '/' || ${fy} || '/' || lpad(seq::text, 6, '0'), series, ${fy}, seq, kind, customer_id,
                 ${p.periodStart}::date, ${p.periodEnd}::date, ${p.invoiceDate}::date, ${addDays(p.invoiceDate, settings.payment_term_days)}::date,
                 ${placeOfSupply(supplier)}, ${JSON.stringify(supplier)}::jsonb, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, ${p.runId ?? null}::uuid, ${p.replacesId ?? null}::uuid,
                 ${tx.actor?.id ?? null}::uuid
          from numbered
          returning *
        ), made_lines as (
          insert into invoice_lines (invoice_id, product_id, description, hsn_code, unit, quantity, unit_price_paise, gst_rate_bp,
                                     taxable_paise, cgst_paise, sgst_paise, total_paise)
          select n.id, l.product_id, l.description, l.hsn_code, l.unit, l.quantity, l.unit_price_paise, l.gst_rate_bp,
                 l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise
          from lines l join numbered n using (customer_id)
        ), audited as (
          insert into audit_logs (user_id, action, table_name, record_id, after, request_id)
          select ${tx.actor?.id ?? null}::uuid, 'issue', 'invoices', m.id,
                 to_jsonb(m) || jsonb_build_object('lines', n.lines, 'records', n.records), ${tx.requestId}
          from made m join numbered n using (id)
        )
        select id, customer_id, number, total_paise from made order by number`),
    );
    if (issued.length > 0) {
      await tx.db.execute(sql`
        update billing_records b set invoice_id = i.id
        from issue_records r join invoices i on i.customer_id = r.customer_id
        where b.id = r.id and i.id = any(${`{${issued.map((i) => i.id).join(',')}}`}::uuid[])`);
    }
    await tx.db.execute(sql`drop table issue_records`);
    // Each customer is told their bill is ready (WhatsApp, their language), written with the invoices.
    const dueDate = addDays(p.invoiceDate, settings.payment_term_days);
    await notifyCustomers(
      tx.db,
      'invoice.issued',
      issued.map((i) => ({ customerId: i.customer_id, payload: { invoice_number: i.number, total: formatRupees(Number(i.total_paise)), due_date: dueDate }, dedupeKey: `invoice-issued:${i.id}` })),
    );
    onCommit(tx, () => auditRowsWritten.inc(issued.length));
    return issued.map((i) => ({ ...i, total_paise: Number(i.total_paise) }));
  });
}

/** One customer's invoice of a period (a reissue, or a run of one); null when there is nothing left to bill. */
export async function issueInvoice(ctx: Ctx, p: IssueParams): Promise<typeof invoices.$inferSelect | null> {
  return transaction(ctx, async (tx) => {
    const [issued] = await issueInvoices(tx, { ...p, customerIds: [p.customerId] });
    if (!issued) return null;
    const [invoice] = await tx.db.select().from(invoices).where(eq(invoices.id, issued.id));
    return invoice;
  });
}

export async function getInvoice(ctx: Ctx, id: string): Promise<Row> {
  return getRow(ctx, invoiceResource, id);
}

export async function invoiceLinesOf(ctx: Ctx, invoiceId: string): Promise<Row[]> {
  await getRow(ctx, invoiceResource, invoiceId);
  return ctx.db.select().from(invoiceLines).where(eq(invoiceLines.invoice_id, invoiceId)).orderBy(asc(invoiceLines.description), asc(invoiceLines.id));
}

/** Voids an issued invoice and releases its billing records in one transaction, so they can be reissued. */
export async function voidInvoice(ctx: Ctx, id: string, input: { reason: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Money moves (what paid it comes off): the customer's money lock first, as every money verb takes it.
    await lockCustomerMoney(tx, await customerOf(tx, id));
    // Race: two voids of one invoice. The row lock queues the second, which then finds it void: 409.
    const before = await getRow(tx, invoiceResource, id, { lock: true });
    if (before.status !== 'issued') throw conflict(`Invoice ${before.number} is already void.`, 'invoice_already_void');
    // A grant may cap what its holder voids (conditions.max_amount_paise): the invoice's total is what is cancelled.
    if (tx.actor) assertWithinAmount(assertCan(tx.actor, 'invoices', 'void'), Number(before.total_paise));
    // A void invoice holds no money (CHECK invoices_void_unpaid): what payments paid on it becomes wallet credit, what
    // wallet credit paid goes back to its lots; a reissue then applies it to the new invoice.
    const reversed = await reverseAllocations(tx, { invoiceId: id }, `Invoice ${before.number} voided: ${input.reason}`);
    await creditFreedPayments(tx, reversed, `Paid on ${before.number}, which was voided`);
    await tx.db
      .update(invoices)
      .set({ status: 'void', void_reason: input.reason, voided_at: new Date(), voided_by: tx.actor?.id ?? null })
      .where(eq(invoices.id, id));
    // Only now that it is void may its records leave it (trigger billing_records_guard).
    const released = await tx.db.update(billingRecords).set({ invoice_id: null }).where(eq(billingRecords.invoice_id, id)).returning({ id: billingRecords.id });
    const after = await getRow(tx, invoiceResource, id);
    await audit(tx, { action: 'void', table: 'invoices', recordId: id, before, after: { ...after, released_records: released.length, reversed_allocations: reversed.length } });
    return after;
  });
}

async function customerOf(ctx: Ctx, invoiceId: string): Promise<string> {
  const [found] = await ctx.db.select({ customer_id: invoices.customer_id }).from(invoices).where(eq(invoices.id, invoiceId));
  if (!found) throw notFound('Invoice');
  return found.customer_id;
}

/** A new invoice, with the next number, for the customer and period of a void one, from its released records. */
export async function reissueInvoice(ctx: Ctx, id: string, input: { invoice_date?: string } = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await lockCustomerMoney(tx, await customerOf(tx, id));
    // Race: two reissues of one void invoice. The lock queues the second, which then sees the replacement: 409.
    const voided = await getRow(tx, invoiceResource, id, { lock: true });
    if (voided.status !== 'void') throw conflict(`Invoice ${voided.number} is issued; void it before reissuing.`, 'invoice_not_void');
    const [existing] = await tx.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.replaces_invoice_id, id));
    if (existing) throw conflict(`Invoice ${voided.number} was already reissued as ${existing.number}.`, 'already_reissued');
    const invoiceDate = input.invoice_date ?? todayIST();
    const issued = await issueInvoice(tx, {
      customerId: voided.customer_id as string,
      periodStart: voided.period_start as string,
      periodEnd: voided.period_end as string,
      invoiceDate,
      replacesId: id,
    });
    if (!issued) {
      throw unprocessable(`Nothing left to reissue: the records of ${voided.number} are already on another invoice.`, 'nothing_to_reissue');
    }
    // The customer's credit (what paid the void invoice, among it) settles the new one, as an invoice run would.
    const credit = await applyWalletCredit(tx, voided.customer_id as string, issued.id);
    await audit(tx, { action: 'reissue', table: 'invoices', recordId: id, after: { replaced_by: issued.id, number: issued.number, credit_applied_paise: credit.applied_paise } });
    return getRow(tx, invoiceResource, issued.id);
  });
}

/**
 * Void and reissue with an optional Idempotency-Key: a retry after a lost answer (or a double click) gets the first
 * answer again instead of a 409, and nothing happens twice.
 */
export function voidInvoiceOnce(ctx: Ctx, id: string, input: { reason: string }, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `invoices.void:${id}`, async (tx) => ({ status: 200, body: await voidInvoice(tx, id, input) }));
}

export function reissueInvoiceOnce(ctx: Ctx, id: string, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `invoices.reissue:${id}`, async (tx) => ({ status: 201, body: await reissueInvoice(tx, id) }));
}

export interface InvoiceDocument {
  invoice: Row;
  lines: Row[];
  customer: { name: string; phone: string; email: string | null; address: string[] };
  replaces_number: string | null;
}

/** Everything the PDF prints: the invoice, its lines, and the customer's name and billing address. */
export async function invoiceDocument(ctx: Ctx, id: string): Promise<InvoiceDocument> {
  const invoice = await getRow(ctx, invoiceResource, id);
  const lines = await invoiceLinesOf(ctx, id);
  const [customer] = await ctx.db.select().from(customers).where(eq(customers.id, invoice.customer_id as string));
  if (!customer) throw notFound('Customer');
  const [address] = await ctx.db
    .select()
    .from(addresses)
    .where(eq(addresses.customer_id, customer.id))
    .orderBy(desc(addresses.is_default), asc(addresses.created_at))
    .limit(1);
  let replaces_number: string | null = null;
  if (invoice.replaces_invoice_id) {
    const [r] = await ctx.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoice.replaces_invoice_id as string));
    replaces_number = r?.number ?? null;
  }
  const addressLines = address
    ? [
        [address.line1, address.line2].filter(Boolean).join(', '),
        address.landmark ? (/^near\b/i.test(address.landmark) ? address.landmark : `Near ${address.landmark}`) : '',
        `${address.city} ${address.pin_code}`,
      ].filter(Boolean)
    : [];
  return { invoice, lines, customer: { name: customer.name, phone: customer.phone, email: customer.email, address: addressLines }, replaces_number };
}
