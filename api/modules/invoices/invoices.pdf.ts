import { day, MUTED, percent, Sheet, type Column, type Total } from '../../lib/pdf.js';
import { formatPaise } from './amount-words.js';
import type { InvoiceDocument } from './invoices.service.js';
import type { SupplierBlock } from '../../../db/schema/index.js';

const titles = {
  tax_invoice: 'TAX INVOICE',
  bill_of_supply: 'BILL OF SUPPLY',
  invoice_cum_bill_of_supply: 'INVOICE-CUM-BILL OF SUPPLY',
} as const;

const n = (v: unknown) => Number(v);

const columns: Column[] = [
  { key: 'no', title: '#', width: 16, align: 'center' },
  { key: 'description', title: 'Description of goods', width: 104, align: 'left' },
  { key: 'hsn', title: 'HSN', width: 34, align: 'center' },
  { key: 'qty', title: 'Qty', width: 50, align: 'right' },
  { key: 'rate', title: 'Rate (₹)', width: 44, align: 'right' },
  { key: 'taxable', title: 'Taxable value (₹)', width: 56, align: 'right' },
  { key: 'cgst_rate', title: 'CGST rate', width: 36, align: 'center' },
  { key: 'cgst', title: 'CGST (₹)', width: 42, align: 'right' },
  { key: 'sgst_rate', title: 'SGST rate', width: 36, align: 'center' },
  { key: 'sgst', title: 'SGST (₹)', width: 42, align: 'right' },
  { key: 'total', title: 'Total (₹)', width: 0, align: 'right' },
];

/** An exempt line's tax cells: centred and muted. */
export const exemptCell = (exempt: boolean) => (key: string) => (exempt && /^(cgst|sgst)/.test(key) ? { align: 'center' as const, color: MUTED } : undefined);

/** Renders an invoice as an A4 PDF with the particulars GST Rule 46 (tax invoice) and Rule 49 (bill of supply) ask for. */
export function renderInvoicePdf(data: InvoiceDocument): Promise<Buffer> {
  const { invoice, lines, customer } = data;
  // The block the invoice was issued with, never today's settings: an issued GST invoice does not change.
  const supplier = invoice.supplier as SupplierBlock;
  const kind = invoice.kind as keyof typeof titles;
  const s = new Sheet({ Title: `${titles[kind]} ${invoice.number}`, Author: supplier.name, Subject: `Invoice ${invoice.number} for ${customer.name}` });
  const { left, half } = s;

  s.title(titles[kind], 'Original for recipient');
  // Supplier (left) and document particulars (right).
  const supplierEnd = s.supplier(supplier, { tax: true });
  const factsEnd = s.facts(
    [
      [kind === 'bill_of_supply' ? 'Bill of supply no.' : 'Invoice no.', String(invoice.number)],
      ['Invoice date', day(invoice.invoice_date)],
      ['Billing period', `${day(invoice.period_start)} to ${day(invoice.period_end)}`],
      ['Due date', day(invoice.due_date)],
      ['Place of supply', String(invoice.place_of_supply)],
      ['Reverse charge', 'No'],
    ],
    { labelWidth: 90, strong: (label) => label.endsWith('no.') },
  );
  s.y = Math.max(supplierEnd, factsEnd) + 6;
  s.rule();

  // Recipient, billed and shipped to the same consumer.
  s.text('Bill to', left, s.y, { color: MUTED, size: 7.5 });
  s.text('Ship to', s.column2, s.y, { color: MUTED, size: 7.5 });
  s.y += 10;
  s.text(customer.name, left, s.y, { font: 'B', size: 10 });
  s.text(customer.name, s.column2, s.y, { font: 'B', size: 10 });
  s.y += 13;
  for (const l of [...customer.address, `Phone: ${customer.phone}`, 'GSTIN: unregistered (consumer)']) {
    s.text(l, left, s.y, { width: half });
    if (!l.startsWith('GSTIN')) s.text(l, s.column2, s.y, { width: half - 20 });
    s.y += 11;
  }
  s.text(`State: ${supplier.state}, code ${supplier.state_code}`, left, s.y);
  s.y += 16;

  const table = s.table(columns, { header: 22, rules: true, reserve: 60 });
  lines.forEach((l, i) => {
    const exempt = n(l.gst_rate_bp) === 0;
    table.row(
      {
        no: String(i + 1),
        description: `${l.description}${exempt ? ' *' : ''}`,
        hsn: String(l.hsn_code),
        qty: `${n(l.quantity).toLocaleString('en-IN')} ${l.unit}`,
        rate: formatPaise(n(l.unit_price_paise)),
        taxable: formatPaise(n(l.taxable_paise)),
        cgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
        cgst: exempt ? '–' : formatPaise(n(l.cgst_paise)),
        sgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
        sgst: exempt ? '–' : formatPaise(n(l.sgst_paise)),
        total: formatPaise(n(l.total_paise)),
      },
      { cell: exemptCell(exempt) },
    );
  });
  table.end();
  s.y += 10;

  s.ensure(230);
  // A bill of supply carries no tax rows; a tax invoice no exempt row.
  const totals: Total[] = [
    ...(kind !== 'bill_of_supply'
      ? [
          { label: 'Taxable value of taxed goods', paise: n(invoice.taxable_paise) },
          { label: 'CGST', paise: n(invoice.cgst_paise) },
          { label: 'SGST', paise: n(invoice.sgst_paise) },
        ]
      : []),
    ...(kind !== 'tax_invoice' ? [{ label: 'Value of exempt goods', paise: n(invoice.exempt_paise) }] : []),
    { label: 'Total amount', paise: n(invoice.total_paise), strong: true },
  ];
  s.totals(totals, n(invoice.total_paise));

  const notes: string[] = [];
  if (kind === 'bill_of_supply') {
    notes.push('Bill of supply: every item here is an exempt supply (GST not chargeable), issued under section 31(3)(c) of the CGST Act.');
  } else if (kind === 'invoice_cum_bill_of_supply') {
    notes.push('Invoice-cum-bill of supply: taxed and exempt goods together (Rule 46A of the CGST Rules).');
  }
  if (lines.some((l) => n(l.gst_rate_bp) === 0)) {
    notes.push('* Exempt supply: fresh milk, curd, buttermilk, paneer and similar goods attract no GST; no tax is charged on these lines.');
  }
  notes.push(`Payment due by ${day(invoice.due_date)}. Pay by UPI to ${supplier.upi_id}, quoting ${invoice.number}.`);
  if (data.replaces_number) notes.push(`This invoice replaces ${data.replaces_number}, which was cancelled.`);
  if (invoice.status === 'void') notes.push(`CANCELLED on ${String(invoice.voided_at ?? '').slice(0, 10)}: ${invoice.void_reason}`);
  s.notes(notes);
  s.signature(supplier.name);

  // A VOID stamp across every page of a cancelled invoice.
  return s.finish({
    note: 'This is a computer generated invoice and does not require a signature.',
    page: (i, count) => `${invoice.number} · page ${i} of ${count}`,
    stamp: invoice.status === 'void' ? 'VOID' : undefined,
  });
}
