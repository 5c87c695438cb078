import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { SupplierBlock } from '../../db/schema/index.js';
import { formatPaise, rupeesInWords } from '../modules/invoices/amount-words.js';

// The one look of Milkrun's documents (invoice, credit note, statement): A4, DejaVu from npm (no system font, and it
// has the rupee sign; the condensed cut fits the GST table's columns), the same inks, rules, tables and footers.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(join(fontDir, 'DejaVuSansCondensed.ttf')),
    bold: readFileSync(join(fontDir, 'DejaVuSansCondensed-Bold.ttf')),
  });

export const INK = '#1f2328';
export const MUTED = '#57606a';
const RULE = '#8c959f';
const FAINT = '#d0d7de';
const SHADE = '#eef1f4';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '2026-09-01' -> '01 Sep 2026'. */
export const day = (d: unknown) => {
  const [y, m, dd] = String(d).slice(0, 10).split('-');
  return `${dd} ${months[Number(m) - 1]} ${y}`;
};
/** Basis points as a percentage: 250 -> '2.5%'. */
export const percent = (bp: number) => `${(bp / 100).toLocaleString('en-IN', { maximumFractionDigits: 2 })}%`;

export interface Column {
  key: string;
  title: string;
  /** 0: whatever width the other columns leave (one column per table). */
  width: number;
  align: 'left' | 'right' | 'center';
}

type TextOptions = PDFKit.Mixins.TextOptions & { font?: 'R' | 'B'; size?: number; color?: string };
interface CellStyle {
  align?: Column['align'];
  color?: string;
}
interface RowStyle {
  strong?: boolean;
  muted?: boolean;
  /** Per-cell overrides (an exempt line's tax cells are centred and muted). */
  cell?: (key: string) => CellStyle | undefined;
}
export interface TableStyle {
  /** Header band height; the GST tables' two-line titles need 22. */
  header: 18 | 22;
  /** Vertical rules between columns (the GST tables), or rows alone (the statement). */
  rules: boolean;
  /** Space kept free below the last row of a page (totals, footer). */
  reserve: number;
}
export interface Total {
  label: string;
  paise: number;
  strong?: boolean;
}

/** One document being drawn: a cursor `y` moving down the page, and the parts every Milkrun document shares. */
export class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  readonly right: number;
  readonly half: number;
  y: number;
  private readonly finished: Promise<Buffer>;

  constructor(info: PDFKit.DocumentInfo) {
    this.doc = new PDFDocument({ size: 'A4', margins: { top: 36, bottom: 36, left: 36, right: 36 }, bufferPages: true, info: { Creator: 'Milkrun', ...info } });
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    this.finished = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    const { regular, bold } = loadFonts();
    this.doc.registerFont('R', regular);
    this.doc.registerFont('B', bold);
    this.left = this.doc.page.margins.left;
    this.width = this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
    this.right = this.left + this.width;
    this.half = this.width / 2;
    this.y = this.doc.page.margins.top;
  }

  /** Where the right-hand column (particulars, totals) starts. */
  get column2() {
    return this.left + this.half + 20;
  }

  text(s: string, x: number, y: number, opts: TextOptions = {}) {
    const { font = 'R', size = 8.5, color = INK, ...rest } = opts;
    this.doc.font(font).fontSize(size).fillColor(color).text(s, x, y, { lineBreak: true, ...rest });
  }

  hline(y: number, color = RULE, x1 = this.left, x2 = this.right) {
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.6).strokeColor(color).stroke();
  }

  /** A rule across the page at the cursor, with space either side. */
  rule(before = 0, after = 8) {
    this.y += before;
    this.hline(this.y);
    this.y += after;
  }

  /** A new page when fewer than `space` points are left. */
  ensure(space: number) {
    if (this.y > this.doc.page.height - this.doc.page.margins.bottom - space) {
      this.doc.addPage();
      this.y = this.doc.page.margins.top;
    }
  }

  /** The title band: centred title, an optional note at the right, a heavy rule. */
  title(title: string, note?: string) {
    this.text(title, this.left, this.y, { font: 'B', size: 16, width: this.width, align: 'center' });
    if (note) this.text(note, this.left, this.y + 4, { size: 7.5, color: MUTED, width: this.width, align: 'right' });
    this.y += 26;
    this.hline(this.y, INK);
    this.y += 8;
  }

  /** The supplier block at the left from the cursor; returns where it ends (the cursor stays for the right column). */
  supplier(s: SupplierBlock, opts: { tax: boolean }): number {
    let y = this.y;
    this.text(s.name, this.left, y, { font: 'B', size: 12 });
    y += 16;
    for (const l of s.address_lines) {
      this.text(l, this.left, y);
      y += 11;
    }
    if (opts.tax) {
      this.text(`GSTIN: ${s.gstin}    PAN: ${s.pan}`, this.left, y, { font: 'B' });
      y += 11;
      this.text(`State: ${s.state}, code ${s.state_code}`, this.left, y);
    } else {
      this.text(`GSTIN: ${s.gstin}`, this.left, y);
    }
    y += 11;
    this.text(`${s.phone}  ·  ${s.email}`, this.left, y, { color: MUTED });
    return y + 11;
  }

  /** Label-value pairs in the right column from the cursor; returns where they end. */
  facts(pairs: [string, string][], opts: { labelWidth: number; strong: (label: string) => boolean; wrap?: boolean }): number {
    let y = this.y;
    const x = this.column2;
    const valueX = x + opts.labelWidth + 2;
    for (const [label, value] of pairs) {
      this.text(label, x, y, { color: MUTED, width: opts.labelWidth });
      this.text(value, valueX, y, { font: opts.strong(label) ? 'B' : 'R', width: this.right - valueX });
      y = opts.wrap ? this.doc.y + 2 : y + 12;
    }
    return y;
  }

  /** A table from the cursor, its header repeated on every page it runs onto. */
  table(columns: Column[], style: TableStyle) {
    const cols = columns.map((c) => ({ ...c }));
    const fill = cols.findIndex((c) => c.width === 0);
    cols[fill].width = this.width - cols.reduce((s, c) => s + c.width, 0);
    const { doc } = this;
    let bodyTop = this.y;
    const rules = (top: number, bottom: number) => {
      if (!style.rules) return;
      let x = this.left;
      for (const c of cols.slice(0, -1)) {
        x += c.width;
        doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.4).strokeColor(FAINT).stroke();
      }
      doc.rect(this.left, top, this.width, bottom - top).lineWidth(0.6).strokeColor(RULE).stroke();
    };
    const header = () => {
      const h = style.header;
      doc.rect(this.left, this.y, this.width, h).fillColor(SHADE).fill();
      let x = this.left;
      for (const c of cols) {
        this.text(c.title, x + 3, this.y + (h === 22 ? 3 : 4), { font: 'B', size: h === 22 ? 7 : 7.5, width: c.width - 6, align: c.align });
        x += c.width;
      }
      rules(this.y, this.y + h);
      this.y += h;
      bodyTop = this.y;
    };
    header();
    return {
      row: (cells: Record<string, string>, rs: RowStyle = {}) => {
        const font = rs.strong ? 'B' : 'R';
        doc.font(font).fontSize(8);
        const h = Math.max(...cols.map((c) => doc.heightOfString(cells[c.key] ?? '', { width: c.width - 6 }))) + 6;
        if (this.y + h > doc.page.height - doc.page.margins.bottom - style.reserve) {
          rules(bodyTop, this.y);
          doc.addPage();
          this.y = doc.page.margins.top;
          header();
        }
        let x = this.left;
        for (const c of cols) {
          const own = rs.cell?.(c.key);
          this.text(cells[c.key] ?? '', x + 3, this.y + 3, { font, size: 8, width: c.width - 6, align: own?.align ?? c.align, color: own?.color ?? (rs.muted ? MUTED : INK) });
          x += c.width;
        }
        this.y += h;
        this.hline(this.y, FAINT);
      },
      /** Closes the table's frame on its last page. */
      end: () => rules(bodyTop, this.y),
    };
  }

  /** Totals in the right column, the amount in words at the left, then a rule. */
  totals(rows: Total[], wordsOf: number) {
    const x = this.column2;
    const top = this.y;
    for (const { label, paise, strong } of rows) {
      if (strong) {
        this.y += 4;
        this.doc.rect(x - 4, this.y - 3, this.right - x + 4, 17).fillColor(SHADE).fill();
      }
      const size = strong ? 10 : 8.5;
      this.text(label, x, this.y, { font: strong ? 'B' : 'R', size, width: 120 });
      this.text(`₹ ${formatPaise(paise)}`, x + 120, this.y, { font: strong ? 'B' : 'R', size, width: this.right - x - 120, align: 'right' });
      this.y += strong ? 17 : 12;
    }
    this.text('Amount in words', this.left, top, { color: MUTED, size: 7.5 });
    this.text(rupeesInWords(wordsOf), this.left, top + 10, { font: 'B', size: 9, width: this.half });
    this.y = Math.max(this.y, this.doc.y) + 12;
    this.rule();
  }

  /** Paragraphs across the page, moving to a new page when one would not fit. */
  notes(lines: string[], opts: { color?: string; reserve?: number } = {}) {
    for (const line of lines) {
      if (opts.reserve) this.ensure(opts.reserve);
      this.text(line, this.left, this.y, { width: this.width, size: 8, color: opts.color ?? INK });
      this.y = this.doc.y + 3;
    }
  }

  signature(supplierName: string) {
    const x = this.column2;
    this.y += 14;
    this.text(`For ${supplierName}`, x, this.y, { font: 'B', width: this.right - x, align: 'right' });
    this.y += 30;
    this.text('Authorised signatory', x, this.y, { color: MUTED, width: this.right - x, align: 'right' });
  }

  /** The footer on every page (what the document is, page i of n), an optional stamp across each; then the bytes. */
  finish(footer: { note: string; page: (i: number, count: number) => string; stamp?: string }): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const fy = doc.page.height - doc.page.margins.bottom - 14;
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      this.hline(fy - 4, FAINT);
      this.text(footer.note, this.left, fy, { size: 7.5, color: MUTED, width: this.width, align: 'left' });
      this.text(footer.page(i - range.start + 1, range.count), this.left, fy, { size: 7.5, color: MUTED, width: this.width, align: 'right' });
      if (footer.stamp) {
        doc.save();
        doc.rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
        doc.fillOpacity(0.18);
        this.text(footer.stamp, 0, doc.page.height / 2 - 60, { font: 'B', size: 120, color: '#cf222e', width: doc.page.width, align: 'center' });
        doc.restore();
      }
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return this.finished;
  }
}
