import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../api/lib/sql.js';
import { cpuMeter, type CpuSplit } from './cpu.js';
import { closedLoop, type Client, type LoadResult } from './http.js';
import { combine } from './orders-list.js';

type Server = 'milkrun' | 'bare';

export interface ConfirmPhase extends LoadResult {
  server: Server;
  round: number;
  cpu: CpuSplit;
}

export interface ConfirmResult {
  concurrency: number;
  /** Each server's measured phases combined, with what the database holds afterwards for the deliveries it was sent. */
  milkrun: LoadResult & { confirmed_in_db: number; billed_in_db: number; items_in_db: number };
  bare: LoadResult & { confirmed_in_db: number; billed_in_db: number; items_in_db: number };
  phases: ConfirmPhase[];
  /** Milkrun's rate over the bare server's. */
  ratio: number;
  cpu_ms_per_request: Record<Server, { server: number; postgres: number; client: number }>;
}

/**
 * POST /api/deliveries/:id/confirm with {} (everything delivered) on today's pending deliveries, `concurrency` closed
 * loops on keep-alive connections, against Milkrun and against the bare server (the same three statements, no
 * framework), alternating rounds (milkrun, bare, bare, milkrun ...) so a change in the machine's load hits both
 * alike. Each server gets a warm-up, then each phase is bounded by count and time. Every delivery is sent once, to
 * one server, so every answer should be a 200.
 */
export async function benchConfirm(
  db: Db,
  opts: {
    clients: Record<Server, Client>;
    pids: Record<Server, number>;
    /** PostgreSQL's CPU counts only this database's backends (others' work on a shared machine left out). */
    database?: string;
    cookie: string;
    today: string;
    concurrency: number;
    warmup: number;
    count: number;
    seconds: number;
    rounds: number;
    log: (l: string) => void;
  },
): Promise<ConfirmResult> {
  const ids = rowsOf<{ id: string }>(
    await db.execute(sql`
      select d.id from deliveries d join orders o on o.id = d.order_id
      where d.order_date = ${opts.today}::date and d.status = 'pending' and o.status = 'pending'
      order by d.id`),
  ).map((r) => r.id);
  // Phases share what is left after the warm-ups: as many as asked for, fewer when the day is short of deliveries.
  const perPhase = Math.min(opts.count, Math.floor((ids.length - 2 * opts.warmup) / (2 * opts.rounds)));
  if (perPhase < 100) throw new Error(`only ${ids.length} pending deliveries today: not enough to measure`);
  let next = 0;
  const take = (n: number) => ids.slice(next, (next += n));
  const spec = (id: string) => ({ method: 'POST' as const, path: `/api/deliveries/${id}/confirm`, body: {}, headers: { cookie: opts.cookie } });
  const ok = (a: { status: number }) => a.status === 200;
  const run = (client: Client, batch: string[], maxSeconds: number) =>
    closedLoop({ client, concurrency: opts.concurrency, maxRequests: batch.length, maxSeconds, next: (i) => (batch[i] ? spec(batch[i]) : null), ok });

  const sent: Record<Server, string[]> = { milkrun: [], bare: [] };
  for (const server of ['milkrun', 'bare'] as const) {
    const w = await run(opts.clients[server], take(opts.warmup), 60);
    opts.log(`    ${server.padEnd(7)} warm-up: ${w.ok} confirmed, ${w.per_second}/s${w.failed ? `; ${w.failed} failed: ${w.failures[0]}` : ''}`);
  }
  const phases: ConfirmPhase[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 ? (['bare', 'milkrun'] as const) : (['milkrun', 'bare'] as const);
    for (const server of order) {
      const batch = take(perPhase);
      const meter = cpuMeter(opts.pids[server], opts.database);
      const r = await run(opts.clients[server], batch, opts.seconds);
      const cpu = meter();
      sent[server].push(...batch.slice(0, r.requests));
      phases.push({ ...r, server, round, cpu });
      const per = (s: number) => ((s * 1000) / Math.max(1, r.requests)).toFixed(2);
      opts.log(
        `    ${server.padEnd(7)} round ${round + 1}: ${r.ok} confirmed, ${r.per_second}/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms; CPU per confirmation: server ${per(cpu.server_s)} ms, ` +
          `PostgreSQL ${per(cpu.postgres_s)} ms, load generator ${per(cpu.client_s)} ms${r.failed ? `; ${r.failed} failed: ${r.failures[0]}` : ''}`,
      );
    }
  }

  // What each server left: its deliveries confirmed, each item delivered and billed once.
  const inDb = async (server: Server) => {
    const list = `{${sent[server].join(',')}}`; // one array parameter (drizzle would expand a JS array into many)
    const [check] = rowsOf<{ confirmed: number; items: number; billed: number }>(
      await db.execute(sql`
        select (select count(*)::int from deliveries where id = any(${list}::uuid[]) and status = 'delivered') as confirmed,
               (select count(*)::int from delivery_items where delivery_id = any(${list}::uuid[])) as items,
               (select count(*)::int from billing_records b join delivery_items di on di.id = b.delivery_item_id where di.delivery_id = any(${list}::uuid[])) as billed`),
    );
    return { confirmed_in_db: check.confirmed, items_in_db: check.items, billed_in_db: check.billed };
  };
  const perRequest = (server: Server) => {
    const ps = phases.filter((p) => p.server === server);
    const n = Math.max(1, ps.reduce((s, p) => s + p.requests, 0));
    const ms = (k: keyof CpuSplit) => Math.round((ps.reduce((s, p) => s + p.cpu[k], 0) * 1e5) / n) / 100;
    return { server: ms('server_s'), postgres: ms('postgres_s'), client: ms('client_s') };
  };
  const milkrun = { ...combine(phases.filter((p) => p.server === 'milkrun')), ...(await inDb('milkrun')) };
  const bare = { ...combine(phases.filter((p) => p.server === 'bare')), ...(await inDb('bare')) };
  return {
    concurrency: opts.concurrency,
    milkrun,
    bare,
    phases,
    ratio: Math.round((milkrun.per_second / bare.per_second) * 100) / 100,
    cpu_ms_per_request: { milkrun: perRequest('milkrun'), bare: perRequest('bare') },
  };
}
