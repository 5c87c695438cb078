/**
 * BENCH_DATABASE_URL=postgres://.../milkrun_bench_<yours> npx tsx tests/bench/profile.ts [--only f,b] [--seconds 10]
 *   [--rounds 2] [--base DIR] [--prof] [--top 40]
 *
 * Where the API process's CPU goes on b's and f's requests (tests/bench/run.ts): the real server (api/server.ts, as
 * run.ts starts it) in a child process, f's narrow list and b's confirmations at 16 clients, with the CPU the server
 * spent per request (from /proc) for each phase. On a shared machine that figure moves with the load, so to compare a
 * change give --base, another checkout of the code (e.g. `git archive main | tar -x -C /tmp/base` with node_modules
 * linked): both servers run side by side and their phases alternate (this, base, base, this ...), as run.ts alternates
 * Milkrun and the bare server. With --prof this checkout's server runs under V8's sampling profiler (node --cpu-prof;
 * it slows the process, so compare CPU only between runs alike) and the top functions by self time are printed, with
 * the share of each package (hono, drizzle-orm, postgres, zod ...) and of our own code.
 *
 * Needs a prepared bench database of its own: BENCH_DATABASE_URL (never the default milkrun_bench) whose saved copy
 * `<name>_seeded` exists (`run.ts --quick --reuse --only prep`); the copy is copied afresh into `<name>` on each run
 * (b confirms today's deliveries).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { addDays, monthBounds, todayIST } from '../../api/lib/dates.js';
import { rowsOf } from '../../api/lib/sql.js';
import { DEMO_PASSWORD, ensureDemoUsers } from '../../seeds/users.js';
import { cpuMeter } from './cpu.js';
import { benchUrl, databaseComment, dbName, DEFAULT_BENCH_URL, recreateDatabase } from './db.js';
import { benchServerEnv, Client, closedLoop, freePort, loginCookie, startChild, type ChildServer, type RequestSpec } from './http.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'f,b' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    base: { type: 'string' },
    prof: { type: 'boolean', default: false },
    top: { type: 'string', default: '40' },
  },
});
const only = new Set((args.only ?? '').split(','));
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);
const CONCURRENCY = 16;
// Never the default database (it may hold someone's long preparation): the URL must be given, and its saved copy must
// exist before anything is dropped.
if (!process.env.BENCH_DATABASE_URL) throw new Error('Set BENCH_DATABASE_URL to your own bench database (its <name>_seeded copy is copied into it).');
const url = benchUrl(process.env.BENCH_DATABASE_URL);
if (dbName(url) === dbName(new URL(DEFAULT_BENCH_URL))) throw new Error(`Refusing ${DEFAULT_BENCH_URL}: give profile.ts a database of its own.`);
const resultsDir = join(import.meta.dirname, 'results');
const profDir = join(resultsDir, `profile-${process.pid}`);

if ((await databaseComment(url, `${dbName(url)}_seeded`)) === null) throw new Error(`No ${dbName(url)}_seeded: prepare it first (run.ts --quick --reuse --only prep).`);
await recreateDatabase(url, { template: `${dbName(url)}_seeded` });
const database = await openDatabase({ url: url.toString(), max: 2 });
await database.migrate();
await ensureDemoUsers(database.db);
const today = todayIST();
const month = addDays(monthBounds(today.slice(0, 7)).start, -1).slice(0, 7);
const narrowDay = monthBounds(month).end;
const statuses = rowsOf<{ status: string; n: number }>(
  await database.db.execute(sql`select status::text, count(*)::int as n from orders where delivery_date = ${narrowDay}::date group by 1 order by 2 desc`),
);
const narrow = statuses.find((r) => r.n <= 5000) ?? statuses[statuses.length - 1];
const NARROW_PATH = `/api/orders?_start=0&_end=25&_sort=delivery_date&_order=desc&status=${narrow.status}&delivery_date=${narrowDay}`;
const pending = rowsOf<{ id: string }>(
  await database.db.execute(sql`select d.id from deliveries d join orders o on o.id = d.order_id
                                where d.order_date = ${today}::date and d.status = 'pending' and o.status = 'pending' order by d.id`),
).map((r) => r.id);
await database.close();

interface Server {
  name: string;
  child: ChildServer;
  client: Client;
  cookie: string;
}
async function start(name: string, cwd: string | undefined, prof: boolean): Promise<Server> {
  const port = await freePort();
  const child = await startChild({
    script: 'api/server.ts',
    cwd,
    nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
    env: benchServerEnv(url.toString(), port),
    port,
    readyPath: '/api/health',
    logFile: join(resultsDir, `profile-${process.pid}-${name}.log`),
  });
  const client = new Client(child.url, CONCURRENCY);
  return { name, child, client, cookie: await loginCookie(client, 'manager@milkrun.test', DEMO_PASSWORD) };
}

const servers: Server[] = [await start('this', undefined, args.prof ?? false)];
if (args.base) servers.push(await start('base', resolve(args.base), false));
// The measured phases of this checkout's server, in the monotonic clock V8's profile uses (µs): only their samples count.
const windows: [number, number][] = [];
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const totals = new Map<string, { requests: number; server_s: number; postgres_s: number; ok: number; seconds: number }>();

async function phase(bench: string, s: Server, next: (i: number) => RequestSpec | null, measured: number, warm: number) {
  const ok = (a: { status: number }) => a.status === 200;
  if (warm > 0) await closedLoop({ client: s.client, concurrency: CONCURRENCY, maxRequests: warm, maxSeconds: 5, next, ok });
  const meter = cpuMeter(s.child.pid, dbName(url));
  const from = monotonicUs();
  const r = await closedLoop({ client: s.client, concurrency: CONCURRENCY, maxRequests: measured, maxSeconds: seconds, next: (i) => next(i + warm), ok });
  const cpu = meter();
  if (s.name === 'this') windows.push([from, monotonicUs()]);
  const key = `${bench} ${s.name}`;
  const t = totals.get(key) ?? { requests: 0, server_s: 0, postgres_s: 0, ok: 0, seconds: 0 };
  totals.set(key, { requests: t.requests + r.requests, server_s: t.server_s + cpu.server_s, postgres_s: t.postgres_s + cpu.postgres_s, ok: t.ok + r.ok, seconds: t.seconds + r.seconds });
  const per = (x: number) => ((x * 1000) / Math.max(1, r.requests)).toFixed(3);
  console.log(
    `  ${key.padEnd(7)}: ${r.ok} ok, ${r.failed} failed, ${r.per_second}/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms; CPU per request: server ${per(cpu.server_s)} ms, ` +
      `PostgreSQL ${per(cpu.postgres_s)} ms, load generator ${per(cpu.client_s)} ms${r.failed ? `; ${r.failures[0]}` : ''}`,
  );
}

try {
  console.log(`servers: ${servers.map((s) => `${s.name} pid ${s.child.pid}`).join(', ')}`);
  console.log(`${dbName(url)}: f = ${NARROW_PATH} (${narrow.n} rows); b = ${pending.length} pending deliveries; ${rounds} rounds of ${seconds} s${args.prof ? ', profiled' : ''}`);
  const order = (round: number) => (round % 2 ? [...servers].reverse() : servers);
  if (only.has('f')) {
    for (let round = 0; round < rounds; round++) {
      for (const s of order(round)) await phase('f', s, () => ({ method: 'GET', path: NARROW_PATH, headers: { cookie: s.cookie } }), 1_000_000, 1_000_000);
    }
  }
  if (only.has('b')) {
    // Each phase its own slice of today's pending deliveries (a warm-up, then the measured part).
    const share = Math.floor(pending.length / (rounds * servers.length));
    let slice = 0;
    for (let round = 0; round < rounds; round++) {
      for (const s of order(round)) {
        const ids = pending.slice(slice * share, (slice += 1) * share);
        const spec = (i: number): RequestSpec | null => (ids[i] ? { method: 'POST', path: `/api/deliveries/${ids[i]}/confirm`, body: {}, headers: { cookie: s.cookie } } : null);
        const warm = Math.floor(ids.length / 5);
        await phase('b', s, spec, ids.length - warm, warm);
      }
    }
  }
} finally {
  for (const s of servers) {
    s.client.close();
    await s.child.stop();
  }
}
console.log('CPU per request over all phases (server, PostgreSQL):');
for (const [key, t] of totals) {
  console.log(`  ${key.padEnd(7)}: ${((t.server_s * 1000) / t.requests).toFixed(3)} ms, ${((t.postgres_s * 1000) / t.requests).toFixed(3)} ms (${t.requests} requests, ${(t.ok / t.seconds).toFixed(1)}/s)`);
}

if (args.prof) {
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile in ${profDir}`);
  summarise(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile, Number(args.top), windows);
  rmSync(profDir, { recursive: true, force: true });
}

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function and by package, and time under each package's frames, over the samples in the windows, not idle. */
function summarise(profile: Profile, top: number, windows: [number, number][]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (windows.some(([a, b]) => at >= a && at <= b)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const pkgOf = (u: string, fn: string) => {
    if (!u) return fn.startsWith('(') ? fn : '(native)';
    if (u.startsWith('node:')) return 'node';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    if (m) return m[1];
    const ours = /\/work\/[^/]+(?:\/[^/]+)?\/((?:api|db|shared)\/[^/]+(?:\/[^/]+)?)/.exec(u);
    return ours ? ours[1] : u;
  };
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const under = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url: u, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const key = `${functionName || '(anonymous)'} ${u.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/[^/]+\/[^/]+\//, '')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = pkgOf(u, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    // Inclusive: every package on the stack of this sample, once.
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      seen.add(pkgOf(f.url, f.functionName));
    }
    for (const p of seen) under.set(p, (under.get(p) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  console.log(`\nbusy ${(busy / 1e6).toFixed(2)} s sampled (idle left out).\nBy package, self time | time with the package on the stack:`);
  for (const [k, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(us)} | ${pct(under.get(k) ?? 0)}  ${k}`);
  console.log(`Top ${top} functions by self time:`);
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
}
