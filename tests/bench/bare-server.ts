/**
 * The yardstick of the HTTP benchmarks: a bare node:http server running the same statements as Milkrun, read from
 * BENCH_QUERIES (a JSON file the benchmark writes from what it captured of Milkrun's own requests), through the
 * `postgres` driver with the same pool size and prepared statements as drizzle's hot paths. No framework, no
 * routing table, no validation: what is left of a request when the framework is taken away. Loopback only.
 *   GET <a list path>: Milkrun's session lookup, then the page and its count as a hand-written list would read them
 *   (three statements; a back office checks who asks before it answers, as the confirmation's yardstick does).
 *   POST /api/deliveries/:id/confirm: Milkrun's three statements (session lookup, read, the one write), the write
 *   built by bare-confirm.ts; everything delivered, as the benchmark sends it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import postgres from 'postgres';
import { confirmWrite, type OutcomeRow } from './bare-confirm.js';

interface Captured {
  sql: string;
  params: unknown[];
}

export interface BareQueries {
  /** Exact request path (with its query string) -> the page and count statements. */
  lists: Record<string, { page: Captured; count: Captured }>;
  /** Milkrun's session lookup; slots: where the token's hash, the time and the permission keys already held go among its parameters. */
  session: { sql: string; slots: { token_hash: number; now: number; known: number } };
  confirm?: { read: string; read_columns: string[] };
}

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
const file = process.env.BENCH_QUERIES;
if (!url || !port || !file) throw new Error('bare-server needs DATABASE_URL, PORT and BENCH_QUERIES');
const queries = JSON.parse(readFileSync(file, 'utf8')) as BareQueries;

const sql = postgres(url, { max: Number(process.env.POOL_MAX ?? 10), onnotice: () => {} });
let knownKey = '';
const CONFIRM = /^\/api\/deliveries\/([0-9a-f-]{36})\/confirm$/;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The request's body, read to the end (the confirmation's is `{}`: read, not used). */
const drain = (req: http.IncomingMessage) => new Promise<void>((resolve, reject) => req.on('data', () => {}).on('end', resolve).on('error', reject));

/** The signed-in user of the request's session cookie, by Milkrun's own lookup, or null. */
async function actorOf(req: http.IncomingMessage): Promise<Record<string, unknown> | null> {
  const token = /(?:^|;\s*)milkrun_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (!token) return null;
  const { sql: text, slots } = queries.session;
  const params: string[] = [];
  params[slots.token_hash] = createHash('sha256').update(token).digest('hex');
  params[slots.now] = new Date().toISOString();
  params[slots.known] = knownKey;
  const [actor] = await sql.unsafe(text, params, { prepare: true });
  if (!actor) return null;
  // As Milkrun keeps the permission sets it was sent, so the lookup sends them once.
  knownKey = actor.permissions_key as string;
  return actor;
}

async function confirm(req: http.IncomingMessage, res: http.ServerResponse, id: string) {
  const q = queries.confirm!;
  await drain(req);
  const actor = await actorOf(req);
  if (!actor) return send(res, 401, { message: 'no session' });
  const [values] = await sql.unsafe(q.read, [id], { prepare: true }).values();
  if (!values) return send(res, 404, { message: 'no such delivery' });
  const row = Object.fromEntries(q.read_columns.map((c, i) => [c, values[i]])) as OutcomeRow;
  if (row.status !== 'pending' || row.order_status !== 'pending') return send(res, 409, { message: 'already settled' });
  const write = confirmWrite(row, { actorId: actor.id as string });
  const written = await sql.unsafe(write.sql, write.params as never[], { prepare: true });
  if (!written.length) return send(res, 409, { message: 'settled by someone else' });
  send(res, 200, write.body);
}

const server = http.createServer(async (req, res) => {
  try {
    const path = req.url ?? '/';
    if (path === '/api/health') {
      await sql`select 1`;
      return send(res, 200, { status: 'ok' });
    }
    const list = req.method === 'GET' ? queries.lists[path] : undefined;
    if (list) {
      if (!(await actorOf(req))) return send(res, 401, { message: 'no session' });
      const rows = await sql.unsafe(list.page.sql, list.page.params as never[], { prepare: true });
      const [count] = await sql.unsafe(list.count.sql, list.count.params as never[], { prepare: true });
      return send(res, 200, rows, { 'x-total-count': String(Object.values(count)[0]) });
    }
    const confirming = req.method === 'POST' && queries.confirm ? CONFIRM.exec(path) : null;
    if (confirming) return await confirm(req, res, confirming[1]);
    res.writeHead(404);
    res.end();
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(err));
  }
});
server.listen(port, '127.0.0.1');

async function shutdown() {
  server.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
