import { drizzle } from 'drizzle-orm/postgres-js';
import pino from 'pino';
import postgres from 'postgres';
import { createApp } from '../../api/app.js';
import { schema, type Database, type Db } from '../../db/client.js';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/**
 * The statements Milkrun's own code sends for one request: the app built in this process on a postgres.js client
 * whose debug hook records every query. Used to copy the orders list's SQL into the bare server (so both run the very
 * same statements) and to count statements per request.
 */
export async function captureRequests(url: string) {
  const captured: CapturedQuery[] = [];
  let recording = false;
  const client = postgres(url, {
    max: 2,
    onnotice: () => {},
    debug: (_conn, query, params) => {
      if (recording) captured.push({ sql: query, params: [...(params as unknown[])] });
    },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  const database: Database = { db, kind: 'postgres', migrate: async () => {}, close: () => client.end({ timeout: 5 }) };
  const app = createApp({ database, logger: pino({ level: 'silent' }) });

  async function login(email: string, password: string): Promise<string> {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (res.status !== 200) throw new Error(`login as ${email}: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return cookie;
  }

  /** Sends one request and returns its answer and the statements it ran, in order. */
  async function record(path: string, init: RequestInit = {}) {
    captured.length = 0;
    recording = true;
    try {
      const res = await app.request(path, init);
      const body = await res.text();
      return { status: res.status, headers: res.headers, body, queries: [...captured] };
    } finally {
      recording = false;
    }
  }

  return { login, record, close: () => database.close() };
}

/** One line of SQL for printing. */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
