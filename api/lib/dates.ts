// The business runs on India time: "today", months and financial years are days in Asia/Kolkata.
const istDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of an instant, in IST. */
export const istDate = (at: Date = new Date()) => istDay.format(at);

export const todayIST = () => istDate(new Date());

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday of a YYYY-MM-DD date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** First and last day of the month of a YYYY-MM or YYYY-MM-DD string. */
export function monthBounds(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number);
  const start = `${y}-${String(m).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { start, end };
}

/** India's financial year of a date as "26-27" (1 April to 31 March). */
export function financialYear(day: string): string {
  const [y, m] = day.split('-').map(Number);
  const startYear = m >= 4 ? y : y - 1;
  return `${String(startYear % 100).padStart(2, '0')}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

// One rule for every date the API accepts (bodies, paths, query filters): a day that exists, within a range
// no business record can sensibly lie outside of. It keeps day loops and date arithmetic small and finite.
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2100-12-31';

const dayRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Why `s` is not a day the API accepts (YYYY-MM-DD that exists, within FIRST_DAY..LAST_DAY), or null when it is one. */
export function dayProblem(s: string): string | null {
  const m = dayRe.exec(s);
  if (!m) return 'is not a date like 2026-07-15';
  const [y, mo, d] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return 'is a date that does not exist';
  if (s < FIRST_DAY || s > LAST_DAY) return `is outside the dates accepted (${FIRST_DAY} to ${LAST_DAY})`;
  return null;
}

/** Why `s` is not a month the API accepts (YYYY-MM within the range), or null. */
export function monthProblem(s: string): string | null {
  if (!/^\d{4}-\d{2}$/.test(s)) return 'is not a month like 2026-07';
  const p = dayProblem(`${s}-01`);
  return p === 'is a date that does not exist' ? 'is a month that does not exist' : p;
}

// A date, or a date and time with an optional offset: what ISO 8601 clients send. Date.parse alone is too lenient
// (it reads 2026-02-30 as 2 March and takes years like -271821).
const instantRe = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An instant from a date or ISO date-time string, or the reason it is not one the API accepts. */
export function parseInstant(s: string): { at: Date } | { problem: string } {
  const m = instantRe.exec(s);
  if (!m) return { problem: 'is not a date and time like 2026-07-15T06:30:00+05:30' };
  const [, day, hh, mm, ss, zone] = m;
  const dp = dayProblem(day);
  if (dp === 'is a date that does not exist') return { problem: dp };
  if (Number(hh ?? 0) > 23 || Number(mm ?? 0) > 59 || Number(ss ?? 0) > 59) return { problem: 'has a time that does not exist' };
  if (zone && zone.toUpperCase() !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(-2)) > 59)) return { problem: 'has an offset that does not exist' };
  const at = new Date(Date.parse(s.replace(' ', 'T')));
  if (Number.isNaN(at.getTime())) return { problem: 'is not a date and time like 2026-07-15T06:30:00+05:30' };
  // The range is one of business (IST) days, so the first instant of 2000-01-01 in IST is in it.
  const local = istDate(at);
  if (local < FIRST_DAY || local > LAST_DAY) return { problem: `is outside the dates accepted (${FIRST_DAY} to ${LAST_DAY})` };
  return { at };
}
