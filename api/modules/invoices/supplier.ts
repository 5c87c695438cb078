// Who issues Milkrun's invoices: the fields GST Rule 46 asks to print. Change them here and nowhere else.
export const supplier = {
  name: 'Milkrun Dairy Pvt Ltd',
  addressLines: ['No. 42, 3rd Cross, HSR Layout Sector 2', 'Bengaluru, Karnataka 560102'],
  gstin: '29AAACM1234A1Z5',
  pan: 'AAACM1234A',
  state: 'Karnataka',
  stateCode: '29',
  phone: '+91 80 4000 1234',
  email: 'billing@milkrun.example',
  upi: 'milkrun@upi',
} as const;

/** Intra-state supplies only (CGST + SGST): the place of supply is always the supplier's state. */
export const placeOfSupply = `${supplier.state} (${supplier.stateCode})`;

/** Days between the invoice date and its due date. */
export const paymentTermDays = 15;

/** Document series: MR for any invoice with a taxed line, BS for bills of supply (exempt goods only). */
export const invoiceSeries = { taxed: 'MR', exempt: 'BS' } as const;
