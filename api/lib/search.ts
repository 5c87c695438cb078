import { Column, ilike, is, like, or, sql, type SQL } from 'drizzle-orm';
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
 * Rows of a big table found through the customers a word matches (trigram-indexed), then their rows by
 * `key` (the table's indexed customer id), instead of scanning every row. `others` are more ways a row matches:
 * `customers` lists the customers whose rows may match (so the key still drives the search), `row` is the exact
 * condition on the row itself.
 */
export function viaCustomer(key: AnyPgColumn | SQL, w: SearchWord, others: { customers: SQL; row: SQL }[] = []): SQL {
  const matching = sql`select c.id from customers c where ${customerWhere(w)}`;
  if (!others.length) return sql`${key} in (${matching})`;
  const candidates = sql.join([matching, ...others.map((o) => o.customers)], sql` union all `);
  return sql`(${key} in (${candidates}) and (${key} in (${matching}) or ${or(...others.map((o) => o.row))}))`;
}
