import type { SupplierBlock } from '../../../db/schema/index.js';
import { day, MUTED, Sheet, type Column } from '../../lib/pdf.js';
import { formatPaise } from '../invoices/amount-words.js';
import type { Statement } from './statements.service.js';

/** A balance as accountants print it: what is owed is Dr, credit in hand is Cr. */
const drCr = (paise: number) => (paise === 0 ? '0.00' : `${formatPaise(Math.abs(paise))} ${paise > 0 ? 'Dr' : 'Cr'}`);

const columns: Column[] = [
  { key: 'date', title: 'Date', width: 58, align: 'left' },
  { key: 'description', title: 'Particulars', width: 0, align: 'left' },
  { key: 'debit', title: 'Debit (₹)', width: 66, align: 'right' },
  { key: 'credit', title: 'Credit (₹)', width: 66, align: 'right' },
  { key: 'balance', title: 'Balance (₹)', width: 80, align: 'right' },
];

/** The statement of account as an A4 PDF in the invoice's look. */
export function renderStatementPdf(st: Statement, supplier: SupplierBlock): Promise<Buffer> {
  const s = new Sheet({ Title: `Statement of account ${st.customer.name} ${st.from} to ${st.to}`, Author: supplier.name });
  s.title('STATEMENT OF ACCOUNT');
  const supplierEnd = s.supplier(supplier, { tax: false });
  const factsEnd = s.facts(
    [
      ['Customer', st.customer.name],
      ...st.customer.address.map((a, i): [string, string] => [i === 0 ? 'Address' : '', a]),
      ['Phone', st.customer.phone],
      ['Period', `${day(st.from)} to ${day(st.to)}`],
      ['Generated', day(st.generated_at)],
    ],
    { labelWidth: 60, strong: (label) => label === 'Customer', wrap: true },
  );
  s.y = Math.max(supplierEnd, factsEnd) + 8;
  s.rule(0, 10);

  const table = s.table(columns, { header: 18, rules: false, reserve: 40 });
  table.row({ date: day(st.from), description: 'Opening balance', balance: drCr(st.opening_balance_paise) }, { strong: true });
  for (const l of st.lines) {
    // Wallet credit applied to an invoice is a memo: the invoice's own line already carries the money.
    const memo = l.kind === 'wallet_applied';
    table.row(
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
  table.row({ date: day(st.to), description: 'Totals for the period', debit: formatPaise(st.total_debit_paise), credit: formatPaise(st.total_credit_paise) }, { strong: true });
  table.row({ date: day(st.to), description: 'Closing balance', balance: drCr(st.closing_balance_paise) }, { strong: true });
  s.y += 12;
  s.notes(
    [
      'Dr: amount due from you. Cr: credit in your favour (wallet credit is used on your next invoice).',
      `Today: invoices due ₹ ${formatPaise(st.balance_due_paise)}, wallet credit ₹ ${formatPaise(st.wallet_paise)}.`,
      `Pay by UPI to ${supplier.upi_id}, quoting your invoice number.`,
    ],
    { color: MUTED, reserve: 40 },
  );
  return s.finish({
    note: 'This is a computer generated statement and does not require a signature.',
    page: (i, count) => `page ${i} of ${count}`,
  });
}
