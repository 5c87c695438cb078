import { day, Sheet, type Column } from '../../lib/pdf.js';
import type { SupplierBlock } from '../../../db/schema/index.js';
import { formatPaise } from '../invoices/amount-words.js';

export interface PurchaseOrderDocument {
  order: Record<string, unknown> & { lines: { product_name: string; quantity: number; unit_price_paise: number }[] };
  buyer: SupplierBlock;
  supplier: { name: string; gstin: string; contact_name: string; phone: string; email: string; address: string };
  depot: { name: string; address: string; city: string };
}

const columns: Column[] = [
  { key: 'no', title: '#', width: 20, align: 'center' },
  { key: 'product', title: 'Product', width: 220, align: 'left' },
  { key: 'qty', title: 'Quantity', width: 70, align: 'right' },
  { key: 'rate', title: 'Rate (₹)', width: 80, align: 'right' },
  { key: 'amount', title: 'Amount (₹)', width: 0, align: 'right' },
];

/** A purchase order for the supplier: who buys, what, where to deliver, at what price (A4, the invoice's Sheet). */
export function renderPurchaseOrderPdf(data: PurchaseOrderDocument): Promise<Buffer> {
  const { order, buyer, supplier, depot } = data;
  const number = `PO-${String(order.number).padStart(6, '0')}`;
  const s = new Sheet({ Title: `Purchase order ${number}`, Author: buyer.name, Subject: `Purchase order ${number} to ${supplier.name}` });
  s.title('PURCHASE ORDER', order.status === 'draft' ? 'Draft: not yet approved' : undefined);
  const buyerEnd = s.supplier(buyer, { tax: true });
  const factsEnd = s.facts(
    [
      ['PO no.', number],
      ['Date', day(order.approved_at ?? order.created_at)],
      ['Deliver by', order.expected_date ? day(order.expected_date) : 'As agreed'],
      ['Status', String(order.status).replace('_', ' ')],
    ],
    { labelWidth: 80, strong: (label) => label === 'PO no.' },
  );
  s.y = Math.max(buyerEnd, factsEnd) + 6;
  s.rule();
  s.text('Supplier', s.left, s.y, { size: 7.5 });
  s.text('Deliver to', s.column2, s.y, { size: 7.5 });
  s.y += 10;
  s.text(supplier.name, s.left, s.y, { font: 'B', size: 10 });
  s.text(depot.name, s.column2, s.y, { font: 'B', size: 10 });
  s.y += 13;
  const left = [supplier.address, `GSTIN: ${supplier.gstin}`, supplier.contact_name && `Contact: ${supplier.contact_name}`, supplier.phone && `Phone: ${supplier.phone}`, supplier.email].filter(Boolean) as string[];
  const right = [depot.address, depot.city].filter(Boolean);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i]) s.text(left[i], s.left, s.y, { width: s.half });
    if (right[i]) s.text(right[i], s.column2, s.y, { width: s.half - 20 });
    s.y += 11;
  }
  s.y += 8;
  const table = s.table(columns, { header: 18, rules: true, reserve: 60 });
  order.lines.forEach((l, i) =>
    table.row({ no: String(i + 1), product: l.product_name, qty: Number(l.quantity).toLocaleString('en-IN'), rate: formatPaise(Number(l.unit_price_paise)), amount: formatPaise(Number(l.quantity) * Number(l.unit_price_paise)) }),
  );
  table.end();
  s.y += 10;
  s.totals([{ label: 'Total', paise: Number(order.total_paise), strong: true }], Number(order.total_paise));
  s.notes(['Please quote the PO number on your delivery challan and invoice. Each crate carries its batch code and expiry date; short-dated goods may be rejected at the depot.']);
  s.signature(buyer.name);
  return s.finish({ note: 'This is a computer generated purchase order.', page: (i, count) => `${number} · page ${i} of ${count}` });
}
