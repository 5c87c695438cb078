/**
 * The yardstick of the orders-list benchmark: a bare node:http server that answers GET /api/orders with the same two
 * statements Milkrun's route runs (page, then count), read from BENCH_QUERIES (a JSON file the benchmark writes
 * from what it captured of Milkrun's own request), through the `postgres` driver with the same pool size and the
 * same unprepared extended protocol drizzle uses. No session, no routing, no validation: what is left of a request
 * when the framework is taken away. Listens on loopback only.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import postgres from 'postgres';

interface Captured {
  sql: string;
  params: unknown[];
}

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
const file = process.env.BENCH_QUERIES;
if (!url || !port || !file) throw new Error('bare-server needs DATABASE_URL, PORT and BENCH_QUERIES');
const queries = JSON.parse(readFileSync(file, 'utf8')) as { page: Captured; count: Captured };

const sql = postgres(url, { max: Number(process.env.POOL_MAX ?? 10), onnotice: () => {} });

const server = http.createServer(async (req, res) => {
  try {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/api/health') {
      await sql`select 1`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    if (req.method !== 'GET' || path !== '/api/orders') {
      res.writeHead(404);
      res.end();
      return;
    }
    // Prepared, as postgres.js's tagged templates are by default: what a hand-written server would send.
    const rows = await sql.unsafe(queries.page.sql, queries.page.params as never[], { prepare: true });
    const [count] = await sql.unsafe(queries.count.sql, queries.count.params as never[], { prepare: true });
    const total = Object.values(count)[0];
    res.writeHead(200, { 'content-type': 'application/json', 'x-total-count': String(total) });
    res.end(JSON.stringify(rows));
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
