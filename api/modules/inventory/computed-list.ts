import { badRequest } from '../../lib/errors.js';

/** At most this many rows in one page of a computed list (every row is a product at a depot, or one a day and shift). */
export const COMPUTED_PAGE_MAX = 1000;

/**
 * Refine's simple-rest contract over a list computed in full (stock, forecast, reorder proposals: a few hundred rows,
 * all needed for their totals anyway): `_sort`/`_order` (comma-separated keys, each asc or desc) among `sortable` (and id), then
 * the row's own order as the tie-break, and `_start`/`_end` (a page of at most 1,000 rows). An unknown key is a 400.
 */
export function pageOf<T extends object>(rows: T[], q: { _start?: number; _end?: number; _sort?: string; _order?: string }, sortable: readonly string[]): T[] {
  const sorts = (q._sort ?? '').split(',').filter(Boolean);
  const orders = (q._order ?? '').split(',').filter(Boolean);
  if (orders.length > sorts.length) throw badRequest('_order has more entries than _sort.', 'bad_sort');
  const keys = sorts.map((name, i) => {
    if (name !== 'id' && !sortable.includes(name)) throw badRequest(`Cannot sort by "${name}". Sortable fields: ${['id', ...sortable].join(', ')}.`, 'unknown_sort');
    const dir = (orders[i] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`_order must be asc or desc, not "${orders[i]}".`, 'bad_sort');
    return { name, sign: dir === 'asc' ? 1 : -1 };
  });
  const start = q._start ?? 0;
  const end = Math.min(q._end ?? start + COMPUTED_PAGE_MAX, start + COMPUTED_PAGE_MAX);
  if (end < start) throw badRequest('_end is before _start.', 'bad_range');
  // Array.prototype.sort is stable: rows equal on every key keep the service's order.
  const sorted = keys.length ? [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare((a as Record<string, unknown>)[k.name], (b as Record<string, unknown>)[k.name], k.name === 'id');
      if (c) return c * k.sign;
    }
    return 0;
  }) : rows;
  return sorted.slice(start, end);
}

/** Names compare as a person reads them; ids by code unit (as the stored lists' ids sort, and JavaScript's sort). */
function compare(a: unknown, b: unknown, codeUnits = false): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // nulls last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (codeUnits) return String(a) < String(b) ? -1 : 1;
  return String(a).localeCompare(String(b), 'en');
}
