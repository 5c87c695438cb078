import { readFileSync } from 'node:fs';
import http from 'node:http';
import postgres from 'postgres';

/**
 * x. CSV export of every order line of the business (the month's 1.5 million at 50,000 customers) over HTTP:
 * GET /api/order-items/export?format=csv read to its end by a streaming client, against PostgreSQL's own
 * `COPY (the same rows: the line, its product's name, its amount) TO STDOUT` read by the same client process.
 * Meanwhile the API process's resident memory is sampled every 100 ms.
 * Targets: at least 0.5x COPY's rows per second; the API's memory grows by less than 100 MB during the export.
 */
export interface ExportResult {
  rows: number;
  api: { seconds: number; rows_per_second: number; mb: number; rss_before_mb: number; rss_peak_mb: number; rss_growth_mb: number };
  copy: { seconds: number; rows_per_second: number; mb: number };
  ratio: number;
}

const COPY_SQL = `copy (
  select oi.*, (select p.name from products p where p.id = oi.product_id) as product_name, oi.quantity * oi.unit_price_paise as amount_paise
  from order_items oi order by oi.id
) to stdout with (format csv, header)`;

/** Resident memory of a process in MB, from /proc. */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Counts the lines and bytes of a streamed body without keeping it. */
function countLines(chunk: Buffer, state: { lines: number; bytes: number }) {
  state.bytes += chunk.length;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) state.lines++;
}

export async function benchExport(opts: { url: URL; databaseUrl: string; cookie: string; pid: number; log: (l: string) => void }): Promise<ExportResult> {
  // The API's export, streamed to its end.
  const rssBefore = rssMb(opts.pid);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(opts.pid))), 100);
  const api = { lines: 0, bytes: 0 };
  const apiStart = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(new URL('/api/order-items/export?format=csv&_sort=id&_order=asc', opts.url), { headers: { cookie: opts.cookie } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', (c: Buffer) => countLines(c, api));
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  } finally {
    clearInterval(sampler);
  }
  const apiSeconds = (performance.now() - apiStart) / 1000;

  // COPY of the same rows, read by this process as a stream.
  const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
  const copy = { lines: 0, bytes: 0 };
  const copyStart = performance.now();
  try {
    const stream = await sql.unsafe(COPY_SQL).readable();
    for await (const chunk of stream) countLines(chunk as Buffer, copy);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const copySeconds = (performance.now() - copyStart) / 1000;

  // Header lines aside, both count the order lines (no name in the demo data holds a line break).
  const rows = api.lines - 1;
  if (copy.lines - 1 !== rows) opts.log(`    note: the export gave ${rows} rows, COPY ${copy.lines - 1}`);
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  const apiRate = rows / apiSeconds;
  const copyRate = (copy.lines - 1) / copySeconds;
  const result: ExportResult = {
    rows,
    api: { seconds: round(apiSeconds, 2), rows_per_second: Math.round(apiRate), mb: round(api.bytes / 2 ** 20), rss_before_mb: round(rssBefore), rss_peak_mb: round(peak), rss_growth_mb: round(peak - rssBefore) },
    copy: { seconds: round(copySeconds, 2), rows_per_second: Math.round(copyRate), mb: round(copy.bytes / 2 ** 20) },
    ratio: round(apiRate / copyRate, 2),
  };
  opts.log(`    export ${rows} rows in ${result.api.seconds} s (${result.api.rows_per_second}/s, ${result.api.mb} MB), API memory +${result.api.rss_growth_mb} MB (peak ${result.api.rss_peak_mb} MB)`);
  opts.log(`    COPY   ${copy.lines - 1} rows in ${result.copy.seconds} s (${result.copy.rows_per_second}/s, ${result.copy.mb} MB): ratio ${result.ratio}x`);
  return result;
}
