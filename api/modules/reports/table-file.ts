import ExcelJS from 'exceljs';
import { csvText } from '../../lib/export.js';

// A report's small table (a register, revenue by month/zone/product) as a file: CSV by the exports' rules (BOM, CRLF,
// rupees, neutralised text) or an XLSX sheet with typed cells (rupees as numbers, counts as integers), a bold frozen
// header and a totals row. These tables are a few hundred rows: written whole, not streamed.

export type TableKind = 'date' | 'text' | 'count' | 'paise';
export interface TableColumn {
  key: string;
  label: string;
  kind: TableKind;
}
type Cell = string | number | null | undefined;
export type TableRow = Record<string, Cell>;

export const fileTypes = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export async function tableFile(format: 'csv' | 'xlsx', sheet: string, columns: TableColumn[], rows: TableRow[], totals?: TableRow): Promise<string | Uint8Array> {
  const all = totals ? [...rows, { ...totals, [columns[0].key]: 'Total' }] : rows;
  if (format === 'csv') return csvText(columns.map((c) => c.key), all);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Milkrun';
  wb.created = new Date();
  const ws = wb.addWorksheet(sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: c.kind === 'text' ? 28 : c.kind === 'date' ? 12 : 16,
    style: c.kind === 'paise' ? { numFmt: '#,##0.00' } : c.kind === 'count' ? { numFmt: '#,##0' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of all) {
    ws.addRow(Object.fromEntries(columns.map((c) => [c.key, c.kind === 'paise' && typeof r[c.key] === 'number' ? (r[c.key] as number) / 100 : (r[c.key] ?? null)])));
  }
  if (totals) ws.getRow(all.length + 1).font = { bold: true };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
