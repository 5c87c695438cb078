import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { SupplierBlock } from '../../../db/schema/index.js';
import { formatPaise } from '../invoices/amount-words.js';
import type { Statement } from './statements.service.js';

// The statement as an A4 PDF in the invoice's look (DejaVu from npm for the rupee sign; same inks and rules).
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
const day = (d: string) => {
  const [y, m, dd] = d.slice(0, 10).split('-');
  return `${dd} ${months[Number(m) - 1]} ${y}`;
};
/** A balance as accountants print it: what is owed is Dr, credit in hand is Cr. */
const drCr = (paise: number) => (paise === 0 ? '0.00' : `${formatPaise(Math.abs(paise))} ${paise > 0 ? 'Dr' : 'Cr'}`);

const columns = [
  { key: 'date', title: 'Date', width: 58, align: 'left' as const },
  { key: 'description', title: 'Particulars', width: 0, align: 'left' as const },
  { key: 'debit', title: 'Debit (₹)', width: 66, align: 'right' as const },
  { key: 'credit', title: 'Credit (₹)', width: 66, align: 'right' as const },
  { key: 'balance', title: 'Balance (₹)', width: 80, align: 'right' as const },
];

export function renderStatementPdf(s: Statement, supplier: SupplierBlock): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 36, bottom: 36, left: 36, right: 36 },
    bufferPages: true,
    info: { Title: `Statement of account ${s.customer.name} ${s.from} to ${s.to}`, Author: supplier.name, Creator: 'Milkrun' },
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
  cols[1].width = width - cols.reduce((sum, c) => sum + c.width, 0);
  const text = (t: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions & { font?: 'R' | 'B'; size?: number; color?: string } = {}) => {
    const { font = 'R', size = 8.5, color = INK, ...rest } = opts;
    doc.font(font).fontSize(size).fillColor(color).text(t, x, y, { lineBreak: true, ...rest });
  };
  const hline = (y: number, color = RULE) => doc.moveTo(left, y).lineTo(right, y).lineWidth(0.6).strokeColor(color).stroke();

  let y = doc.page.margins.top;
  text('STATEMENT OF ACCOUNT', left, y, { font: 'B', size: 16, width, align: 'center' });
  y += 26;
  hline(y, INK);
  y += 8;
  const half = width / 2;
  let ly = y;
  text(supplier.name, left, ly, { font: 'B', size: 12 });
  ly += 16;
  for (const l of supplier.address_lines) {
    text(l, left, ly);
    ly += 11;
  }
  text(`GSTIN: ${supplier.gstin}`, left, ly);
  ly += 11;
  text(`${supplier.phone}  ·  ${supplier.email}`, left, ly, { color: MUTED });
  ly += 11;
  let ry = y;
  const labelX = left + half + 20;
  const facts: [string, string][] = [
    ['Customer', s.customer.name],
    ...s.customer.address.map((a, i): [string, string] => [i === 0 ? 'Address' : '', a]),
    ['Phone', s.customer.phone],
    ['Period', `${day(s.from)} to ${day(s.to)}`],
    ['Generated', day(s.generated_at)],
  ];
  for (const [label, value] of facts) {
    text(label, labelX, ry, { color: MUTED, width: 60 });
    text(value, labelX + 62, ry, { font: label === 'Customer' ? 'B' : 'R', width: right - labelX - 62 });
    ry = doc.y + 2;
  }
  y = Math.max(ly, ry) + 8;
  hline(y);
  y += 10;

  const drawHeader = () => {
    doc.rect(left, y, width, 18).fillColor(SHADE).fill();
    let x = left;
    for (const c of cols) {
      text(c.title, x + 3, y + 4, { font: 'B', size: 7.5, width: c.width - 6, align: c.align });
      x += c.width;
    }
    y += 18;
  };
  const row = (cells: Record<string, string>, opts: { strong?: boolean; muted?: boolean } = {}) => {
    doc.font(opts.strong ? 'B' : 'R').fontSize(8);
    const h = Math.max(...cols.map((c) => doc.heightOfString(cells[c.key] ?? '', { width: c.width - 6 }))) + 6;
    if (y + h > doc.page.height - doc.page.margins.bottom - 40) {
      doc.addPage();
      y = doc.page.margins.top;
      drawHeader();
    }
    let x = left;
    for (const c of cols) {
      text(cells[c.key] ?? '', x + 3, y + 3, { font: opts.strong ? 'B' : 'R', size: 8, width: c.width - 6, align: c.align, color: opts.muted ? MUTED : INK });
      x += c.width;
    }
    y += h;
    hline(y, '#d0d7de');
  };
  drawHeader();
  row({ date: day(s.from), description: 'Opening balance', balance: drCr(s.opening_balance_paise) }, { strong: true });
  for (const l of s.lines) {
    const memo = l.kind === 'wallet_applied';
    row(
      {
        date: day(l.date),
        description: l.description,
        debit: l.debit_paise ? formatPaise(l.debit_paise) : '',
        credit: l.credit_paise ? formatPaise(l.credit_paise) : '',
        balance: memo ? '' : drCr(l.balance_paise),
      },
      { muted: memo },
    );
  }
  row({ date: day(s.to), description: 'Totals for the period', debit: formatPaise(s.total_debit_paise), credit: formatPaise(s.total_credit_paise) }, { strong: true });
  row({ date: day(s.to), description: 'Closing balance', balance: drCr(s.closing_balance_paise) }, { strong: true });
  y += 12;
  const notes = [
    'Dr: amount due from you. Cr: credit in your favour (wallet credit is used on your next invoice).',
    `Today: invoices due ₹ ${formatPaise(s.balance_due_paise)}, wallet credit ₹ ${formatPaise(s.wallet_paise)}.`,
    `Pay by UPI to ${supplier.upi_id}, quoting your invoice number.`,
  ];
  for (const n of notes) {
    if (y > doc.page.height - doc.page.margins.bottom - 40) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    text(n, left, y, { width, size: 8, color: MUTED });
    y = doc.y + 3;
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = doc.page.height - doc.page.margins.bottom - 14;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    hline(fy - 4, '#d0d7de');
    text('This is a computer generated statement and does not require a signature.', left, fy, { size: 7.5, color: MUTED, width });
    text(`page ${i - range.start + 1} of ${range.count}`, left, fy, { size: 7.5, color: MUTED, width, align: 'right' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}
