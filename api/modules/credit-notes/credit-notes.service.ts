import { asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { addresses, creditNoteLines, creditNotes, customers, invoices } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { financialYear, todayIST } from '../../lib/dates.js';
import { conflict, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import { rowsOf } from '../../lib/sql.js';
import { lockCustomerMoney } from '../payments/customer-lock.js';
import { getSettings, supplierBlock } from '../settings/settings.service.js';
import type { CreditNoteCreate } from './credit-notes.schemas.js';

// Written as text: drizzle may print a selected column unqualified, and a bare "id" would mean the subquery's own.
export const creditNoteColumns = {
  customer_name: sql<string>`(select c.name from customers c where c.id = credit_notes.customer_id)`,
  created_by_name: sql<string | null>`(select u.name from users u where u.id = credit_notes.created_by)`,
  invoice_total_paise: sql<number>`(select i.total_paise from invoices i where i.id = credit_notes.invoice_id)`,
  lines_count: sql<number>`(select count(*)::int from credit_note_lines l where l.credit_note_id = credit_notes.id)`,
};

export const creditNoteResource: Resource = {
  name: 'credit-notes',
  label: 'Credit note',
  table: creditNotes,
  selection: {
    ...getTableColumns(creditNotes),
    customer_name: creditNoteColumns.customer_name.as('customer_name'),
    created_by_name: creditNoteColumns.created_by_name.as('created_by_name'),
    invoice_total_paise: creditNoteColumns.invoice_total_paise.as('invoice_total_paise'),
    lines_count: creditNoteColumns.lines_count.as('lines_count'),
  },
};

export const CREDIT_NOTE_REASONS = ['short_delivery', 'spoilt_product', 'billing_error'] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];
export const isCreditNoteReason = (reason: string): reason is CreditNoteReason => (CREDIT_NOTE_REASONS as readonly string[]).includes(reason);

/** What is left of an invoice line to credit: its amounts less what earlier credit notes reversed. */
export interface LineLeft {
  id: string;
  description: string;
  hsn_code: string;
  unit: string;
  gst_rate_bp: number;
  taxable: bigint;
  cgst: bigint;
  sgst: bigint;
}

export interface CreditLine {
  invoice_line_id: string;
  description: string;
  hsn_code: string;
  unit: string;
  gst_rate_bp: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}

/** a * b / c rounded half up, in integers (all >= 0, c > 0). */
const mulDivRound = (a: bigint, b: bigint, c: bigint) => (2n * a * b + c) / (2n * c);

/**
 * Splits `amount` (tax included) over the lines in proportion to what is left of each, in integer paise: each line
 * gets the floor of its share, and the paise left over go one each to the lines with the largest remainders (ties to
 * the earlier line), so the parts add up to `amount` exactly and none passes what its line has left. Within a line,
 * the tax is its tax left scaled by the same proportion (rounded half up), shared between CGST and SGST as they stand
 * (the odd paisa to CGST), and the taxable value is the rest: each line's total is exact and, note after note, no
 * column of a line is reversed past what it holds.
 */
export function splitCredit(lines: LineLeft[], amount: number): CreditLine[] {
  const left = lines.map((l) => l.taxable + l.cgst + l.sgst);
  const whole = left.reduce((s, v) => s + v, 0n);
  const want = BigInt(amount);
  if (want <= 0n || want > whole) throw new Error(`splitCredit: ${amount} is not within 1..${whole}`);
  const shares = left.map((v) => (want * v) / whole);
  let spare = want - shares.reduce((s, v) => s + v, 0n);
  const byRemainder = left
    .map((v, i) => ({ i, remainder: (want * v) % whole }))
    .filter((r) => r.remainder > 0n)
    .sort((x, y) => (x.remainder === y.remainder ? x.i - y.i : x.remainder > y.remainder ? -1 : 1));
  for (const r of byRemainder) {
    if (spare === 0n) break;
    shares[r.i] += 1n;
    spare -= 1n;
  }
  return lines.flatMap((l, i) => {
    const part = shares[i];
    if (part === 0n) return [];
    // The line's tax left, scaled; kept within what the part and each column allow (a line credited note after note
    // may have little taxable value left beside its tax, or the reverse).
    const taxLeft = l.cgst + l.sgst;
    const tax = clamp(mulDivRound(taxLeft, part, left[i]), part > l.taxable ? part - l.taxable : 0n, part < taxLeft ? part : taxLeft);
    const cgst = taxLeft === 0n ? 0n : clamp(mulDivRound(l.cgst, tax, taxLeft), tax > l.sgst ? tax - l.sgst : 0n, tax < l.cgst ? tax : l.cgst);
    const sgst = tax - cgst;
    return [
      {
        invoice_line_id: l.id,
        description: l.description,
        hsn_code: l.hsn_code,
        unit: l.unit,
        gst_rate_bp: l.gst_rate_bp,
        taxable_paise: Number(part - tax),
        cgst_paise: Number(cgst),
        sgst_paise: Number(sgst),
        total_paise: Number(part),
      },
    ];
  });
}

const clamp = (v: bigint, lo: bigint, hi: bigint) => (v < lo ? lo : v > hi ? hi : v);

export interface IssueCreditNote {
  invoice_id: string;
  amount_paise: number;
  reason: CreditNoteReason;
  note: string;
  refund_id?: string | null;
}

/**
 * Issues a GST credit note against an invoice in the caller's transaction (or its own): the invoice locked first (its
 * notes queue there), its lines reversed in proportion (splitCredit), the next number of the financial year's series
 * taken under the counter's row lock (a rollback gives it back: no gap), the invoice's balance due lowered by the
 * note's trigger. Refused with a message when the invoice is void or has less left to credit or to pay.
 */
export async function issueCreditNote(ctx: Ctx, input: IssueCreditNote): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const [owner] = await tx.db.select({ customer_id: invoices.customer_id }).from(invoices).where(eq(invoices.id, input.invoice_id));
    if (!owner) throw notFound('Invoice');
    // The customer's money lock first, as every verb moving it takes it (a refund's approval holds it already).
    await lockCustomerMoney(tx, owner.customer_id);
    const [invoice] = await tx.db.select().from(invoices).where(eq(invoices.id, input.invoice_id)).for('update');
    if (!invoice) throw notFound('Invoice');
    if (invoice.status !== 'issued') throw conflict(`Invoice ${invoice.number} is void: no credit note can reduce it.`, 'invoice_void');
    const lines = rowsOf<{ id: string; description: string; hsn_code: string; unit: string; gst_rate_bp: number; taxable: string; cgst: string; sgst: string }>(
      await tx.db.execute(sql`
        select il.id, il.description, il.hsn_code, il.unit, il.gst_rate_bp,
               il.taxable_paise - coalesce(s.taxable, 0) as taxable, il.cgst_paise - coalesce(s.cgst, 0) as cgst, il.sgst_paise - coalesce(s.sgst, 0) as sgst
        from invoice_lines il
        left join (select invoice_line_id, sum(taxable_paise) as taxable, sum(cgst_paise) as cgst, sum(sgst_paise) as sgst
                   from credit_note_lines group by invoice_line_id) s on s.invoice_line_id = il.id
        where il.invoice_id = ${invoice.id}
        order by il.description, il.id`),
    ).map((l) => ({ ...l, gst_rate_bp: Number(l.gst_rate_bp), taxable: BigInt(l.taxable), cgst: BigInt(l.cgst), sgst: BigInt(l.sgst) }));
    const creditable = Number(lines.reduce((s, l) => s + l.taxable + l.cgst + l.sgst, 0n));
    const rupees = (p: number) => new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(p / 100);
    if (input.amount_paise > creditable) {
      throw unprocessable(`Invoice ${invoice.number} has ${rupees(creditable)} left to credit; this note is for ${rupees(input.amount_paise)}.`, 'credit_over_invoice');
    }
    if (input.amount_paise > Number(invoice.balance_due_paise)) {
      throw unprocessable(
        `Invoice ${invoice.number} has ${rupees(Number(invoice.balance_due_paise))} still due; a credit note of ${rupees(input.amount_paise)} would take it below what was paid for it (refund the payment instead).`,
        'credit_over_balance',
      );
    }
    const parts = splitCredit(lines, input.amount_paise);
    const sum = (f: (l: CreditLine) => number) => parts.reduce((s, l) => s + f(l), 0);
    // Dated today, never before the invoice it cites; the financial year is the note's own date's.
    const today = todayIST();
    const noteDate = today < invoice.invoice_date ? invoice.invoice_date : today;
    const fy = financialYear(noteDate);
    const supplier = supplierBlock(await getSettings(tx));
    const [{ seq }] = rowsOf<{ seq: number }>(
      await tx.db.execute(sql`
        insert into credit_note_series (financial_year, next_seq) values (${fy}, 2)
        on conflict (financial_year) do update set next_seq = credit_note_series.next_seq + 1
        returning next_seq - 1 as seq`),
    );
    const [note] = await tx.db
      .insert(creditNotes)
      .values({
        number: `CN/${fy}/${String(seq).padStart(6, '0')}`,
        financial_year: fy,
        seq: Number(seq),
        customer_id: invoice.customer_id,
        invoice_id: invoice.id,
        refund_id: input.refund_id ?? null,
        reason: input.reason,
        note: input.note,
        note_date: noteDate,
        invoice_number: invoice.number,
        invoice_date: invoice.invoice_date,
        place_of_supply: invoice.place_of_supply,
        supplier,
        taxable_paise: sum((l) => (l.gst_rate_bp > 0 ? l.taxable_paise : 0)),
        exempt_paise: sum((l) => (l.gst_rate_bp === 0 ? l.taxable_paise : 0)),
        cgst_paise: sum((l) => l.cgst_paise),
        sgst_paise: sum((l) => l.sgst_paise),
        total_paise: input.amount_paise,
        created_by: tx.actor?.id ?? null,
      })
      .returning({ id: creditNotes.id });
    await tx.db.insert(creditNoteLines).values(parts.map((l) => ({ ...l, credit_note_id: note.id })));
    const after = await getRow(tx, creditNoteResource, note.id);
    await audit(tx, { action: 'issue', table: 'credit-notes', recordId: note.id, after: { ...after, lines: parts } });
    return after;
  });
}

/** An adjustment of an invoice alone (POST /api/credit-notes): no refund, the balance due falls. Honours Idempotency-Key. */
export function createCreditNoteOnce(ctx: Ctx, input: CreditNoteCreate, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `credit-notes.create:${input.invoice_id}`, async (tx) => ({ status: 201, body: await issueCreditNote(tx, { ...input, refund_id: null }) }));
}

export async function creditNoteLinesOf(ctx: Ctx, id: string): Promise<Row[]> {
  await getRow(ctx, creditNoteResource, id);
  return ctx.db.select().from(creditNoteLines).where(eq(creditNoteLines.credit_note_id, id)).orderBy(asc(creditNoteLines.description), asc(creditNoteLines.id));
}

export interface CreditNoteDocument {
  note: Row;
  lines: Row[];
  customer: { name: string; phone: string; address: string[] };
}

/** Everything the PDF prints: the note, its lines, and the customer's name and billing address. */
export async function creditNoteDocument(ctx: Ctx, id: string): Promise<CreditNoteDocument> {
  const note = await getRow(ctx, creditNoteResource, id);
  const lines = await creditNoteLinesOf(ctx, id);
  const [customer] = await ctx.db.select().from(customers).where(eq(customers.id, note.customer_id as string));
  if (!customer) throw notFound('Customer');
  const [address] = await ctx.db
    .select()
    .from(addresses)
    .where(eq(addresses.customer_id, customer.id))
    .orderBy(desc(addresses.is_default), asc(addresses.created_at))
    .limit(1);
  const addressLines = address ? [[address.line1, address.line2].filter(Boolean).join(', '), `${address.city} ${address.pin_code}`].filter(Boolean) : [];
  return { note, lines, customer: { name: customer.name, phone: customer.phone, address: addressLines } };
}
