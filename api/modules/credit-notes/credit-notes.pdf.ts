import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { SupplierBlock } from '../../../db/schema/index.js';
import { formatPaise, rupeesInWords } from '../invoices/amount-words.js';
import type { CreditNoteDocument } from './credit-notes.service.js';

// The credit note as the invoice prints (api/modules/invoices/invoices.pdf.ts): same fonts, layout and particulars,
// plus what GST asks of a credit note (section 34, Rule 53): its own number and date, the invoice it cites and why.

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(join(fontDir, 'DejaVuSansCondensed.ttf')),
    bold: readFileSync(join(fontDir, 'DejaVuSansCondensed-Bold.ttf')),
  });

const INK = '#1f2328';
const MUTED = '#57606a';
const RULE = '#8c959f';
const SHADE = '#eef1f4';
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const day = (d: unknown) => {
  const [y, m, dd] = String(d).slice(0, 10).split('-');
  return `${dd} ${months[Number(m) - 1]} ${y}`;
};
const percent = (bp: number) => `${(bp / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}%`;
const n = (v: unknown) => Number(v);

export const reasonLabels: Record<string, string> = {
  short_delivery: 'Short delivery',
  spoilt_product: 'Spoilt product',
  billing_error: 'Billing error',
};

interface Column {
  key: string;
  title: string;
  width: number;
  align: 'left' | 'right' | 'center';
}

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
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 36, bottom: 36, left: 36, right: 36 },
    bufferPages: true,
    info: { Title: `CREDIT NOTE ${note.number}`, Author: supplier.name, Subject: `Credit note ${note.number} against invoice ${note.invoice_number}`, Creator: 'Milkrun' },
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
  const cols = columns.map((c) => ({ ...c }));
  cols[cols.length - 1].width = width - cols.slice(0, -1).reduce((s, c) => s + c.width, 0);
  const text = (s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions & { font?: 'R' | 'B'; size?: number; color?: string } = {}) => {
    const { font = 'R', size = 8.5, color = INK, ...rest } = opts;
    doc.font(font).fontSize(size).fillColor(color).text(s, x, y, { lineBreak: true, ...rest });
  };
  const hline = (y: number, x1 = left, x2 = right, color = RULE) => doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.6).strokeColor(color).stroke();

  let y = doc.page.margins.top;
  text('CREDIT NOTE', left, y, { font: 'B', size: 16, width, align: 'center' });
  text('Original for recipient', left, y + 4, { size: 7.5, color: MUTED, width, align: 'right' });
  y += 26;
  hline(y, left, right, INK);
  y += 8;

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
    ['Credit note no.', String(note.number)],
    ['Credit note date', day(note.note_date)],
    ['Against invoice no.', String(note.invoice_number)],
    ['Invoice date', day(note.invoice_date)],
    ['Reason', reasonLabels[String(note.reason)] ?? String(note.reason)],
    ['Place of supply', String(note.place_of_supply)],
    ['Reverse charge', 'No'],
  ];
  let ry = y;
  const labelX = left + half + 20;
  for (const [label, value] of facts) {
    text(label, labelX, ry, { color: MUTED, width: 96 });
    text(value, labelX + 98, ry, { font: label.endsWith('no.') ? 'B' : 'R', width: right - labelX - 98 });
    ry += 12;
  }
  y = Math.max(ly, ry) + 6;
  hline(y);
  y += 8;

  text('Issued to', left, y, { color: MUTED, size: 7.5 });
  y += 10;
  text(customer.name, left, y, { font: 'B', size: 10 });
  y += 13;
  for (const l of [...customer.address, `Phone: ${customer.phone}`, 'GSTIN: unregistered (consumer)', `State: ${supplier.state}, code ${supplier.state_code}`]) {
    text(l, left, y, { width: half });
    y += 11;
  }
  y += 6;

  const vrules = (top: number, bottom: number) => {
    let x = left;
    for (const c of cols.slice(0, -1)) {
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
    for (const c of cols) {
      text(c.title, x + 3, y + 3, { font: 'B', size: 7, width: c.width - 6, align: c.align });
      x += c.width;
    }
    vrules(y, y + h);
    y += h;
    bodyTop = y;
  };
  drawHeader();
  lines.forEach((l, i) => {
    const exempt = n(l.gst_rate_bp) === 0;
    const cells: Record<string, string> = {
      no: String(i + 1),
      description: `${l.description}${exempt ? ' *' : ''}`,
      hsn: String(l.hsn_code),
      taxable: formatPaise(n(l.taxable_paise)),
      cgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
      cgst: exempt ? '–' : formatPaise(n(l.cgst_paise)),
      sgst_rate: exempt ? 'Exempt' : percent(n(l.gst_rate_bp) / 2),
      sgst: exempt ? '–' : formatPaise(n(l.sgst_paise)),
      total: formatPaise(n(l.total_paise)),
    };
    doc.font('R').fontSize(8);
    const h = Math.max(...cols.map((c) => doc.heightOfString(cells[c.key], { width: c.width - 6 }))) + 6;
    if (y + h > doc.page.height - doc.page.margins.bottom - 60) {
      vrules(bodyTop, y);
      doc.addPage();
      y = doc.page.margins.top;
      drawHeader();
    }
    let x = left;
    for (const c of cols) {
      const exemptCell = exempt && /^(cgst|sgst)/.test(c.key);
      text(cells[c.key], x + 3, y + 3, { size: 8, width: c.width - 6, align: exemptCell ? 'center' : c.align, color: exemptCell ? MUTED : INK });
      x += c.width;
    }
    y += h;
    hline(y, left, right, '#d0d7de');
  });
  vrules(bodyTop, y);
  y += 10;

  if (y > doc.page.height - doc.page.margins.bottom - 220) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  const totals: [string, number, boolean][] = [
    ...(n(note.taxable_paise) + n(note.cgst_paise) > 0
      ? ([
          ['Taxable value of taxed goods', n(note.taxable_paise), false],
          ['CGST', n(note.cgst_paise), false],
          ['SGST', n(note.sgst_paise), false],
        ] as [string, number, boolean][])
      : []),
    ...(n(note.exempt_paise) > 0 ? ([['Value of exempt goods', n(note.exempt_paise), false]] as [string, number, boolean][]) : []),
    ['Total credited', n(note.total_paise), true],
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
  text(rupeesInWords(n(note.total_paise)), left, ty0 + 10, { font: 'B', size: 9, width: half });
  y = Math.max(y, doc.y) + 12;
  hline(y);
  y += 8;

  const notes = [
    `This credit note reduces invoice ${note.invoice_number} of ${day(note.invoice_date)} by ₹ ${formatPaise(n(note.total_paise))}: its lines and their tax are reversed in that proportion (section 34 of the CGST Act).`,
    ...(lines.some((l) => n(l.gst_rate_bp) === 0) ? ['* Exempt supply: no GST was charged on these lines, none is reversed.'] : []),
    ...(note.note ? [`Note: ${note.note}`] : []),
  ];
  for (const line of notes) {
    text(line, left, y, { width, size: 8 });
    y = doc.y + 3;
  }
  y += 14;
  text(`For ${supplier.name}`, tx, y, { font: 'B', width: right - tx, align: 'right' });
  y += 30;
  text('Authorised signatory', tx, y, { color: MUTED, width: right - tx, align: 'right' });

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = doc.page.height - doc.page.margins.bottom - 14;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    hline(fy - 4, left, right, '#d0d7de');
    text('This is a computer generated credit note and does not require a signature.', left, fy, { size: 7.5, color: MUTED, width, align: 'left' });
    text(`${note.number} · page ${i - range.start + 1} of ${range.count}`, left, fy, { size: 7.5, color: MUTED, width, align: 'right' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}
