const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const GSTIN_FORMAT = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

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
