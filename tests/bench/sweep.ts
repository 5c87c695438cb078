import { addDays, todayIST } from '../../api/lib/dates.js';
import type { ListSpec } from '../../api/lib/rest.js';
import { chartNames } from '../../api/modules/analytics/analytics.service.js';
import { closedLoop, percentile, type Client, type HttpAnswer, type LoadResult } from './http.js';

/**
 * e. The sweep of issue 10: every list endpoint with its first page, each sortable column both ways, each filter with a
 * typical value (taken from the first page), `q` with a common word, a rare one (two words) and a phone number where
 * the list has customers, and the last page the admin lets a user reach; plus the dashboard, data health and the
 * analytics charts (the last 30 days, every zone and one). Each
 * row is the median of `runs` single-client requests; then all rows mixed at `concurrency` clients.
 */

export interface SweepRow {
  path: string;
  status: number;
  median_ms: number;
  runs_ms: number[];
  /** x-total-count, with "~" in front when the API marked it as an estimate. */
  total: string;
  note?: string;
}

export interface SweepResult {
  rows: SweepRow[];
  mixed: LoadResult & { concurrency: number; statuses: Record<string, number> };
}

const PAGE = 25;
/** The sweep waits this long for an answer (past the API's 5 s statement timeout). */
const GIVE_UP_MS = 8000;
// Words people type: a common surname, a rare first and last name (two words), and what the issue measured.
const customerWords = ['kumar', 'farah khan', 'ravi'];
const searchWords: Record<string, string[]> = {
  '/api/customers': [...customerWords, 'ra'],
  '/api/orders': customerWords,
  '/api/deliveries': [...customerWords, '560038'],
  '/api/billing-records': [...customerWords, 'ghee'],
  '/api/subscriptions': [...customerWords, 'milk'],
  '/api/invoices': customerWords,
  '/api/refunds': customerWords,
  '/api/credit-notes': [...customerWords, '000001'],
  '/api/addresses': ['main', 'temple street'],
  '/api/products': ['milk', 'ghee'],
  '/api/staff': ['kumar', 'ravi kumar'],
  '/api/audit-logs': ['orders', 'create'],
  '/api/disputes': [...customerWords, 'milk'],
  '/api/gateway-payments': [...customerWords, 'pay_b'],
  '/api/settlements': ['csv'],
  '/api/settlements/lines': ['utr', 'pay_b'],
  '/api/settlements/exceptions': ['settled', 'captured'],
  '/api/earnings': ['bonus', 'advance'],
};
// Lists whose rows have a customer: searched by a phone number too, in the forms people type it.
const phoneLists = new Set(['/api/customers', '/api/orders', '/api/deliveries', '/api/billing-records', '/api/subscriptions', '/api/disputes']);

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchSweep(opts: {
  client: Client;
  cookie: string;
  specs: Map<string, ListSpec>;
  /** The deepest row the admin lets a user page to (null: the last page by x-total-count). */
  maxStart: number | null;
  phone: string;
  runs: number;
  /** A request slower than this is not repeated (the "before" figures would take hours otherwise). */
  slowMs: number;
  concurrency: number;
  mixedSeconds: number;
  log: (l: string) => void;
}): Promise<SweepResult> {
  const headers = { cookie: opts.cookie };
  // A request the client gives up on counts as status 0 at the time it took (the "before" figures have many).
  const get = async (path: string): Promise<{ answer: HttpAnswer; ms: number }> => {
    const t0 = performance.now();
    try {
      const answer = await opts.client.request({ method: 'GET', path, headers, timeoutMs: GIVE_UP_MS });
      return { answer, ms: performance.now() - t0 };
    } catch (err) {
      return { answer: { status: 0, headers: {}, body: JSON.stringify({ message: `no answer: ${String(err).slice(0, 100)}` }) }, ms: performance.now() - t0 };
    }
  };
  const totalOf = (a: HttpAnswer) => {
    const t = a.headers['x-total-count'];
    if (t === undefined) return '';
    return a.headers['x-total-count-estimated'] === 'true' ? `~${t}` : String(t);
  };

  // The requests: built from each list's first page (typical filter values, the total for the last page).
  const paths: string[] = ['/api/dashboard', '/api/data-health'];
  // The analytics charts over the last 30 days, every zone and one (the first zone of the zones list).
  const range = `from=${addDays(todayIST(), -29)}&to=${todayIST()}`;
  const zones = await get('/api/zones?_start=0&_end=1');
  const zoneId = zones.answer.status === 200 ? (JSON.parse(zones.answer.body) as { id: string }[])[0]?.id : undefined;
  for (const name of chartNames) {
    paths.push(`/api/analytics/${name}?${range}`);
    if (zoneId) paths.push(`/api/analytics/${name}?${range}&zone_id=${zoneId}`);
  }
  for (const [base, spec] of opts.specs) {
    const first = await get(`${base}?_start=0&_end=${PAGE}`);
    paths.push(`${base}?_start=0&_end=${PAGE}`);
    if (first.answer.status !== 200) {
      opts.log(`    ${base}: first page answered ${first.answer.status}; only that row`);
      continue;
    }
    const rows = JSON.parse(first.answer.body) as Record<string, unknown>[];
    for (const [name, field] of Object.entries(spec.fields)) {
      if (field.sortable) for (const order of ['asc', 'desc']) paths.push(`${base}?_start=0&_end=${PAGE}&_sort=${name}&_order=${order}`);
    }
    for (const [name, field] of Object.entries(spec.fields)) {
      if (field.filterable === false || name === 'id') continue;
      const sample = [rows[Math.floor(rows.length / 2)], ...rows].find((r) => r && r[name] !== null && r[name] !== undefined && r[name] !== '');
      if (!sample) continue;
      const raw = sample[name];
      const value = field.type === 'date' ? String(raw).slice(0, 10) : String(raw);
      // A timestamp equal to one row's is not how anyone filters: from that moment on is.
      const key = field.type === 'timestamp' ? `${name}_gte` : name;
      paths.push(`${base}?_start=0&_end=${PAGE}&${key}=${encodeURIComponent(value)}`);
    }
    if (spec.search?.length) {
      const words = [...(searchWords[base] ?? ['ra'])];
      if (phoneLists.has(base)) words.push(opts.phone.slice(3, 8), `+91 ${opts.phone.slice(3, 8)} ${opts.phone.slice(8)}`, `0${opts.phone.slice(3)}`);
      for (const w of words) paths.push(`${base}?_start=0&_end=${PAGE}&q=${encodeURIComponent(w)}`);
    }
    const total = Number(first.answer.headers['x-total-count'] ?? 0);
    const reachable = opts.maxStart === null ? total : Math.min(total, opts.maxStart + PAGE);
    const lastStart = Math.max(0, Math.floor((reachable - 1) / PAGE) * PAGE);
    if (lastStart > 0) paths.push(`${base}?_start=${lastStart}&_end=${lastStart + PAGE}`);
  }
  opts.log(`    ${paths.length} requests, ${opts.runs} runs each (one run when slower than ${opts.slowMs} ms)`);

  const rows: SweepRow[] = [];
  for (const path of paths) {
    const runs: number[] = [];
    let last: HttpAnswer | undefined;
    for (let i = 0; i < opts.runs; i++) {
      const { answer, ms } = await get(path);
      runs.push(round(ms));
      last = answer;
      if (ms > opts.slowMs) break;
    }
    const row: SweepRow = { path, status: last!.status, median_ms: round(median(runs)), runs_ms: runs, total: totalOf(last!) };
    if (last!.status !== 200) row.note = (JSON.parse(last!.body || '{}') as { message?: string }).message?.slice(0, 160);
    rows.push(row);
  }
  rows.sort((a, b) => b.median_ms - a.median_ms);

  // Mixed: every row's request in a shuffled round robin, `concurrency` clients at once.
  const mixedPaths = paths.filter((p) => !opts.slowMs || (rows.find((r) => r.path === p)?.median_ms ?? 0) <= opts.slowMs);
  const statuses: Record<string, number> = {};
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const mixed = await closedLoop({
    client: opts.client,
    concurrency: opts.concurrency,
    maxRequests: 1_000_000,
    maxSeconds: opts.mixedSeconds,
    next: () => ({ method: 'GET', path: mixedPaths[Math.floor(rnd() * mixedPaths.length)], headers, timeoutMs: GIVE_UP_MS }),
    ok: (a) => {
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      return a.status === 200 || a.status === 400;
    },
  });
  return { rows, mixed: { ...mixed, concurrency: opts.concurrency, statuses } };
}

/** The table, slowest first: median, status, total, the request (and the refusal's message). */
export function sweepTable(result: SweepResult, targetMs: (path: string) => number): string[] {
  const lines = [`| ms (median) | status | x-total-count | request | target |`, `| ---: | --- | ---: | --- | --- |`];
  for (const r of result.rows) {
    const target = targetMs(r.path);
    lines.push(`| ${r.median_ms} | ${r.status} | ${r.total} | \`GET ${r.path}\`${r.note ? ` (${r.note})` : ''} | ${r.median_ms < target ? 'pass' : 'FAIL'} (< ${target}) |`);
  }
  return lines;
}
