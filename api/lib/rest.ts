import { and, asc, desc, eq, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { dayProblem, parseInstant } from './dates.js';
import { badRequest } from './errors.js';
import { shown } from './input.js';
import type { Db } from '../../db/client.js';
import { isKeyed, searchWords, textMatch, type KeyedTerm, type SearchWord } from './search.js';
import { rowsOf } from './sql.js';

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
  /**
   * The condition of `name=value` (one value), when `column = value` over a computed column would test every row: one
   * PostgreSQL can answer through an index (paid=true: the lines in a payout item first).
   */
  equals?: (value: unknown) => SQL;
}

/**
 * A searchable column (contains the word, any case), a condition built from the word (phone digits), or a term
 * answered through another table's ids (customer or product first: see KeyedTerm).
 */
export type SearchTerm = AnyPgColumn | SQL | ((w: SearchWord) => SQL) | KeyedTerm;

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
  /** q was given: the query holds the ids its words found, so it is planned afresh each time (not prepared). */
  searched: boolean;
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

/**
 * Parses Refine simple-rest list parameters against a resource's declared fields; anything undeclared is a 400.
 * With `db`, the ids a search's keyed terms find are looked up first (one statement), see resolveKeyed.
 */
export async function parseListQuery(params: URLSearchParams, spec: ListSpec, db?: Db): Promise<ListQuery> {
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
      if (op === 'eq' && field.equals && parsed.length === 1) found.push(field.equals(parsed[0]));
      else if (op === 'eq') found.push(parsed.length === 1 ? eq(col, parsed[0]) : inArray(col, parsed));
      else if (op === 'ne') found.push(...parsed.map((v) => ne(col, v)));
      else if (op === 'gte') found.push(...parsed.map((v) => gte(col, v)));
      else if (op === 'lte') found.push(...parsed.map((v) => lte(col, v)));
    }
    conditions.push(...(field.via ? found.map(field.via.where) : found));
  }
  const q = params.get('q')?.trim();
  // The search narrowed the rows to those of a few keys (customers): see FEW_KEYS.
  let few = false;
  if (q) {
    if (!spec.search?.length) throw badRequest('This list cannot be searched with q.', 'unknown_filter');
    const terms = spec.search;
    const words = searchWords(q);
    const found = await lookupKeyed(db, words.flatMap((w) => terms.filter(isKeyed).flatMap((t) => [t.ids(w), ...(t.exact ? [t.exact.ids(w)] : [])])));
    // Every word must match some searchable column, so "ravi indira" finds Ravi in Indiranagar. The keyed terms take
    // their looked-up ids in the order they were listed above; a term whose word found nothing there drops out.
    const matched: TermMatch[][] = words.map((w) =>
      terms.flatMap((term): TermMatch[] => {
        if (!isKeyed(term)) return [{ condition: typeof term === 'function' ? term(w) : textMatch(term, w) }];
        const ids = found.next(term.ids(w));
        const exact = term.exact ? found.next(term.exact.ids(w)) : undefined;
        if (ids.none || exact?.none) return [];
        const narrow = exact?.condition(term.exact!.column);
        return [{ condition: narrow ? and(ids.condition(term.key), narrow)! : ids.condition(term.key), key: term.key, ids: ids.ids, narrow }];
      }),
    );
    const search = searchConditions(matched);
    conditions.push(...search.conditions);
    few = search.keys !== null && search.keys <= FEW_KEYS;
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
    const column = i === 0 && few ? sortAll(field.column) : field.column;
    return dir === 'asc' ? asc(column as SQL) : desc(column as SQL);
  });
  if (!orderBy.length && spec.defaultSort) {
    const f = spec.fields[spec.defaultSort.field];
    if (f.sortable === 'narrowed' && !narrowed) {
      throw badRequest(`This list is read a few rows at a time: filter by ${spec.narrowedBy!.join(' or ')}.`, 'list_needs_filter');
    }
    dirs.push(spec.defaultSort.order);
    const column = few ? sortAll(f.column) : f.column;
    orderBy.push(spec.defaultSort.order === 'asc' ? asc(column as SQL) : desc(column as SQL));
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
  return { where: conditions.length ? and(...conditions) : undefined, searched: Boolean(q), orderBy, limit: end - start, offset: start };
}

/**
 * More ids than this from one keyed term (a word in a tenth of the customers at 50,000): the term stays a subquery.
 * Its rows are then common enough that walking the list's sort order finds a page at once.
 */
export const LOOKUP_MAX = 5000;

/** One way a word matches a row: its condition; for a keyed term, the key and the ids found (null: too many). */
interface TermMatch {
  condition: SQL;
  key?: AnyPgColumn | SQL;
  ids?: string[] | null;
  /** An `exact` term's own condition on the row (the address), which implies the key's. */
  narrow?: SQL;
}

interface Found {
  none: boolean;
  ids: string[] | null;
  condition: (column: AnyPgColumn | SQL) => SQL;
}

/** The column is one of the ids (uuid strings), sent as one array parameter however many there are. */
export const anyOf = (column: AnyPgColumn | SQL, ids: string[]) => sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;

/**
 * Looks up the ids of every keyed term's word at once (each a trigram-indexed search of a small table, at most
 * LOOKUP_MAX + 1 ids); `next` hands them out in the same order, each with its condition: `column = any(the ids)`,
 * which PostgreSQL plans knowing how many rows they hold; `none` when the word found nothing there; the subquery
 * itself when it found too many, or without a database to ask.
 */
async function lookupKeyed(db: Db | undefined, lookups: SQL[]): Promise<{ next: (ids: SQL) => Found }> {
  let found: (string[] | null)[] = [];
  if (db && lookups.length) {
    const cols = lookups.map((ids, i) => sql`(select coalesce(json_agg(distinct x.id), '[]'::json) from (${ids} limit ${LOOKUP_MAX + 1}) as x(id)) as ${sql.identifier(`k${i}`)}`);
    const [row] = rowsOf<Record<string, unknown>>(await db.execute(sql`select ${sql.join(cols, sql`, `)}`));
    found = lookups.map((_, i) => {
      const raw = row[`k${i}`];
      const ids = (typeof raw === 'string' ? JSON.parse(raw) : raw) as string[];
      return ids.length > LOOKUP_MAX ? null : ids;
    });
  }
  let n = 0;
  return {
    next: (subquery) => {
      const ids = found[n++] ?? null;
      if (!ids) return { none: false, ids: null, condition: (column) => sql`${column} in (${subquery})` };
      return { none: ids.length === 0, ids, condition: (column) => anyOf(column, ids) };
    },
  };
}

/**
 * The conditions of q's words, each an OR of the ways it matches. When every way every word matches goes through one
 * and the same key with known ids (the customer: "farah khan" in deliveries), the row's key must be among the ids
 * that every word found: one short list that PostgreSQL takes through the key's index (sixty customers, where each
 * word alone finds a thousand or two). Then a word that matches only through plain keyed terms needs nothing more
 * (it is implied), and an `exact` term keeps only its narrowing condition: a second list on the same key would make
 * PostgreSQL price the index as one descent per pair of ids and read the whole table instead.
 */
function searchConditions(words: TermMatch[][]): { conditions: SQL[]; keys: number | null } {
  if (words.some((w) => !w.length)) return { conditions: [sql`false`], keys: 0 };
  const key = words[0][0].key;
  const keyed = key && words.every((w) => w.every((m) => m.key === key && m.ids));
  if (!keyed) return { conditions: words.map((w) => or(...w.map((m) => m.condition))!), keys: null };
  const sets = words.map((w) => new Set(w.flatMap((m) => m.ids!)));
  const common = [...sets[0]].filter((id) => sets.every((s) => s.has(id)));
  if (!common.length) return { conditions: [sql`false`], keys: 0 };
  const out = [anyOf(key, common)];
  for (const w of words) {
    if (w.every((m) => !m.narrow)) continue;
    out.push(or(...w.map((m) => m.narrow ?? m.condition))!);
  }
  return { conditions: out, keys: common.length };
}

/**
 * A search that comes down to this many keys (customers) or fewer reads all their rows and sorts them (a month of a
 * hundred customers is about 3,000 rows). PostgreSQL would otherwise walk the list's sort index until it has found a
 * page, pricing that walk as if the matches were spread evenly; through a join (deliveries by the order's customer)
 * it probes the other table for every row walked, tens of thousands of probes for a rare name.
 */
export const FEW_KEYS = 100;

/** The same order, in a form no index provides: PostgreSQL finds the rows first (by their keys), then sorts them. */
const sortAll = (column: AnyPgColumn | SQL) => sql`coalesce(${column}, ${column})`;

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
