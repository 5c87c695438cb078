// Shared by the API and the admin (bundled by Vite): imports nothing, so no server code follows it into the browser.

/** Amounts of one billed line in integer paise. CGST and SGST are each half the GST rate, rounded half up; the SQL CHECK billing_records_tax_exact states the same rule. */
export function lineAmounts(quantity: number, unitPricePaise: number, gstRateBp: number) {
  const taxable = quantity * unitPricePaise;
  const cgst = Math.floor((taxable * gstRateBp + 10000) / 20000);
  return { taxable_paise: taxable, cgst_paise: cgst, sgst_paise: cgst, total_paise: taxable + 2 * cgst };
}

// One formatter for the process: building an Intl.NumberFormat costs about as much as a webhook's own work.
const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
export const formatRupees = (paise: number) => inr.format(paise / 100);

/** Integer paise as rupees with two decimals ("1234.50", "-0.05"), exactly: no float division. For exports. */
export function paiseToRupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(paise));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
