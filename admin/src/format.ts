import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);

/** The business runs on Bengaluru time whatever the browser's zone. */
export const BUSINESS_TZ = 'Asia/Kolkata';

const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

/** 123456 paise -> "₹1,234.56". */
export function formatPaise(paise: number | null | undefined): string {
  if (paise === null || paise === undefined) return '—';
  return inr.format(paise / 100);
}

/** Rupees typed in a form -> integer paise. Rounds, because 12.34 * 100 is 1233.9999999999998. */
export function rupeesToPaise(rupees: number): number {
  return Math.round(rupees * 100);
}

export function paiseToRupees(paise: number): number {
  return paise / 100;
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  return dayjs(value).tz(BUSINESS_TZ).format('D MMM YYYY, h:mm A');
}

export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  return dayjs(value).tz(BUSINESS_TZ).format('D MMM YYYY');
}

export function fromNow(value: string | Date | null | undefined): string {
  return value ? dayjs(value).fromNow() : '';
}

/** Start and end of the chosen calendar days in IST, as instants for created_at_gte / _lte filters. */
export function istDayRange(from: dayjs.Dayjs, to: dayjs.Dayjs): [string, string] {
  const start = dayjs.tz(from.format('YYYY-MM-DD'), BUSINESS_TZ).startOf('day');
  const end = dayjs.tz(to.format('YYYY-MM-DD'), BUSINESS_TZ).endOf('day');
  return [start.toISOString(), end.toISOString()];
}

/** "+919876543210" -> "+91 98765 43210". */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  const m = /^\+91(\d{5})(\d{5})$/.exec(phone);
  return m ? `+91 ${m[1]} ${m[2]}` : phone;
}

/** Basis points -> "5%". */
export function formatGst(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  return `${bp / 100}%`;
}

export const UNITS = ['packet', 'litre', 'ml', 'kg', 'g', 'piece', 'dozen', 'bottle'] as const;

export const humanize = (s: string) => s.replace(/[-_]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

// The API's rule, from the module both import: the form can say so before saving; the API still decides.
export { isIndianMobile, MOBILE_HINT } from '../../shared/phone';

/**
 * Rupees as typed ("1,234.5", "₹ 250", "0.75") -> integer paise, read digit by digit from the text: never through a
 * float (1234.56 * 100 is 123455.99999999999). null when it is not an amount of at most two decimals.
 */
export function parseRupees(text: string | null | undefined): number | null {
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(String(text ?? '').replace(/[₹,\s]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
