import { and, asc, desc, eq, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { dayProblem, parseInstant } from './dates.js';
import { badRequest } from './errors.js';
import { shown } from './input.js';

export type FieldType = 'uuid' | 'text' | 'int' | 'number' | 'bool' | 'date' | 'timestamp' | 'enum';

export interface FieldSpec {
  column: AnyPgColumn | SQL;
  type: FieldType;
  values?: readonly string[];
  sortable?: boolean;
  filterable?: boolean;
}

export interface ListSpec {
  fields: Record<string, FieldSpec>;
  /** Columns `q` searches, case-insensitively. */
  search?: (AnyPgColumn | SQL)[];
  defaultSort?: { field: string; order: 'asc' | 'desc' };
  maxPage?: number;
}

export interface ListQuery {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

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
    const col = field.column as SQL;
    if (op === 'like') {
      const parts = values.map((v) => ilike(sql`${col}::text`, `%${escapeLike(v)}%`));
      conditions.push(parts.length === 1 ? parts[0] : or(...parts)!);
      continue;
    }
    const parsed = values.map((v) => parseValue(key, field, v));
    if (op === 'eq') conditions.push(parsed.length === 1 ? eq(col, parsed[0]) : inArray(col, parsed));
    else if (op === 'ne') conditions.push(...parsed.map((v) => ne(col, v)));
    else if (op === 'gte') conditions.push(...parsed.map((v) => gte(col, v)));
    else if (op === 'lte') conditions.push(...parsed.map((v) => lte(col, v)));
  }
  const q = params.get('q')?.trim();
  if (q) {
    if (!spec.search?.length) throw badRequest('This list cannot be searched with q.', 'unknown_filter');
    const words = q.split(/\s+/).slice(0, 8);
    // Every word must match some searchable column, so "ravi indira" finds Ravi in Indiranagar.
    for (const w of words) conditions.push(or(...spec.search.map((c) => ilike(sql`${c}::text`, `%${escapeLike(w)}%`)))!);
  }

  const sorts = (params.get('_sort') ?? '').split(',').filter(Boolean);
  const orders = (params.get('_order') ?? '').split(',').filter(Boolean);
  if (orders.length > sorts.length) throw badRequest('_order has more entries than _sort.', 'bad_sort');
  const orderBy: SQL[] = sorts.map((name, i) => {
    const field = spec.fields[name];
    if (!field || !isSortable(name, field)) {
      throw badRequest(`Cannot sort by "${name}". Sortable fields: ${sortableNames(spec).join(', ')}.`, 'unknown_sort');
    }
    const dir = (orders[i] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`_order must be asc or desc, not "${orders[i]}".`, 'bad_sort');
    return dir === 'asc' ? asc(field.column as SQL) : desc(field.column as SQL);
  });
  if (!orderBy.length && spec.defaultSort) {
    const f = spec.fields[spec.defaultSort.field];
    orderBy.push(spec.defaultSort.order === 'asc' ? asc(f.column as SQL) : desc(f.column as SQL));
  }
  // A stable tie-breaker, so pages never repeat or skip rows.
  if (spec.fields.id) orderBy.push(asc(spec.fields.id.column as SQL));

  const maxPage = spec.maxPage ?? 1000;
  const start = intParam(params, '_start', 0);
  const end = intParam(params, '_end', start + maxPage);
  if (end < start) throw badRequest('_end must not be before _start.', 'bad_range');
  if (end - start > maxPage) throw badRequest(`At most ${maxPage} rows per page.`, 'bad_range');
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
const isSortable = (name: string, field: FieldSpec) => name === 'id' || field.sortable === true;
const sortableNames = (spec: ListSpec) => Object.keys(spec.fields).filter((k) => isSortable(k, spec.fields[k]));

export const isUuid = (s: string) => uuidRe.test(s);
