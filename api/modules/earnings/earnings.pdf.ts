import type { SupplierBlock } from '../../../db/schema/index.js';
import { day, MUTED, Sheet, type Column } from '../../lib/pdf.js';
import { formatPaise } from '../invoices/amount-words.js';
import type { EarningsSummary } from './earnings.schemas.js';

const typeLabels: Record<string, string> = {
  base: 'Base pay per drop',
  litres: 'Per litre delivered',
  on_time: 'On-time bonus',
  attempt: 'Failed attempts (not your fault)',
  failure_deduction: 'Deductions for failures',
  adjustment: 'Adjustments',
};
const money = (paise: number) => (paise < 0 ? `-${formatPaise(-paise)}` : formatPaise(paise));

const columns: Column[] = [
  { key: 'day', title: 'Date', width: 70, align: 'left' },
  { key: 'drops', title: 'Drops', width: 60, align: 'right' },
  { key: 'on_time', title: 'On time', width: 60, align: 'right' },
  { key: 'failures', title: 'Failures', width: 60, align: 'right' },
  { key: 'note', title: '', width: 0, align: 'left' },
  { key: 'amount', title: 'Earned (₹)', width: 80, align: 'right' },
];

/** A staff member's monthly earnings statement: the month's figures, the days worked, totals by type and adjustments. */
export function renderEarningsStatementPdf(
  s: EarningsSummary,
  adjustments: { earned_on: string; amount_paise: unknown; reason: string | null }[],
  supplier: SupplierBlock,
): Promise<Buffer> {
  const sheet = new Sheet({ Title: `Earnings statement ${s.staff.name} ${s.month}`, Author: supplier.name });
  sheet.title('EARNINGS STATEMENT');
  const supplierEnd = sheet.supplier(supplier, { tax: false });
  const factsEnd = sheet.facts(
    [
      ['Staff', s.staff.name],
      ['Zone', s.staff.zone_name ?? '-'],
      ['Month', `${day(s.from)} to ${day(s.to)}`],
      ['Drops', String(s.drops)],
      ['Litres', s.litres.toLocaleString('en-IN', { maximumFractionDigits: 1 })],
      ['On time', s.on_time_rate === null ? '-' : `${Math.round(s.on_time_rate * 100)}%`],
      ['Failures', `${s.failures} (${s.failures_staff_fault} your fault)`],
    ],
    { labelWidth: 60, strong: (label) => label === 'Staff' },
  );
  sheet.y = Math.max(supplierEnd, factsEnd) + 8;
  sheet.rule(0, 10);
  const table = sheet.table(columns, { header: 18, rules: false, reserve: 140 });
  for (const d of s.days.filter((x) => x.drops || x.failures || x.amount_paise)) {
    table.row({ day: day(d.day), drops: String(d.drops), on_time: String(d.on_time), failures: String(d.failures), amount: money(d.amount_paise) });
  }
  for (const a of adjustments) table.row({ day: day(a.earned_on), note: `Adjustment: ${a.reason ?? ''}`, amount: money(Number(a.amount_paise)) }, { muted: true });
  table.row({ day: '', note: 'Total for the month', amount: money(s.total_paise) }, { strong: true });
  table.end();
  sheet.y += 12;
  sheet.notes(
    [
      ...Object.entries(s.by_type).map(([type, paise]) => `${typeLabels[type] ?? type}: ₹ ${money(paise)}`),
      `Paid: ₹ ${money(s.paid_paise)}. Not yet paid: ₹ ${money(s.unpaid_paise)} (paid with the next payout batch).`,
    ],
    { color: MUTED, reserve: 40 },
  );
  return sheet.finish({ note: 'This is a computer generated statement and does not require a signature.', page: (i, count) => `page ${i} of ${count}` });
}
