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
