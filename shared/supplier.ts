// Shared by the API and the admin (bundled by Vite): imports nothing, so no server code follows it into the browser.
// The formats of the settings' supplier fields; the API's zod schema and the admin's form both check with these.

export const GSTIN_FORMAT = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
export const PAN_FORMAT = /^[A-Z]{5}[0-9]{4}[A-Z]$/;
export const UPI_ID_FORMAT = /^[A-Za-z0-9._-]{2,64}@[A-Za-z][A-Za-z0-9]{1,63}$/;
export const PHONE_FORMAT = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;
// A number is PREFIX/26-27/000123: 13 characters after the prefix, and GST Rule 46 allows 16 in all.
export const SERIES_PREFIX_FORMAT = /^[A-Z0-9]{1,3}$/;

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The check character (15th) of a GSTIN from its first 14: the GSTN's mod-36 scheme (weights 1, 2, 1, 2, ...;
 * each product contributes its quotient and remainder by 36). A typo in any one character changes it.
 */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const product = alphabet.indexOf(first14[i]) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return alphabet[(36 - (sum % 36)) % 36];
}

/** What is wrong with a GSTIN (upper case), or null when it is well formed and its check character matches. */
export function gstinProblem(gstin: string): string | null {
  if (!GSTIN_FORMAT.test(gstin)) return 'The GSTIN is 15 characters: state code (2 digits), PAN (10), entity number, Z, check character; e.g. 29AAACM1234A1Z4.';
  const expected = gstinCheckCharacter(gstin.slice(0, 14));
  if (expected !== gstin[14]) return `The GSTIN's check character does not match (for ${gstin.slice(0, 14)} it is ${expected}): a character is mistyped.`;
  return null;
}
