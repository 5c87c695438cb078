// Shared by the API and the admin (bundled by Vite): imports nothing, so no server code follows it into the browser.

/**
 * One Indian mobile number in the forms people and spreadsheets write it
 * (+91 98765 43210, 09876543210, 919876543210, 9876543210.0) as +91XXXXXXXXXX, or null.
 */
export function normaliseIndianMobile(raw: string): string | null {
  let s = raw.trim().replace(/\.0+$/, '');
  s = s.replace(/[\s\-().]/g, '');
  if (s.startsWith('+91')) s = s.slice(3);
  else if (s.length === 12 && s.startsWith('91')) s = s.slice(2);
  else if (s.length === 11 && s.startsWith('0')) s = s.slice(1);
  return /^[6-9]\d{9}$/.test(s) ? `+91${s}` : null;
}

export const isIndianMobile = (raw: string): boolean => normaliseIndianMobile(raw) !== null;

/** What a person is told when a mobile number is not one, by the API and by the admin's forms alike. */
export const MOBILE_HINT = 'Enter a 10-digit Indian mobile number (it may start with +91 or 0).';
