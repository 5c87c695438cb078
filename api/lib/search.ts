import { Column, ilike, is, like, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * One word of a list's `q`: matched case-insensitively anywhere in a text (`pattern` is `%word%`, LIKE-escaped), and,
 * when it is a phone number in any form people type (98765, +91 98765 43210, 0 98765 43210), by its digits.
 * Trigram indexes (pg_trgm, gin_trgm_ops) answer both ILIKE '%word%' and LIKE '%digits%' without a scan.
 */
export interface SearchWord {
  text: string;
  pattern: string;
  digits: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The digits of a phone number as stored after +91, without the country code or trunk 0; null when s is not one. */
export function phoneDigits(s: string): string | null {
  if (!/^[+\d\s\-().]+$/.test(s)) return null;
  let digits = s.replace(/\D/g, '');
  if (/^[\s(]*\+\s*91/.test(s) || (digits.length > 10 && digits.startsWith('91'))) digits = digits.slice(2);
  digits = digits.replace(/^0+/, '');
  return digits.length >= 3 ? digits : null;
}

/**
 * The words of `q`, each to be matched by some searchable column. A q that is a phone number as a whole
 * ("+91 98765 43210") is one word, so its groups of digits are found together.
 */
export function searchWords(q: string): SearchWord[] {
  const whole = q.trim();
  const phone = phoneDigits(whole);
  const words = phone && /\s/.test(whole) ? [whole] : whole.split(/\s+/).filter(Boolean).slice(0, 8);
  return words.map((text) => ({ text, pattern: `%${escapeLike(text)}%`, digits: phoneDigits(text) }));
}

/** Text contains the word, ignoring case (non-text expressions are cast). */
export function textMatch(expr: AnyPgColumn | SQL, w: SearchWord): SQL {
  const text = is(expr, Column) && (expr as AnyPgColumn).dataType === 'string' ? expr : sql`${expr}::text`;
  return ilike(text, w.pattern);
}

/** A phone column (stored +91XXXXXXXXXX) contains the word's digits, or the word as typed when it has none. */
export function phoneMatch(col: AnyPgColumn, w: SearchWord): SQL {
  return w.digits ? like(col, `%${w.digits}%`) : ilike(col, w.pattern);
}

/** Customers found by a word: name or phone. */
export const customerWhere = (w: SearchWord) => sql`(c.name ilike ${w.pattern} or ${w.digits ? sql`c.phone like ${`%${w.digits}%`}` : sql`c.phone ilike ${w.pattern}`})`;

/**
 * A search term answered through another table: the list's rows whose `key` (an indexed column, e.g. customer_id)
 * holds the id of a row of that table matching the word. `ids` selects those ids (a trigram-indexed search of the
 * small table); `exact`, when given, narrows further: the row's `column` must be among the ids it selects (an address
 * of the customer), while `key` still drives the search through its index.
 * The ids are looked up before the list's own query (resolveKeyed in rest.ts), so PostgreSQL plans it with the ids
 * themselves: a rare name's thirty rows through the key's index, a common one's by walking the list's sort order.
 */
export interface KeyedTerm {
  key: AnyPgColumn | SQL;
  ids: (w: SearchWord) => SQL;
  exact?: { column: AnyPgColumn | SQL; ids: (w: SearchWord) => SQL };
}

export const isKeyed = (term: unknown): term is KeyedTerm => typeof term === 'object' && term !== null && 'key' in term && 'ids' in term;

/** Rows of a list found through the customers a word matches (name, phone digits), by the list's customer key. */
export const byCustomer = (key: AnyPgColumn | SQL): KeyedTerm => ({ key, ids: (w) => sql`select c.id from customers c where ${customerWhere(w)}` });

/** Rows of a list found through the products a word matches (name), by the list's product key. */
export const byProduct = (key: AnyPgColumn | SQL): KeyedTerm => ({ key, ids: (w) => sql`select p.id from products p where p.name ilike ${w.pattern}` });
