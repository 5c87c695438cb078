import { parseArgs } from 'node:util';

// `npm run smoke -- URL`: the post-deployment checks, through the API as a user (SMOKE_EMAIL, SMOKE_PASSWORD and,
// for a user with two-factor sign-in, SMOKE_TOTP: a current code). Health; every list's first page under 1 s (the
// lists are the GET routes of /api/openapi.json that answer a page with x-total-count); audit rows and billing records written in
// the last SMOKE_RECENT_HOURS (24); delivered one-time orders billed; data health clean (a fresh run).
// Prints one line per check; exit 0 when all pass, 1 when any fails, 2 when it could not log in.
const { positionals } = parseArgs({ allowPositionals: true });
const base = positionals[0];
const email = process.env.SMOKE_EMAIL;
const password = process.env.SMOKE_PASSWORD;
if (!base || !/^https?:\/\//.test(base) || !email || !password) {
  console.error('Usage: SMOKE_EMAIL=you@company.in SMOKE_PASSWORD=... npm run smoke -- https://milkrun.company.in');
  process.exit(2);
}
const LIST_LIMIT_MS = Number(process.env.SMOKE_LIST_LIMIT_MS ?? 1000);
const RECENT_HOURS = Number(process.env.SMOKE_RECENT_HOURS ?? 24);
const HEALTH_WAIT_MS = Number(process.env.SMOKE_HEALTH_WAIT_MS ?? 120_000);

const results: { ok: boolean; line: string }[] = [];
const report = (ok: boolean, line: string) => {
  results.push({ ok, line });
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${line}`);
};
let cookie = '';
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; ms: number; json: any; headers: Headers }> {
  const started = performance.now();
  const res = await fetch(new URL(path, base), {
    method,
    headers: { 'x-requested-with': 'XMLHttpRequest', ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, ms, json, headers: res.headers };
}

console.log(`Smoke check of ${base} as ${email}\n`);
const health = await call('GET', '/api/health').catch((err: unknown) => ({ status: 0, ms: 0, json: { message: String(err) }, headers: new Headers() }));
report(health.status === 200, `health: ${health.status} ${health.status === 200 ? '' : JSON.stringify(health.json).slice(0, 200)}`);
if (health.status !== 200) finish();

const login = await call('POST', '/api/auth/login', { email, password, ...(process.env.SMOKE_TOTP ? { totp: process.env.SMOKE_TOTP } : {}) });
const setCookie = login.headers.get('set-cookie');
if (login.status !== 200 || !setCookie) {
  report(false, `login: ${login.status} ${login.json?.message ?? ''}`);
  finish(2);
}
cookie = setCookie!.split(';')[0];
report(true, 'login');

// Every list the server documents (so a list added in this release is checked too).
const doc = await call('GET', '/api/openapi.json');
type Operation = { responses?: Record<string, { description?: string; headers?: Record<string, unknown> }> };
// A list answers a page of rows with the total in x-total-count (api/lib/http.ts documents each so).
const lists = Object.entries((doc.json?.paths ?? {}) as Record<string, { get?: Operation }>)
  .filter(([path, item]) => {
    const ok = item.get?.responses?.['200'];
    return !path.includes('{') && ok !== undefined && (ok.headers?.['x-total-count'] !== undefined || /x-total-count/i.test(ok.description ?? ''));
  })
  .map(([path]) => path)
  .sort();
const slow: string[] = [];
const broken: string[] = [];
let forbidden = 0;
/** Lists read only under a filter (order items by order_id) answer their first bare page with a 400 that says so. */
const needFilter: string[] = [];
let slowest = { path: '', ms: 0 };
for (const path of lists) {
  const r = await call('GET', `${path}?_start=0&_end=25`);
  if (r.status === 403) forbidden++;
  else if (r.status === 400 && /filter/i.test(r.json?.message ?? '')) needFilter.push(path);
  else if (r.status !== 200) broken.push(`${path} ${r.status} ${r.json?.message ?? ''}`.trim());
  else if (r.ms > LIST_LIMIT_MS) slow.push(`${path} ${Math.round(r.ms)} ms`);
  if (r.status === 200 && r.ms > slowest.ms) slowest = { path, ms: r.ms };
}
report(lists.length > 0 && !slow.length && !broken.length, `lists: ${lists.length - forbidden - needFilter.length - broken.length - slow.length} of ${lists.length} answered under ${LIST_LIMIT_MS} ms` +
  (forbidden ? ` (${forbidden} not allowed to this user)` : '') + (needFilter.length ? ` (${needFilter.join(', ')} only under a filter)` : '') + `; slowest ${slowest.path} ${Math.round(slowest.ms)} ms` +
  (slow.length ? `; SLOW: ${slow.join(', ')}` : '') + (broken.length ? `; BROKEN: ${broken.join('; ')}` : ''));

const since = new Date(Date.now() - RECENT_HOURS * 3600_000).toISOString();
for (const [label, path] of [['audit rows', '/api/audit-logs'], ['billing records', '/api/billing-records']] as const) {
  const r = await call('GET', `${path}?_start=0&_end=1&created_at_gte=${encodeURIComponent(since)}`);
  const n = r.status === 200 ? Number(r.headers.get('x-total-count') ?? (Array.isArray(r.json) ? r.json.length : 0)) : 0;
  report(r.status === 200 && n > 0, `${label} written in the last ${RECENT_HOURS} h: ${r.status === 200 ? n : `${r.status} ${r.json?.message ?? ''}`}`);
}

// The newest delivered one-time orders each have their billing record.
const oneTime = await call('GET', '/api/orders?_start=0&_end=10&kind=one_time&delivery_status=delivered&_sort=delivery_date&_order=desc');
if (oneTime.status !== 200) report(false, `one-time orders: ${oneTime.status} ${oneTime.json?.message ?? ''}`);
else {
  const unbilled: string[] = [];
  for (const order of oneTime.json as { id: string }[]) {
    const b = await call('GET', `/api/billing-records?_start=0&_end=1&order_id=${order.id}`);
    if (b.status !== 200 || !(b.json as unknown[]).length) unbilled.push(order.id);
  }
  const n = (oneTime.json as unknown[]).length;
  report(!unbilled.length, n ? `one-time orders billed: ${n - unbilled.length} of the ${n} newest delivered${unbilled.length ? `; UNBILLED: ${unbilled.join(', ')}` : ''}` : 'one-time orders billed: none delivered yet');
}

// Data health: a fresh run, waited for.
const asked = Date.now();
const run = await call('POST', '/api/data-health/run');
let status = run.json;
while (run.status === 202 && (status?.running || !status?.checked_at || Date.parse(status.checked_at) < asked - 1000) && Date.now() - asked < HEALTH_WAIT_MS) {
  await new Promise((r) => setTimeout(r, 1000));
  status = (await call('GET', '/api/data-health')).json;
}
if (run.status !== 202) report(false, `data health: ${run.status} ${run.json?.message ?? ''}`);
else if (status?.ok === true) report(true, `data health: ${status.checks.length} checks clean (${status.took_ms} ms)`);
else {
  const failing = ((status?.checks ?? []) as { label: string; count: number }[]).filter((c) => c.count > 0);
  report(false, `data health: ${status?.error ?? (status?.running ? `still running after ${HEALTH_WAIT_MS} ms` : `${failing.length} check(s) found broken rows`)}`);
  for (const c of failing) console.log(`        ${c.count} x ${c.label}`);
}
finish();

function finish(code?: number): never {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${failed ? `SMOKE FAILED: ${failed} of ${results.length} checks` : `Smoke passed: ${results.length} checks`}`);
  process.exit(code ?? (failed ? 1 : 0));
}
