import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { addresses, billingRecords, customers, documentSeries, invoiceLines, invoices, products } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { addDays, financialYear, todayIST } from '../../lib/dates.js';
import { conflict, notFound, unprocessable } from '../../lib/errors.js';
import { invoiceSeries, paymentTermDays } from './supplier.js';

type InvoiceKind = (typeof invoices.$inferSelect)['kind'];

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

interface LineDraft {
  product_id: string;
  description: string;
  hsn_code: string;
  unit: string;
  unit_price_paise: number;
  gst_rate_bp: number;
  quantity: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}

const unbilledOf = (customerId: string, start: string, end: string) =>
  and(
    eq(billingRecords.customer_id, customerId),
    isNull(billingRecords.invoice_id),
    eq(billingRecords.legacy_billed, false),
    gte(billingRecords.service_date, start),
    lte(billingRecords.service_date, end),
  );

export function kindOf(lines: { gst_rate_bp: number }[]): InvoiceKind {
  const taxed = lines.filter((l) => l.gst_rate_bp > 0).length;
  if (taxed === lines.length) return 'tax_invoice';
  if (taxed === 0) return 'bill_of_supply';
  return 'invoice_cum_bill_of_supply';
}

/** `MR/26-27/000123`: at most 16 characters (GST Rule 46) up to 9,999,999 documents a year. */
export const formatNumber = (series: string, fy: string, seq: number) => `${series}/${fy}/${String(seq).padStart(6, '0')}`;

/**
 * Takes the next number of a series and year. The upsert holds the series row's lock until the caller's
 * transaction ends, so concurrent issuers queue here, and a rollback gives the number back: no gap, no duplicate.
 */
export async function nextNumber(ctx: Ctx, series: string, fy: string): Promise<{ seq: number; number: string }> {
  if (!ctx.inTx) throw new Error('nextNumber() must run inside the transaction that uses the number');
  const [row] = await ctx.db
    .insert(documentSeries)
    .values({ series, financial_year: fy, next_seq: 2 })
    .onConflictDoUpdate({ target: [documentSeries.series, documentSeries.financial_year], set: { next_seq: sql`${documentSeries.next_seq} + 1` } })
    .returning({ seq: sql<number>`${documentSeries.next_seq} - 1` });
  const seq = Number(row.seq);
  return { seq, number: formatNumber(series, fy, seq) };
}

/**
 * Puts a customer's unbilled records of a period on one new invoice, inside the caller's transaction
 * (or its own). Returns null when there is nothing left to bill. Line amounts are the sums of the
 * records' own amounts, never recomputed, so the invoice equals its records to the paisa.
 */
export async function issueInvoice(ctx: Ctx, p: IssueParams): Promise<typeof invoices.$inferSelect | null> {
  return transaction(ctx, async (tx) => {
    // Race: two runs (or a run and a reissue) reach the same customer. The first locks the records; the
    // second waits here, and once the first commits its rows no longer match `invoice_id is null`: it gets none.
    const records = await tx.db
      .select({
        id: billingRecords.id,
        product_id: billingRecords.product_id,
        quantity: billingRecords.quantity,
        unit_price_paise: billingRecords.unit_price_paise,
        hsn_code: billingRecords.hsn_code,
        gst_rate_bp: billingRecords.gst_rate_bp,
        taxable_paise: billingRecords.taxable_paise,
        cgst_paise: billingRecords.cgst_paise,
        sgst_paise: billingRecords.sgst_paise,
        total_paise: billingRecords.total_paise,
        description: products.name,
        unit: products.unit,
      })
      .from(billingRecords)
      .innerJoin(products, eq(products.id, billingRecords.product_id))
      .where(unbilledOf(p.customerId, p.periodStart, p.periodEnd))
      .orderBy(asc(billingRecords.id))
      .for('update', { of: billingRecords });
    if (records.length === 0) return null;

    // One line per product, price and tax rate (a price change mid-month gives two lines).
    const grouped = new Map<string, LineDraft>();
    for (const r of records) {
      const key = `${r.product_id}|${r.unit_price_paise}|${r.gst_rate_bp}|${r.hsn_code}`;
      const line = grouped.get(key) ?? {
        product_id: r.product_id,
        description: r.description,
        hsn_code: r.hsn_code,
        unit: r.unit,
        unit_price_paise: r.unit_price_paise,
        gst_rate_bp: r.gst_rate_bp,
        quantity: 0,
        taxable_paise: 0,
        cgst_paise: 0,
        sgst_paise: 0,
        total_paise: 0,
      };
      line.quantity += r.quantity;
      line.taxable_paise += r.taxable_paise;
      line.cgst_paise += r.cgst_paise;
      line.sgst_paise += r.sgst_paise;
      line.total_paise += r.total_paise;
      grouped.set(key, line);
    }
    const lines = [...grouped.values()].sort(
      (a, b) => a.description.localeCompare(b.description) || a.unit_price_paise - b.unit_price_paise || a.gst_rate_bp - b.gst_rate_bp,
    );
    const kind = kindOf(lines);
    const series = kind === 'bill_of_supply' ? invoiceSeries.exempt : invoiceSeries.taxed;
    const fy = financialYear(p.invoiceDate);
    const sum = (pick: (l: LineDraft) => number, which: (l: LineDraft) => boolean = () => true) =>
      lines.filter(which).reduce((s, l) => s + pick(l), 0);

    // Numbered last, so the series row stays locked for as short a time as possible.
    const { seq, number } = await nextNumber(tx, series, fy);
    const [invoice] = await tx.db
      .insert(invoices)
      .values({
        number,
        series,
        financial_year: fy,
        seq,
        kind,
        customer_id: p.customerId,
        period_start: p.periodStart,
        period_end: p.periodEnd,
        invoice_date: p.invoiceDate,
        due_date: addDays(p.invoiceDate, paymentTermDays),
        taxable_paise: sum((l) => l.taxable_paise, (l) => l.gst_rate_bp > 0),
        exempt_paise: sum((l) => l.taxable_paise, (l) => l.gst_rate_bp === 0),
        cgst_paise: sum((l) => l.cgst_paise),
        sgst_paise: sum((l) => l.sgst_paise),
        total_paise: sum((l) => l.total_paise),
        run_id: p.runId ?? null,
        replaces_invoice_id: p.replacesId ?? null,
        created_by: tx.actor?.id ?? null,
      })
      .returning();
    await tx.db.insert(invoiceLines).values(lines.map((l) => ({ ...l, invoice_id: invoice.id })));
    await tx.db
      .update(billingRecords)
      .set({ invoice_id: invoice.id })
      .where(inArray(billingRecords.id, records.map((r) => r.id)));
    await audit(tx, { action: 'issue', table: 'invoices', recordId: invoice.id, after: { ...invoice, lines: lines.length, records: records.length } });
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
    // Race: two voids of one invoice. The row lock queues the second, which then finds it void: 409.
    const before = await getRow(tx, invoiceResource, id, { lock: true });
    if (before.status !== 'issued') throw conflict(`Invoice ${before.number} is already void.`, 'invoice_already_void');
    await tx.db
      .update(invoices)
      .set({ status: 'void', void_reason: input.reason, voided_at: new Date(), voided_by: tx.actor?.id ?? null })
      .where(eq(invoices.id, id));
    // Only now that it is void may its records leave it (trigger billing_records_guard).
    const released = await tx.db.update(billingRecords).set({ invoice_id: null }).where(eq(billingRecords.invoice_id, id)).returning({ id: billingRecords.id });
    const after = await getRow(tx, invoiceResource, id);
    await audit(tx, { action: 'void', table: 'invoices', recordId: id, before, after: { ...after, released_records: released.length } });
    return after;
  });
}

/** A new invoice, with the next number, for the customer and period of a void one, from its released records. */
export async function reissueInvoice(ctx: Ctx, id: string, input: { invoice_date?: string } = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
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
    await audit(tx, { action: 'reissue', table: 'invoices', recordId: id, after: { replaced_by: issued.id, number: issued.number } });
    return getRow(tx, invoiceResource, issued.id);
  });
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
