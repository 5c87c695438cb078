/** The last four characters behind bullets: enough to tell accounts apart on a call, not enough to pay into. */
export const lastFour = (value: string) => `••••${value.slice(-4)}`;

/** A UPI id with its name part masked to the last four; the bank handle after @ stays (it names no one). */
export function maskUpi(upi: string): string {
  const at = upi.lastIndexOf('@');
  return at < 0 ? lastFour(upi) : `${lastFour(upi.slice(0, at))}${upi.slice(at)}`;
}

/**
 * A row with where someone is paid masked: staff (bank_account_number, upi_id) and payout transfers (account_number,
 * upi_id). Top-level keys only; every other value is kept as it is.
 */
export function maskPayoutDetails<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const key of ['bank_account_number', 'account_number'] as const) {
    if (typeof out[key] === 'string') out[key] = lastFour(out[key]);
  }
  if (typeof out.upi_id === 'string') out.upi_id = maskUpi(out.upi_id);
  return out as T;
}
