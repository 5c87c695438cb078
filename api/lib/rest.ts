import { and, asc, desc, eq, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { dayProblem, parseInstant } from './dates.js';
import { badRequest } from './errors.js';
import { shown } from './input.js';
import { searchWords, textMatch, type SearchWord } from './search.js';

export type FieldType = 'uuid' | 'text' | 'int' | 'number' | 'bool' | 'date' | 'timestamp' | 'enum';

export interface FieldSpec {
  column: AnyPgColumn | SQL;
  type: FieldType;
  values?: readonly string[];
  /** true: the whole list sorts by it (an index serves it); 'narrowed': only a list narrowed by `narrowedBy` does. */
  sortable?: boolean | 'narrowed';
  filterable?: boolean;
  /**
   * Filter through another table instead of `column` (a computed one): the condition is built on `via.column` and
   * `via.where` turns it into one on the list's own indexed keys (`customer_id in (select id from customers where ...)`).
   */
  via?: { column: AnyPgColumn; where: (cond: SQL) => SQL };
}

/** A searchable column (contains the word, any case), or a condition built from the word (customer first, phone digits). */
export type SearchTerm = AnyPgColumn | SQL | ((w: SearchWord) => SQL);

export interface ListSpec {
  fields: Record<string, FieldSpec>;
  /** What `q` searches: each word must match one of them. */
  search?: SearchTerm[];
  defaultSort?: { field: string; order: 'asc' | 'desc' };
  maxPage?: number;
  /** Filters that narrow a big list to a few rows (one customer's, one order's): with one, 'narrowed' columns sort too. */
  narrowedBy?: string[];
}

export interface ListQuery {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/**
 * The deepest first row a list serves; the admin pages no further. OFFSET reads every row it skips, so a page past
 * it would cost seconds on the big lists: narrowing (a filter, a search) or the other sort order reaches the rest.
 */
export const MAX_START = 10_000;

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const suffixes = ['_ne', '_gte', '_lte', '_like'] as const;
const reserved = new Set(['_start', '_end', '_sort', '_order', 'q', '_page', '_limit']);
/** Longest value of a filter or of q: longer is no search a person types, only work for the database. */
export const MAX_FILTER_LENGTH = 200;

function parseValue(name: string, spec: FieldSpec, raw: string): unknown {
  const fail = (what: string) => badRequest(`Filter ${name}: ${shown(raw)} is not ${what}.`, 'bad_filter');
  switch (spec.type) {
    case 'uuid':
      if (!uuidRe.test(raw)) throw fail('a valid id');
      return raw.toLowerCase();
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw fail('a whole number');
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw fail('a whole number in range');
      return n;
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw fail('a number');
      return n;
    }
    case 'bool':
      if (raw !== 'true' && raw !== 'false') throw fail('true or false');
      return raw === 'true';
    case 'date': {
      const problem = dayProblem(raw);
      if (problem) throw badRequest(`Filter ${name}: ${shown(raw)} ${problem} (YYYY-MM-DD).`, 'bad_filter');
      return raw;
    }
    case 'timestamp': {
      const parsed = parseInstant(raw);
      if ('problem' in parsed) throw badRequest(`Filter ${name}: ${shown(raw)} ${parsed.problem}.`, 'bad_filter');
      return parsed.at;
    }
    case 'enum':
      if (!spec.values?.includes(raw)) throw fail(`one of ${spec.values?.join(', ')}`);
      return raw;
    case 'text':
      return raw;
  }
}

function splitKey(key: string, fields: Record<string, FieldSpec>): { name: string; op: string } {
  if (fields[key]) return { name: key, op: 'eq' };
  for (const s of suffixes) {
    if (key.endsWith(s) && fields[key.slice(0, -s.length)]) return { name: key.slice(0, -s.length), op: s.slice(1) };
  }
  return { name: key, op: 'unknown' };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Parses Refine simple-rest list parameters against a resource's declared fields; anything undeclared is a 400. */
export function parseListQuery(params: URLSearchParams, spec: ListSpec): ListQuery {
  const conditions: SQL[] = [];
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (value.length > MAX_FILTER_LENGTH) throw badRequest(`${shown(key)}: at most ${MAX_FILTER_LENGTH} characters.`, 'bad_filter');
    if (reserved.has(key)) continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  for (const [key, values] of grouped) {
    const { name, op } = splitKey(key, spec.fields);
    const field = spec.fields[name];
    if (!field || op === 'unknown' || field.filterable === false) {
      throw badRequest(`Unknown filter "${key}". Filterable fields: ${filterableNames(spec).join(', ')}.`, 'unknown_filter');
    }
    const col = (field.via?.column ?? field.column) as SQL;
    const found: SQL[] = [];
    if (op === 'like') {
      const parts = values.map((v) => ilike(sql`${col}::text`, `%${escapeLike(v)}%`));
      found.push(parts.length === 1 ? parts[0] : or(...parts)!);
    } else {
      const parsed = values.map((v) => parseValue(key, field, v));
      if (op === 'eq') found.push(parsed.length === 1 ? eq(col, parsed[0]) : inArray(col, parsed));
      else if (op === 'ne') found.push(...parsed.map((v) => ne(col, v)));
      else if (op === 'gte') found.push(...parsed.map((v) => gte(col, v)));
      else if (op === 'lte') found.push(...parsed.map((v) => lte(col, v)));
    }
    conditions.push(...(field.via ? found.map(field.via.where) : found));
  }
  const q = params.get('q')?.trim();
  if (q) {
    if (!spec.search?.length) throw badRequest('This list cannot be searched with q.', 'unknown_filter');
    // Every word must match some searchable column, so "ravi indira" finds Ravi in Indiranagar.
    for (const w of searchWords(q)) conditions.push(or(...spec.search.map((term) => (typeof term === 'function' ? term(w) : textMatch(term, w))))!);
  }

  const sorts = (params.get('_sort') ?? '').split(',').filter(Boolean);
  const orders = (params.get('_order') ?? '').split(',').filter(Boolean);
  if (orders.length > sorts.length) throw badRequest('_order has more entries than _sort.', 'bad_sort');
  // getMany (?id=a&id=b) is as narrow as a list gets.
  const narrowed = ['id', ...(spec.narrowedBy ?? [])].some((f) => grouped.has(f));
  const dirs: ('asc' | 'desc')[] = [];
  const orderBy: SQL[] = sorts.map((name, i) => {
    const field = spec.fields[name];
    if (!field || !isSortable(name, field)) {
      throw badRequest(`Cannot sort by "${name}". Sortable fields: ${sortableNames(spec).join(', ')}.`, 'unknown_sort');
    }
    // After a whole-list key, a narrowed one only orders the rows that tie on it (an incremental sort of one group).
    if (field.sortable === 'narrowed' && !narrowed && (i === 0 || !wholeSortable(sorts[0], spec.fields[sorts[0]]))) {
      throw badRequest(
        `Sorting the whole list by ${name} would read every row: filter by ${spec.narrowedBy!.join(' or ')} first, or sort by ${wholeSortableNames(spec).join(', ')}.`,
        'sort_needs_filter',
      );
    }
    const dir = (orders[i] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`_order must be asc or desc, not "${orders[i]}".`, 'bad_sort');
    dirs.push(dir);
    return dir === 'asc' ? asc(field.column as SQL) : desc(field.column as SQL);
  });
  if (!orderBy.length && spec.defaultSort) {
    const f = spec.fields[spec.defaultSort.field];
    if (f.sortable === 'narrowed' && !narrowed) {
      throw badRequest(`This list is read a few rows at a time: filter by ${spec.narrowedBy!.join(' or ')}.`, 'list_needs_filter');
    }
    dirs.push(spec.defaultSort.order);
    orderBy.push(spec.defaultSort.order === 'asc' ? asc(f.column as SQL) : desc(f.column as SQL));
  }
  // A stable tie-breaker, so pages never repeat or skip rows; in the first key's direction, so one (column, id)
  // index serves the list both ways.
  if (spec.fields.id) orderBy.push(dirs[0] === 'desc' ? desc(spec.fields.id.column as SQL) : asc(spec.fields.id.column as SQL));

  const maxPage = spec.maxPage ?? 1000;
  const start = intParam(params, '_start', 0);
  const end = intParam(params, '_end', start + maxPage);
  if (end < start) throw badRequest('_end must not be before _start.', 'bad_range');
  if (end - start > maxPage) throw badRequest(`At most ${maxPage} rows per page.`, 'bad_range');
  if (start > MAX_START) {
    throw badRequest(
      `Pages past row ${MAX_START.toLocaleString('en-IN')} are not served: narrow the list with a filter or a search, or sort the other way to see its end first.`,
      'page_too_deep',
    );
  }
  return { where: conditions.length ? and(...conditions) : undefined, orderBy, limit: end - start, offset: start };
}

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a whole number >= 0.`, 'bad_range');
  return Number(raw);
}

const filterableNames = (spec: ListSpec) => Object.keys(spec.fields).filter((k) => spec.fields[k].filterable !== false);
// id is always sortable: Refine's tables sort by it by default, and it is the tie-breaker anyway.
const isSortable = (name: string, field: FieldSpec) => name === 'id' || field.sortable === true || field.sortable === 'narrowed';
/** Sortable on the whole list: an index serves it (id: the primary key). */
const wholeSortable = (name: string, field: FieldSpec | undefined) => name === 'id' || field?.sortable === true;
const sortableNames = (spec: ListSpec) => Object.keys(spec.fields).filter((k) => isSortable(k, spec.fields[k]));
const wholeSortableNames = (spec: ListSpec) => Object.keys(spec.fields).filter((k) => wholeSortable(k, spec.fields[k]));

export const isUuid = (s: string) => uuidRe.test(s);
