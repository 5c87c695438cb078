import { istDate } from '../../lib/dates.js';
import { normaliseIndianMobile } from '../../../shared/phone.js';

/** A value of the old export that cannot be read; the document carrying it is rejected with this reason. */
export class LegacyValueError extends Error {}

const fail = (reason: string): never => {
  throw new LegacyValueError(reason);
};

const hexRe = /^[0-9a-f]{24}$/i;
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `null` for missing and null alike (the export writes both). */
export const isMissing = (v: unknown) => v === undefined || v === null || v === '';

/** A 24-hex ObjectId ({"$oid": ...} or a bare string), lower case, or null. */
export function oidOf(v: unknown): string | null {
  const s = typeof v === 'object' && v !== null && '$oid' in v ? (v as { $oid: unknown }).$oid : v;
  return typeof s === 'string' && hexRe.test(s.trim()) ? s.trim().toLowerCase() : null;
}

export function uuidOf(v: unknown): string | null {
  return typeof v === 'string' && uuidRe.test(v.trim()) ? v.trim().toLowerCase() : null;
}

/** A reference to another document: its `_id` hex or its `id` UUID, normalised; null when missing or unreadable. */
export function refOf(v: unknown): string | null {
  return oidOf(v) ?? uuidOf(v);
}

const decimalRe = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Rupees to integer paise, exactly: the decimal text is split at the point, never multiplied as a float.
 * Accepts 45.5, "45.50", {"$numberDecimal": "45.50"} (and $numberInt/$numberLong/$numberDouble).
 */
export function paiseOf(v: unknown, what = 'amount'): number {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`${what} is not a number`);
    // The shortest text that round-trips to this double: 45.5 -> "45.5", 0.1 -> "0.1".
    text = String(v);
    if (/e/i.test(text)) text = v.toFixed(20).replace(/0+$/, '');
  } else if (typeof v === 'string') {
    text = v.trim().replace(/,/g, '').replace(/^(₹|Rs\.?|INR)\s*/i, '');
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const inner = o.$numberDecimal ?? o.$numberDouble ?? o.$numberInt ?? o.$numberLong;
    if (typeof inner !== 'string' && typeof inner !== 'number') return fail(`${what} ${JSON.stringify(v)} is not a number`);
    return paiseOf(String(inner), what);
  } else {
    return fail(isMissing(v) ? `${what} is missing` : `${what} ${JSON.stringify(v)} is not a number`);
  }
  const m = decimalRe.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail(`${what} "${text}" is not a number`);
  const [, sign, whole, frac = ''] = m;
  if (/[1-9]/.test(frac.slice(2))) fail(`${what} "${text}" has a fraction of a paisa`);
  const paise = Number(whole || '0') * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(paise)) fail(`${what} "${text}" is too large`);
  if (sign === '-' && paise !== 0) fail(`${what} "${text}" is negative`);
  return paise;
}

const ymdRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const dmyRe = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const localTsRe = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function realDay(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

function instantFromEjson(v: unknown): Date | null {
  if (typeof v !== 'object' || v === null || !('$date' in v)) return null;
  const inner = (v as { $date: unknown }).$date;
  if (typeof inner === 'number') return new Date(inner);
  if (typeof inner === 'object' && inner !== null && '$numberLong' in inner) return new Date(Number((inner as { $numberLong: string }).$numberLong));
  if (typeof inner === 'string') {
    const t = Date.parse(localTsRe.test(inner) ? `${inner}Z` : inner);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

/**
 * A day of service as YYYY-MM-DD in IST, from the forms the export uses:
 * {"$date": "...Z"} (an instant: its day in India), "2026-01-05", "05/01/2026" (day/month/year),
 * and a timestamp without a zone "2026-01-05T00:00:00" (already the business's local day).
 */
export function dayOf(v: unknown, what = 'date'): string {
  if (typeof v === 'object' && v !== null && '$date' in v) {
    const inner = (v as { $date: unknown }).$date;
    if (typeof inner === 'string' && localTsRe.test(inner)) return dayOf(inner, what);
    const at = instantFromEjson(v);
    if (!at || Number.isNaN(at.getTime())) return fail(`${what} ${JSON.stringify(v)} is not a date`);
    return istDate(at);
  }
  if (typeof v !== 'string') return fail(isMissing(v) ? `${what} is missing` : `${what} ${JSON.stringify(v)} is not a date`);
  const s = v.trim();
  let m = ymdRe.exec(s);
  if (m) return realDay(+m[1], +m[2], +m[3]) ?? fail(`${what} "${s}" is not a real day`);
  m = dmyRe.exec(s);
  if (m) return realDay(+m[3], +m[2], +m[1]) ?? fail(`${what} "${s}" is not a real day`);
  m = localTsRe.exec(s);
  if (m) return dayOf(m[1], what);
  const t = Date.parse(s);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) && !Number.isNaN(t)) return istDate(new Date(t));
  return fail(`${what} "${s}" is not a date`);
}

/** An instant (created_at, updated_at); a zone-less timestamp is read as IST. Null when missing or unreadable. */
export function instantOf(v: unknown): Date | null {
  const fromEjson = instantFromEjson(v);
  if (fromEjson) return Number.isNaN(fromEjson.getTime()) ? null : fromEjson;
  if (typeof v !== 'string' || !v.trim()) return null;
  const s = v.trim();
  const t = localTsRe.test(s) ? Date.parse(`${s.replace(' ', 'T')}+05:30`) : ymdRe.test(s) ? Date.parse(`${s}T00:00:00+05:30`) : Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

/** One Indian mobile as +91XXXXXXXXXX, from the four forms and the spreadsheet's "9876543210.0". */
export function phoneOf(v: unknown, what = 'phone'): string {
  const raw = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : null;
  if (raw === null) return fail(isMissing(v) ? `${what} is missing` : `${what} ${JSON.stringify(v)} is not a phone number`);
  return normaliseIndianMobile(raw) ?? fail(`${what} "${raw}" is not an Indian mobile number`);
}

/** A positive whole quantity (1, "2", {"$numberInt": "2"}, 2.0). */
export function quantityOf(v: unknown, what = 'quantity'): number {
  const inner = typeof v === 'object' && v !== null ? ((v as Record<string, unknown>).$numberInt ?? (v as Record<string, unknown>).$numberLong) : v;
  const n = typeof inner === 'string' && /^\s*\d+(\.0+)?\s*$/.test(inner) ? Number(inner) : inner;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return fail(`${what} ${JSON.stringify(v)} is not a whole number`);
  return n;
}

export const textOf = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Statuses were written in two cases and a failed drop in two words. */
export function orderStatusOf(v: unknown): 'pending' | 'delivered' | 'failed' | 'cancelled' {
  const s = textOf(v).toLowerCase().replace(/[\s-]+/g, '_');
  if (s === 'delivered' || s === 'completed') return 'delivered';
  if (s === 'failed' || s === 'not_delivered' || s === 'undelivered') return 'failed';
  if (s === 'cancelled' || s === 'canceled') return 'cancelled';
  if (['pending', 'placed', 'confirmed', 'scheduled', 'processing', 'out_for_delivery', 'assigned'].includes(s)) return 'pending';
  return fail(s ? `status "${textOf(v)}" is not one the importer knows` : 'status is missing');
}

export function deliveryStatusOf(v: unknown): 'delivered' | 'failed' | 'pending' {
  const s = orderStatusOf(v);
  return s === 'cancelled' ? 'failed' : s;
}

export function orderKindOf(v: unknown): 'subscription' | 'one_time' {
  const s = textOf(v).toLowerCase().replace(/[\s-]+/g, '_');
  if (s === 'subscription') return 'subscription';
  if (s === 'one_time' || s === 'onetime') return 'one_time';
  return fail(s ? `order_type "${textOf(v)}" is not subscription or one-time` : 'order_type is missing');
}

export function paymentMethodOf(v: unknown): 'postpaid' | 'cash' | 'upi' | 'card' | 'wallet' {
  const s = textOf(v).toLowerCase();
  if (s === 'cod' || s === 'cash' || s === 'cash_on_delivery') return 'cash';
  if (s === 'upi' || s === 'card' || s === 'wallet') return s;
  return 'postpaid';
}

// Day numbers (days since 1970-01-01) keep per-order dates in a typed array.
export const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
export const dayFromNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The customer's one-line address split into line, city and PIN ("684, 17th Cross, Jayanagar, Bengaluru 560041"). */
export function addressOf(v: unknown): { line1: string; city: string | null; pin_code: string } {
  const text = textOf(v).replace(/\s+/g, ' ');
  if (!text) return fail('address is missing');
  const pins = [...text.matchAll(/(?<!\d)([1-9]\d{2}) ?(\d{3})(?!\d)/g)];
  const pin = pins.at(-1);
  if (!pin) return fail(`address "${text}" has no 6-digit PIN code`);
  const rest = (text.slice(0, pin.index) + text.slice(pin.index! + pin[0].length)).replace(/[\s,-]+$/, '').replace(/^[\s,]+/, '').replace(/\s*,\s*,/g, ',');
  const parts = rest.split(',').map((p) => p.trim()).filter(Boolean);
  let city: string | null = null;
  if (parts.length > 1 && /^[A-Za-z .]+$/.test(parts.at(-1)!)) city = parts.pop()!;
  const line1 = parts.join(', ');
  if (!line1) return fail(`address "${text}" has no street line`);
  return { line1, city, pin_code: pin[1] + pin[2] };
}

/** {lat, lng} or GeoJSON {coordinates: [lng, lat]}; null when missing or out of range. */
export function locationOf(v: unknown): { lat: number; lng: number } | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() ? Number(x) : NaN);
  let lat = num(o.lat ?? o.latitude);
  let lng = num(o.lng ?? o.lon ?? o.longitude);
  if (Array.isArray(o.coordinates)) [lng, lat] = [num(o.coordinates[0]), num(o.coordinates[1])];
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}
