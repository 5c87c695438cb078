import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatPaise, rupeesInWords } from './amount-words.js';
import type { InvoiceDocument } from './invoices.service.js';
import type { SupplierBlock } from '../../../db/schema/index.js';

// DejaVu ships with npm (no system font needed) and has the rupee sign; the condensed cut fits the GST table's columns.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(join(fontDir, 'DejaVuSansCondensed.ttf')),
    bold: readFileSync(join(fontDir, 'DejaVuSansCondensed-Bold.ttf')),
  });

const titles = {
  tax_invoice: 'TAX INVOICE',
  bill_of_supply: 'BILL OF SUPPLY',
  invoice_cum_bill_of_supply: 'INVOICE-CUM-BILL OF SUPPLY',
} as const;

const INK = '#1f2328';
const MUTED = '#57606a';
const RULE = '#8c959f';
const SHADE = '#eef1f4';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '2026-09-01' -> '01 Sep 2026'. */
const day = (d: unknown) => {
  const [y, m, dd] = String(d).slice(0, 10).split('-');
  return `${dd} ${months[Number(m) - 1]} ${y}`;
};
const percent = (bp: number) => `${(bp / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}%`;
const n = (v: unknown) => Number(v);

interface Column {
  key: string;
  title: string;
  width: number;
  align: 'left' | 'right' | 'center';
}

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

/** Renders an invoice as an A4 PDF with the particulars GST Rule 46 (tax invoice) and Rule 49 (bill of supply) ask for. */
export function renderInvoicePdf(data: InvoiceDocument): Promise<Buffer> {
  const { invoice, lines, customer } = data;
  // The block the invoice was issued with, never today's settings: an issued GST invoice does not change.
  const supplier = invoice.supplier as SupplierBlock;
  const kind = invoice.kind as keyof typeof titles;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 36, bottom: 36, left: 36, right: 36 },
    bufferPages: true,
    info: { Title: `${titles[kind]} ${invoice.number}`, Author: supplier.name, Subject: `Invoice ${invoice.number} for ${customer.name}`, Creator: 'Milkrun' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const { regular, bold } = loadFonts();
  doc.registerFont('R', regular);
  doc.registerFont('B', bold);

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const right = left + width;
  columns[columns.length - 1].width = width - columns.slice(0, -1).reduce((s, c) => s + c.width, 0);

  const text = (s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions & { font?: 'R' | 'B'; size?: number; color?: string } = {}) => {
    const { font = 'R', size = 8.5, color = INK, ...rest } = opts;
    doc.font(font).fontSize(size).fillColor(color).text(s, x, y, { lineBreak: true, ...rest });
  };
  const hline = (y: number, x1 = left, x2 = right, color = RULE) => doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.6).strokeColor(color).stroke();

  // Title band.
  let y = doc.page.margins.top;
  text(titles[kind], left, y, { font: 'B', size: 16, width, align: 'center' });
  text('Original for recipient', left, y + 4, { size: 7.5, color: MUTED, width, align: 'right' });
  y += 26;
  hline(y, left, right, INK);
  y += 8;

  // Supplier (left) and document particulars (right).
  const half = width / 2;
  let ly = y;
  text(supplier.name, left, ly, { font: 'B', size: 12 });
  ly += 16;
  for (const l of supplier.address_lines) {
    text(l, left, ly);
    ly += 11;
  }
  text(`GSTIN: ${supplier.gstin}    PAN: ${supplier.pan}`, left, ly, { font: 'B' });
  ly += 11;
  text(`State: ${supplier.state}, code ${supplier.state_code}`, left, ly);
  ly += 11;
  text(`${supplier.phone}  ·  ${supplier.email}`, left, ly, { color: MUTED });
  ly += 11;

  const facts: [string, string][] = [
    [kind === 'bill_of_supply' ? 'Bill of supply no.' : 'Invoice no.', String(invoice.number)],
    ['Invoice date', day(invoice.invoice_date)],
    ['Billing period', `${day(invoice.period_start)} to ${day(invoice.period_end)}`],
    ['Due date', day(invoice.due_date)],
    ['Place of supply', String(invoice.place_of_supply)],
    ['Reverse charge', 'No'],
  ];
  let ry = y;
  const labelX = left + half + 20;
  for (const [label, value] of facts) {
    text(label, labelX, ry, { color: MUTED, width: 90 });
    text(value, labelX + 92, ry, { font: label.endsWith('no.') ? 'B' : 'R', width: right - labelX - 92 });
    ry += 12;
  }
  y = Math.max(ly, ry) + 6;
  hline(y);
  y += 8;

  // Recipient.
  text('Bill to', left, y, { color: MUTED, size: 7.5 });
  text('Ship to', left + half + 20, y, { color: MUTED, size: 7.5 });
  y += 10;
  const recipient = [...customer.address, `Phone: ${customer.phone}`, 'GSTIN: unregistered (consumer)'];
  text(customer.name, left, y, { font: 'B', size: 10 });
  text(customer.name, left + half + 20, y, { font: 'B', size: 10 });
  y += 13;
  for (const l of recipient) {
    text(l, left, y, { width: half });
    if (!l.startsWith('GSTIN')) text(l, left + half + 20, y, { width: half - 20 });
    y += 11;
  }
  text(`State: ${supplier.state}, code ${supplier.state_code}`, left, y);
  y += 16;

  // Lines.
  // Vertical rules between columns, drawn once a block of rows (header or body) is done.
  const vrules = (top: number, bottom: number) => {
    let x = left;
    for (const c of columns.slice(0, -1)) {
      x += c.width;
      doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.4).strokeColor('#d0d7de').stroke();
    }
    doc.rect(left, top, width, bottom - top).lineWidth(0.6).strokeColor(RULE).stroke();
  };
  let bodyTop = y;
  const drawHeader = () => {
    const h = 22;
    doc.rect(left, y, width, h).fillColor(SHADE).fill();
    let x = left;
    for (const c of columns) {
      text(c.title, x + 3, y + 3, { font: 'B', size: 7, width: c.width - 6, align: c.align });
      x += c.width;
    }
    vrules(y, y + h);
    y += h;
    bodyTop = y;
  };
  drawHeader();
  const exemptMark = '*';
  lines.forEach((l, i) => {
    const exempt = n(l.gst_rate_bp) === 0;
    const cells: Record<string, string> = {
      no: String(i + 1),
      description: `${l.description}${exempt ? ` ${exemptMark}` : ''}`,
      hsn: String(l.hsn_code),
      qty: `${n(l.quantity).toLocaleString('en-IN')} ${l.unit}`,
      rate: formatPaise(n(l.unit_price_paise)),
      taxable: formatPaise(n(l.taxable_paise)),
      cgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
      cgst: exempt ? '–' : formatPaise(n(l.cgst_paise)),
      sgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
      sgst: exempt ? '–' : formatPaise(n(l.sgst_paise)),
      total: formatPaise(n(l.total_paise)),
    };
    doc.font('R').fontSize(8);
    const h = Math.max(...columns.map((c) => doc.heightOfString(cells[c.key], { width: c.width - 6 }))) + 6;
    if (y + h > doc.page.height - doc.page.margins.bottom - 60) {
      vrules(bodyTop, y);
      doc.addPage();
      y = doc.page.margins.top;
      drawHeader();
    }
    let x = left;
    for (const c of columns) {
      const exemptCell = exempt && /^(cgst|sgst)/.test(c.key);
      text(cells[c.key], x + 3, y + 3, { size: 8, width: c.width - 6, align: exemptCell ? 'center' : c.align, color: exemptCell ? MUTED : INK });
      x += c.width;
    }
    y += h;
    hline(y, left, right, '#d0d7de');
  });
  vrules(bodyTop, y);
  y += 10;

  // Totals (right) and amount in words (left).
  if (y > doc.page.height - doc.page.margins.bottom - 230) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  // A bill of supply carries no tax rows; a tax invoice no exempt row.
  const totals: [string, number, boolean][] = [
    ...(kind !== 'bill_of_supply'
      ? ([
          ['Taxable value of taxed goods', n(invoice.taxable_paise), false],
          ['CGST', n(invoice.cgst_paise), false],
          ['SGST', n(invoice.sgst_paise), false],
        ] as [string, number, boolean][])
      : []),
    ...(kind !== 'tax_invoice' ? ([['Value of exempt goods', n(invoice.exempt_paise), false]] as [string, number, boolean][]) : []),
    ['Total amount', n(invoice.total_paise), true],
  ];
  const tx = left + half + 20;
  const ty0 = y;
  for (const [label, paise, strong] of totals) {
    if (strong) {
      y += 4;
      doc.rect(tx - 4, y - 3, right - tx + 4, 17).fillColor(SHADE).fill();
    }
    text(label, tx, y, { font: strong ? 'B' : 'R', size: strong ? 10 : 8.5, width: 120 });
    text(`₹ ${formatPaise(paise)}`, tx + 120, y, { font: strong ? 'B' : 'R', size: strong ? 10 : 8.5, width: right - tx - 120, align: 'right' });
    y += strong ? 17 : 12;
  }
  text('Amount in words', left, ty0, { color: MUTED, size: 7.5 });
  text(rupeesInWords(n(invoice.total_paise)), left, ty0 + 10, { font: 'B', size: 9, width: half });
  y = Math.max(y, doc.y) + 12;
  hline(y);
  y += 8;

  // Notes.
  const notes: string[] = [];
  if (kind === 'bill_of_supply') {
    notes.push('Bill of supply: every item here is an exempt supply (GST not chargeable), issued under section 31(3)(c) of the CGST Act.');
  } else if (kind === 'invoice_cum_bill_of_supply') {
    notes.push('Invoice-cum-bill of supply: taxed and exempt goods together (Rule 46A of the CGST Rules).');
  }
  if (lines.some((l) => n(l.gst_rate_bp) === 0)) {
    notes.push(`${exemptMark} Exempt supply: fresh milk, curd, buttermilk, paneer and similar goods attract no GST; no tax is charged on these lines.`);
  }
  notes.push(`Payment due by ${day(invoice.due_date)}. Pay by UPI to ${supplier.upi_id}, quoting ${invoice.number}.`);
  if (data.replaces_number) notes.push(`This invoice replaces ${data.replaces_number}, which was cancelled.`);
  if (invoice.status === 'void') notes.push(`CANCELLED on ${String(invoice.voided_at ?? '').slice(0, 10)}: ${invoice.void_reason}`);
  for (const note of notes) {
    text(note, left, y, { width, size: 8 });
    y = doc.y + 3;
  }

  // Signature.
  y += 14;
  text(`For ${supplier.name}`, tx, y, { font: 'B', width: right - tx, align: 'right' });
  y += 30;
  text('Authorised signatory', tx, y, { color: MUTED, width: right - tx, align: 'right' });

  // Footer and page numbers on every page; a VOID stamp across a cancelled invoice.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = doc.page.height - doc.page.margins.bottom - 14;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    hline(fy - 4, left, right, '#d0d7de');
    text('This is a computer generated invoice and does not require a signature.', left, fy, { size: 7.5, color: MUTED, width, align: 'left' });
    text(`${invoice.number} · page ${i - range.start + 1} of ${range.count}`, left, fy, { size: 7.5, color: MUTED, width, align: 'right' });
    if (invoice.status === 'void') {
      doc.save();
      doc.rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.fillOpacity(0.18);
      text('VOID', 0, doc.page.height / 2 - 60, { font: 'B', size: 120, color: '#cf222e', width: doc.page.width, align: 'center' });
      doc.restore();
    }
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}
