import ExcelJS from 'exceljs';
import type { GstReport } from './gst-report.service.js';

const RUPEES = '#,##0.00';
const rupees = (paise: number) => paise / 100;
const percent = (bp: number) => bp / 100;

interface Column {
  header: string;
  width: number;
  format?: string;
  /** Summed into the totals row. */
  total?: boolean;
}

/** One sheet: a frozen header row, typed number cells, and a totals row when a column asks for one. */
function sheet(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: (string | number)[][]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  if (columns.some((c) => c.total) && rows.length > 0) {
    const totals = columns.map((c, i) => (i === 0 ? 'Total' : c.total ? rows.reduce((s, r) => s + Number(r[i]), 0) : ''));
    // Money is summed in paise-exact steps: round the float sum back to the paisa.
    const total = ws.addRow(totals.map((v, i) => (typeof v === 'number' && columns[i].format === RUPEES ? Math.round(v * 100) / 100 : v)));
    total.font = { bold: true };
  }
  return ws;
}

/**
 * The GST report as a workbook laid out like the GST offline tool's GSTR-1 sheets (tables 7, 8, 12 and 13, same
 * column headings), so an accountant copies each block as it is: amounts in rupees as numbers, rates in percent.
 */
export async function gstReportXlsx(report: GstReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Milkrun';
  wb.created = new Date();
  const money = (header: string, width = 16): Column => ({ header, width, format: RUPEES, total: true });

  sheet(
    wb,
    'b2cs (7)',
    [{ header: 'Type', width: 8 }, { header: 'Place Of Supply', width: 22 }, { header: 'Rate', width: 8, format: '0.00' }, { header: 'Applicable % of Tax Rate', width: 12 }, money('Taxable Value'), money('Integrated Tax Amount'), money('Central Tax Amount'), money('State/UT Tax Amount'), money('Cess Amount', 12), { header: 'E-Commerce GSTIN', width: 18 }],
    report.b2cs.map((r) => [r.type, r.place_of_supply, percent(r.rate_bp), '', rupees(r.taxable_paise), rupees(r.igst_paise), rupees(r.cgst_paise), rupees(r.sgst_paise), 0, '']),
  );
  sheet(
    wb,
    'exemp (8)',
    [{ header: 'Description', width: 44 }, money('Nil Rated Supplies', 18), money('Exempted (other than nil rated/non GST supply)', 22), money('Non-GST Supplies', 18)],
    report.exempt.map((r) => [r.description, rupees(r.nil_rated_paise), rupees(r.exempt_paise), rupees(r.non_gst_paise)]),
  );
  sheet(
    wb,
    'hsn (12)',
    [
      { header: 'HSN', width: 10 },
      { header: 'Description', width: 40 },
      { header: 'UQC', width: 8 },
      { header: 'Total Quantity', width: 14, format: '#,##0', total: true },
      money('Total Value'),
      { header: 'Rate', width: 8, format: '0.00' },
      money('Taxable Value'),
      money('Integrated Tax Amount'),
      money('Central Tax Amount'),
      money('State/UT Tax Amount'),
      money('Cess Amount', 12),
    ],
    report.hsn.map((r) => [r.hsn, r.description, r.uqc, r.quantity, rupees(r.total_paise), percent(r.rate_bp), rupees(r.taxable_paise), rupees(r.igst_paise), rupees(r.cgst_paise), rupees(r.sgst_paise), 0]),
  );
  sheet(
    wb,
    'docs (13)',
    [{ header: 'Nature of Document', width: 28 }, { header: 'Sr. No. From', width: 18 }, { header: 'Sr. No. To', width: 18 }, { header: 'Total Number', width: 12, format: '0', total: true }, { header: 'Cancelled', width: 12, format: '0', total: true }, { header: 'Net Issued', width: 12, format: '0', total: true }],
    report.documents.map((r) => [r.nature, r.from, r.to, r.total, r.cancelled, r.net_issued]),
  );
  sheet(
    wb,
    'credit notes',
    [{ header: 'HSN', width: 10 }, { header: 'Rate', width: 8, format: '0.00' }, { header: 'Notes', width: 8, format: '0', total: true }, money('Taxable Value'), money('Central Tax Amount'), money('State/UT Tax Amount'), money('Total Value')],
    report.credit_notes.map((r) => [r.hsn, percent(r.rate_bp), r.notes, rupees(r.taxable_paise), rupees(r.cgst_paise), rupees(r.sgst_paise), rupees(r.total_paise)]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
