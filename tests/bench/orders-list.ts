import { cpuMeter, type CpuSplit } from './cpu.js';
import { closedLoop, type Client, type LoadResult } from './http.js';

export const ORDERS_PATH = '/api/orders?_start=0&_end=25&_sort=delivery_date&_order=desc&status=pending';

export interface ListPhase extends LoadResult {
  server: 'milkrun' | 'bare';
  round: number;
  cpu: CpuSplit;
}

export interface ListResult {
  path: string;
  concurrency: number;
  milkrun: LoadResult;
  bare: LoadResult;
  phases: ListPhase[];
  ratio: number;
  /** CPU milliseconds per request over all measured phases of each server: its own process, PostgreSQL, the load generator. */
  cpu_ms_per_request: Record<'milkrun' | 'bare', { server: number; postgres: number; client: number }>;
}

/** Sums phases of one server into one result: requests over total time, percentiles of the worst phase (conservative). */
export function combine(phases: LoadResult[]): LoadResult {
  const ok = phases.reduce((s, p) => s + p.ok, 0);
  const seconds = phases.reduce((s, p) => s + p.seconds, 0);
  const worst = (k: 'p50_ms' | 'p90_ms' | 'p99_ms' | 'max_ms') => Math.max(...phases.map((p) => p[k]));
  return {
    requests: phases.reduce((s, p) => s + p.requests, 0),
    ok,
    failed: phases.reduce((s, p) => s + p.failed, 0),
    seconds: Math.round(seconds * 100) / 100,
    per_second: Math.round((ok / seconds) * 10) / 10,
    p50_ms: worst('p50_ms'),
    p90_ms: worst('p90_ms'),
    p99_ms: worst('p99_ms'),
    max_ms: worst('max_ms'),
    failures: phases.flatMap((p) => p.failures).slice(0, 5),
  };
}

/**
 * One list page with x-total-count (`path`: by default the first page of pending orders by date), `concurrency` closed
 * loops, against Milkrun and against the bare server (each with the session cookie), alternating rounds (milkrun, bare,
 * bare, milkrun ...) so a change in the machine's load hits both alike. Each phase: a short warm-up, then `seconds`
 * of measurement.
 */
export async function benchOrdersList(opts: {
  path?: string;
  milkrun: Client;
  bare: Client;
  pids: { milkrun: number; bare: number };
  /** PostgreSQL's CPU counts only this database's backends (others' work on a shared machine left out). */
  database?: string;
  cookie: string;
  concurrency: number;
  seconds: number;
  rounds: number;
  log: (l: string) => void;
}): Promise<ListResult> {
  const ok = (a: { status: number; headers: Record<string, unknown> }) => a.status === 200 && a.headers['x-total-count'] !== undefined;
  const path = opts.path ?? ORDERS_PATH;
  const phases: ListPhase[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 ? (['bare', 'milkrun'] as const) : (['milkrun', 'bare'] as const);
    for (const server of order) {
      const client = server === 'milkrun' ? opts.milkrun : opts.bare;
      // Both check the session: the bare server runs Milkrun's session lookup before the page and count.
      const headers = { cookie: opts.cookie };
      const next = () => ({ method: 'GET' as const, path, headers });
      await closedLoop({ client, concurrency: opts.concurrency, maxRequests: 1_000_000, maxSeconds: Math.min(3, opts.seconds / 3), next, ok });
      const meter = cpuMeter(opts.pids[server], opts.database);
      const r = await closedLoop({ client, concurrency: opts.concurrency, maxRequests: 1_000_000, maxSeconds: opts.seconds, next, ok });
      const cpu = meter();
      phases.push({ ...r, server, round, cpu });
      const per = (s: number) => ((s * 1000) / Math.max(1, r.requests)).toFixed(2);
      opts.log(
        `    ${server.padEnd(7)} round ${round + 1}: ${r.per_second}/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms; CPU per request: server ${per(cpu.server_s)} ms, ` +
          `PostgreSQL ${per(cpu.postgres_s)} ms, load generator ${per(cpu.client_s)} ms${r.failed ? `; ${r.failed} failed: ${r.failures[0]}` : ''}`,
      );
    }
  }
  const milkrun = combine(phases.filter((p) => p.server === 'milkrun'));
  const bare = combine(phases.filter((p) => p.server === 'bare'));
  const perRequest = (server: 'milkrun' | 'bare') => {
    const ps = phases.filter((p) => p.server === server);
    const n = Math.max(1, ps.reduce((s, p) => s + p.requests, 0));
    const ms = (k: keyof CpuSplit) => Math.round((ps.reduce((s, p) => s + p.cpu[k], 0) * 1e5) / n) / 100;
    return { server: ms('server_s'), postgres: ms('postgres_s'), client: ms('client_s') };
  };
  return { path, concurrency: opts.concurrency, milkrun, bare, phases, cpu_ms_per_request: { milkrun: perRequest('milkrun'), bare: perRequest('bare') }, ratio: Math.round((milkrun.per_second / bare.per_second) * 100) / 100 };
}
