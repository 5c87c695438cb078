import type { SupplierBlock } from '../../../db/schema/index.js';
import { day, MUTED, percent, Sheet, type Column, type Total } from '../../lib/pdf.js';
import { formatPaise } from '../invoices/amount-words.js';
import { exemptCell } from '../invoices/invoices.pdf.js';
import type { CreditNoteDocument } from './credit-notes.service.js';

// The credit note as the invoice prints: same look and particulars, plus what GST asks of a credit note (section 34,
// Rule 53): its own number and date, the invoice it cites and why.
const n = (v: unknown) => Number(v);

export const reasonLabels: Record<string, string> = {
  short_delivery: 'Short delivery',
  spoilt_product: 'Spoilt product',
  billing_error: 'Billing error',
};

const columns: Column[] = [
  { key: 'no', title: '#', width: 18, align: 'center' },
  { key: 'description', title: 'Description of goods', width: 140, align: 'left' },
  { key: 'hsn', title: 'HSN', width: 40, align: 'center' },
  { key: 'taxable', title: 'Taxable value (₹)', width: 64, align: 'right' },
  { key: 'cgst_rate', title: 'CGST rate', width: 40, align: 'center' },
  { key: 'cgst', title: 'CGST (₹)', width: 50, align: 'right' },
  { key: 'sgst_rate', title: 'SGST rate', width: 40, align: 'center' },
  { key: 'sgst', title: 'SGST (₹)', width: 50, align: 'right' },
  { key: 'total', title: 'Total (₹)', width: 0, align: 'right' },
];

/** Renders a credit note as an A4 PDF. */
export function renderCreditNotePdf(data: CreditNoteDocument): Promise<Buffer> {
  const { note, lines, customer } = data;
  const supplier = note.supplier as SupplierBlock;
  const s = new Sheet({ Title: `CREDIT NOTE ${note.number}`, Author: supplier.name, Subject: `Credit note ${note.number} against invoice ${note.invoice_number}` });
  const { left, half } = s;

  s.title('CREDIT NOTE', 'Original for recipient');
  const supplierEnd = s.supplier(supplier, { tax: true });
  const factsEnd = s.facts(
    [
      ['Credit note no.', String(note.number)],
      ['Credit note date', day(note.note_date)],
      ['Against invoice no.', String(note.invoice_number)],
      ['Invoice date', day(note.invoice_date)],
      ['Reason', reasonLabels[String(note.reason)] ?? String(note.reason)],
      ['Place of supply', String(note.place_of_supply)],
      ['Reverse charge', 'No'],
    ],
    { labelWidth: 96, strong: (label) => label.endsWith('no.') },
  );
  s.y = Math.max(supplierEnd, factsEnd) + 6;
  s.rule();

  s.text('Issued to', left, s.y, { color: MUTED, size: 7.5 });
  s.y += 10;
  s.text(customer.name, left, s.y, { font: 'B', size: 10 });
  s.y += 13;
  for (const l of [...customer.address, `Phone: ${customer.phone}`, 'GSTIN: unregistered (consumer)', `State: ${supplier.state}, code ${supplier.state_code}`]) {
    s.text(l, left, s.y, { width: half });
    s.y += 11;
  }
  s.y += 6;

  const table = s.table(columns, { header: 22, rules: true, reserve: 60 });
  lines.forEach((l, i) => {
    const exempt = n(l.gst_rate_bp) === 0;
    table.row(
      {
        no: String(i + 1),
        description: `${l.description}${exempt ? ' *' : ''}`,
        hsn: String(l.hsn_code),
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

  s.ensure(220);
  const totals: Total[] = [
    ...(n(note.taxable_paise) + n(note.cgst_paise) > 0
      ? [
          { label: 'Taxable value of taxed goods', paise: n(note.taxable_paise) },
          { label: 'CGST', paise: n(note.cgst_paise) },
          { label: 'SGST', paise: n(note.sgst_paise) },
        ]
      : []),
    ...(n(note.exempt_paise) > 0 ? [{ label: 'Value of exempt goods', paise: n(note.exempt_paise) }] : []),
    { label: 'Total credited', paise: n(note.total_paise), strong: true },
  ];
  s.totals(totals, n(note.total_paise));
  s.notes([
    `This credit note reduces invoice ${note.invoice_number} of ${day(note.invoice_date)} by ₹ ${formatPaise(n(note.total_paise))}: its lines and their tax are reversed in that proportion (section 34 of the CGST Act).`,
    ...(lines.some((l) => n(l.gst_rate_bp) === 0) ? ['* Exempt supply: no GST was charged on these lines, none is reversed.'] : []),
    ...(note.note ? [`Note: ${note.note}`] : []),
  ]);
  s.signature(supplier.name);
  return s.finish({
    note: 'This is a computer generated credit note and does not require a signature.',
    page: (i, count) => `${note.number} · page ${i} of ${count}`,
  });
}
