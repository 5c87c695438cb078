import { sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../db/client.js';
import type { TestApp } from '../helpers/app.js';
import { refusal } from '../helpers/refused.js';

/** The problem+json body of a response, after checking its status, content type, code and shape. */
export async function expectProblem(res: Response, status: number, code?: string): Promise<{ message: string; code: string; [k: string]: unknown }> {
  const text = await res.text();
  expect(res.status, `expected ${status}, got ${res.status}: ${text}`).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.status).toBe(status);
  expect(body.detail).toBe(body.message);
  expect(body.type).toBe(`/problems/${body.code}`);
  if (code) expect(body.code).toBe(code);
  return body;
}

/** The JSON body of a response, after checking its status (the body is shown when it is not the expected one). */
export async function expectJson<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, `expected ${status}, got ${res.status}: ${text}`).toBe(status);
  return JSON.parse(text) as T;
}

/** Rows of a raw query, whichever driver runs it (PGlite answers {rows}, postgres.js an array). */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export async function countOf(db: Db, query: SQL): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, query);
  return Number(row.n);
}

/** The constraint that refused a query and its SQLSTATE, or fails the test when the query succeeded. */
export const refusedBy = refusal;

let phoneSeq = 0;
/** A fresh valid Indian mobile number, in the stored +91 form. */
export function nextPhone(): string {
  phoneSeq += 1;
  return `+9197${String(phoneSeq).padStart(8, '0')}`;
}

let nameSeq = 0;
export const uniqueName = (prefix: string) => `${prefix} ${++nameSeq}-${Math.random().toString(36).slice(2, 7)}`;

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export async function createZone(t: TestApp, name = uniqueName('Zone')): Promise<{ id: string; name: string }> {
  return expectJson(await t.call('admin', 'POST', '/api/zones', { name }), 201);
}

export async function createCustomer(t: TestApp, input: Record<string, unknown> & { zone_id: string }): Promise<Record<string, any>> {
  return expectJson(await t.call('admin', 'POST', '/api/customers', { name: uniqueName('Customer'), phone: nextPhone(), ...input }), 201);
}

export const milkRequest = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName('Buffalo Milk'),
  category: 'dairy',
  unit: 'packet',
  unit_size: '500 ml',
  price_paise: 3400,
  hsn_code: '0401',
  gst_rate_bp: 0,
  note: 'Customers in Jayanagar ask for it',
  ...overrides,
});

export async function createRequest(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  return expectJson(await t.call('support', 'POST', '/api/product-requests', milkRequest(overrides)), 201);
}

/** Audit rows of one record, oldest first. */
export function auditRowsOf(db: Db, recordId: string) {
  return rows<{ user_id: string | null; action: string; table_name: string; record_id: string; before: any; after: any; request_id: string | null }>(
    db,
    sql`select user_id, action, table_name, record_id, before, after, request_id from audit_logs where record_id = ${recordId} order by created_at, id`,
  );
}
