import { Writable } from 'node:stream';
import { once } from 'node:events';
import { createRoute, z } from '@hono/zod-openapi';
import { and, inArray, sql, type SQLWrapper } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { stream } from 'hono/streaming';
import { paiseToRupees } from '../../shared/money.js';
import { audit } from './audit.js';
import { transaction, type Ctx } from './context.js';
import { selectionOf, zoneFilter, type Resource, type Row } from './crud.js';
import { assertCan } from './access.js';
import { todayIST } from './dates.js';
import { badRequest } from './errors.js';
import { allowed, permit, type Router } from './http.js';
import { anyOf, parseListQuery, type ListQuery, type ListSpec } from './rest.js';
import { shown } from './input.js';
import { rowsOf } from './sql.js';
import { csvLines, NAMES } from './csv-sql.js';
import { copyLines } from './copy-out.js';

/**
 * Where a list's rows come from, split as the list reads a page: its ids in the list's order (the export's cursor
 * runs over this query, so it is never held in memory), then one batch of those rows as the list shows them.
 */
export interface ListSource {
  ids: (ctx: Ctx, query: ListQuery) => SQLWrapper;
  rows: (ctx: Ctx, ids: string[], query: ListQuery) => Promise<Row[]>;
  /**
   * Every row of the list in its order as one query, with the columns `rows` gives (when `rows` changes nothing in
   * JavaScript): a CSV export reads it as lines the database formats (csv-sql.ts) instead of ids, then rows, per batch.
   */
  all?: (ctx: Ctx, query: ListQuery) => SQLWrapper;
}

/** The source of a plain resource list (what listRows reads, with the same zone limit). */
export const resourceSource = (resource: Resource): ListSource => ({
  ids: (ctx, q) =>
    ctx.db
      .select({ id: resource.table.id })
      .from(resource.table as never)
      .where(and(q.where, zoneFilter(ctx, resource)))
      .orderBy(...q.orderBy),
  rows: async (ctx, ids, q) =>
    (await ctx.db
      .select(selectionOf(resource) as never)
      .from(resource.table as never)
      .where(inArray(resource.table.id, ids))
      .orderBy(...q.orderBy)) as Row[],
  all: (ctx, q) =>
    ctx.db
      .select(selectionOf(resource) as never)
      .from(resource.table as never)
      .where(and(q.where, zoneFilter(ctx, resource)))
      .orderBy(...q.orderBy),
});

export const exportFormats = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];
/**
 * Rows read per FETCH from the cursor: one round trip and one write per batch, memory bounded by it (tests lower it);
 * `lines`: CSV lines per FETCH when the database formats them (a line is one string: bigger batches, fewer trips), and
 * at most that many per write when they come through COPY (PostgreSQL; else 64 KB a write).
 * sqlCsv: false formats every CSV in JavaScript (tests compare the two).
 * timeLimitMs: how long one export may take before it is cut off (EXPORT_TIME_LIMIT_MS, set by api/server.ts). A client
 * that stops reading holds back every write, and with it the export's transaction and its database connection (on
 * PGlite, the only one: every other request waits): past the limit the download is broken off, the transaction ends
 * and the connection goes back.
 */
export const exportTuning = { batch: 1000, lines: 10_000, sqlCsv: true, timeLimitMs: 10 * 60_000 };

/**
 * Readable names next to the ids a row carries (customer, zone, product, staff, user, csv-sql.ts's NAMES): looked up
 * once per batch, only when the list does not already show the name.
 */
async function addNames(ctx: Ctx, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  for (const n of NAMES) {
    if (!(n.id in rows[0]) || n.name in rows[0]) continue;
    const ids = [...new Set(rows.map((r) => r[n.id]).filter((v): v is string => typeof v === 'string'))];
    const found = ids.length
      ? rowsOf<{ id: string; name: string }>(await ctx.db.execute(sql`select id, name from ${sql.identifier(n.table)} where ${anyOf(sql`id`, ids)}`))
      : [];
    const byId = new Map(found.map((f) => [f.id, f.name]));
    for (const r of rows) r[n.name] = typeof r[n.id] === 'string' ? (byId.get(r[n.id] as string) ?? null) : null;
  }
}

// ---- values ----------------------------------------------------------------------------------------------------

const IST_MS = 330 * 60_000;
const instantRe = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const dayRe = /^\d{4}-\d{2}-\d{2}$/;
const isMoney = (key: string) => key.endsWith('_paise');

/** An instant as IST wall-clock time, as a Date whose UTC fields read IST (Excel cells have no time zone). */
const istWall = (d: Date) => new Date(d.getTime() + IST_MS);
const asInstant = (v: unknown): Date | null => (v instanceof Date ? v : typeof v === 'string' && instantRe.test(v) ? new Date(v) : null);
/** "2026-11-05 07:30:00" in IST. */
const istText = (d: Date) => istWall(d).toISOString().slice(0, 19).replace('T', ' ');
/** ISO 8601 with the +05:30 offset: the same instant as the list's UTC one, read in IST. */
const istIso = (d: Date) => `${istWall(d).toISOString().slice(0, 23)}+05:30`;

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading ' (CSV injection). */
export const neutralise = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function csvCell(key: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (isMoney(key) && typeof v === 'number') return paiseToRupees(v);
  const instant = asInstant(v);
  if (instant) return istText(instant);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // Text from the data (names, notes, JSON of audit rows) is what could carry a formula.
  const text = neutralise(typeof v === 'string' ? v : JSON.stringify(v));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(v: unknown): unknown {
  const instant = asInstant(v);
  return instant ? istIso(instant) : v;
}

const header = (key: string) => (isMoney(key) ? `${key.slice(0, -'_paise'.length)}_rupees` : key);

// ---- writers ---------------------------------------------------------------------------------------------------

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface Writer {
  /** Writes a batch (the first call also fixes the columns from its first row). */
  rows(rows: Row[]): Promise<void>;
  end(): Promise<void>;
}

type Sink = (chunk: string | Uint8Array) => Promise<unknown>;

/** The BOM makes Excel read UTF-8 (names in Kannada and Hindi); RFC 4180 lines end in CRLF. */
const csvHead = (columns: string[]) => `\uFEFF${columns.map((c) => csvCell('', header(c))).join(',')}\r\n`;

function csvWriter(write: Sink, fallbackColumns: string[]): Writer {
  let columns: string[] | null = null;
  const start = async (cols: string[]) => {
    columns = cols;
    await write(csvHead(cols));
  };
  return {
    async rows(rows) {
      if (!columns) await start(Object.keys(rows[0]));
      await write(rows.map((r) => columns!.map((c) => csvCell(c, r[c])).join(',') + '\r\n').join(''));
    },
    async end() {
      if (!columns) await start(fallbackColumns);
    },
  };
}

function jsonWriter(write: Sink): Writer {
  let first = true;
  return {
    async rows(rows) {
      const text = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)])))).join(',\n');
      await write(`${first ? '[\n' : ',\n'}${text}`);
      first = false;
    },
    async end() {
      await write(first ? '[]\n' : '\n]\n');
    },
  };
}

function xlsxWriter(write: Sink, sheetName: string, fallbackColumns: string[]): Writer {
  // exceljs writes its zip to a Node stream; each chunk goes on to the response, and a slow client holds the zip back.
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      write(new Uint8Array(chunk)).then(() => done(), done);
    },
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  let columns: string[] | null = null;
  const kinds = new Map<string, 'money' | 'instant' | 'day'>();
  const start = (cols: string[], sample: Row | null) => {
    columns = cols;
    for (const c of cols) {
      const v = sample?.[c];
      if (isMoney(c)) kinds.set(c, 'money');
      else if (asInstant(v)) kinds.set(c, 'instant');
      else if (typeof v === 'string' && dayRe.test(v)) kinds.set(c, 'day');
    }
    const fmt = { money: '#,##0.00', instant: 'yyyy-mm-dd hh:mm:ss', day: 'yyyy-mm-dd' };
    sheet.columns = cols.map((c) => ({ header: header(c), key: c, width: Math.min(40, Math.max(12, header(c).length + 2)), style: kinds.has(c) ? { numFmt: fmt[kinds.get(c)!] } : {} }));
    sheet.getRow(1).font = { bold: true };
  };
  const cell = (c: string, v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    const kind = kinds.get(c);
    if (kind === 'money' && typeof v === 'number') return v / 100;
    const instant = asInstant(v);
    if (instant) return istWall(instant);
    if (kind === 'day' && typeof v === 'string' && dayRe.test(v)) return new Date(`${v}T00:00:00Z`);
    if (typeof v === 'object') return JSON.stringify(v);
    return v;
  };
  return {
    async rows(rows) {
      if (!columns) start(Object.keys(rows[0]), rows[0]);
      for (const r of rows) sheet.addRow(columns!.map((c) => cell(c, r[c]))).commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      if (!columns) start(fallbackColumns, null);
      sheet.commit();
      await book.commit();
    },
  };
}

// ---- the route ---------------------------------------------------------------------------------------------------

export interface ExportSpec {
  /** The list's path name (/api/<name>/export) and the file's name. */
  name: string;
  /** The resource whose permissions guard it: `list` to read the rows (its conditions narrow them), `export`. */
  permission: string;
  list: ListSpec;
  source: ListSource;
  /** The list's row schema: a JSON export's rows are those (times in IST), plus readable names. */
  row: z.ZodType;
}

/** Parameters of the export itself; the rest are the list's. Paging is not: an export is every row the filters give. */
const OWN_PARAMS = ['format', '_start', '_end'];

/**
 * GET /api/<name>/export?format=csv|xlsx|json&<the list's filters, q, _sort, _order>: every row of the list, streamed.
 * Mount it before the resource's /{id} routes. Everything that can refuse (permissions, format, filters) is checked
 * before the first byte; then the rows are read from a cursor in one transaction (one snapshot: a row changed during
 * the export is seen as it was), a batch at a time, and the audit row is written in it when the last row is out.
 */
/** Every list export by its name, as mounted: background export jobs (POST /api/exports) run them by name. */
export const exportSpecs = new Map<string, ExportSpec>();

export function mountExport(app: Router, spec: ExportSpec) {
  exportSpecs.set(spec.name, spec);
  const path = `/api/${spec.name}/export`;
  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags: [spec.name],
      ...permit(spec.permission, 'export'),
      summary: `Export ${spec.name} as CSV, XLSX or JSON (format=csv|xlsx|json; the list's filters, q, _sort and _order), streamed`,
      responses: {
        200: {
          description: 'The file (Content-Disposition: attachment): CSV (UTF-8 BOM, CRLF, rupees), XLSX (typed cells, frozen header, rupees) or a JSON array (paise); times in IST',
          content: {
            'text/csv': { schema: z.string() },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
            'application/json': { schema: z.array(spec.row) },
          },
        },
      },
    }),
    async (c) => {
      // The list's own rule too: its conditions (own zones) narrow the exported rows as they narrow the list.
      const ctx = allowed(c, spec.permission, 'list');
      const params = new URL(c.req.url).searchParams;
      const format = (params.get('format') ?? 'csv') as ExportFormat;
      if (!exportFormats.includes(format)) throw badRequest(`format: ${shown(format)} is not one of ${exportFormats.join(', ')}.`, 'bad_format');
      const filters = new URLSearchParams([...params].filter(([k]) => !OWN_PARAMS.includes(k)));
      const query = await parseListQuery(filters, spec.list, ctx.db);
      const filename = `${spec.name}-${todayIST()}.${format}`;
      const fallback = Object.keys(spec.list.fields);

      c.header('content-type', CONTENT_TYPES[format]);
      c.header('content-disposition', `attachment; filename="${filename}"`);
      c.header('cache-control', 'no-store');
      return stream(
        c,
        async (s) => {
          let timedOut = false;
          // Past the limit: break the download off (the socket is closed, so the client sees an incomplete file, not a
          // short one that looks whole) and end the stream, which releases a write that waits on a client not reading.
          const timer = setTimeout(() => {
            timedOut = true;
            ctx.log.warn({ export: spec.name, limit_ms: exportTuning.timeLimitMs }, 'export cut off: over its time limit');
            (c.env as { outgoing?: { destroy?: () => void } } | undefined)?.outgoing?.destroy?.();
            s.abort();
          }, exportTuning.timeLimitMs);
          timer.unref?.();
          const sink: Sink = (chunk) => s.write(chunk);
          const writer = format === 'csv' ? csvWriter(sink, fallback) : format === 'json' ? jsonWriter(sink) : xlsxWriter(sink, spec.name, fallback);
          let count = 0;
          try {
            await transaction(ctx, async (tx) => {
              // CSV of a list that gives its rows as one query: lines formatted by the database, read in big batches.
              const lines = format === 'csv' && exportTuning.sqlCsv && spec.source.all ? await csvLines(tx.db, spec.source.all(tx, query)) : null;
              // On PostgreSQL through COPY, as bytes; else (PGlite, a parameter COPY cannot carry) a cursor of lines.
              const copied = lines && (await copyLines(tx.db, lines.lines, { timeoutMs: exportTuning.timeLimitMs + 60_000, pieceLines: exportTuning.lines }));
              if (lines && copied) {
                await sink(csvHead(lines.columns));
                // After an abort the rest is read and dropped: the transaction's connection is busy until COPY ends.
                for await (const piece of copied) {
                  if (s.aborted) continue;
                  await sink(piece.bytes);
                  if (!s.aborted) count += piece.lines;
                }
              } else if (lines) {
                await tx.db.execute(sql`declare export_rows no scroll cursor for ${lines.lines}`);
                await sink(csvHead(lines.columns));
                while (!s.aborted) {
                  const batch = rowsOf<{ line: string }>(await tx.db.execute(sql.raw(`fetch ${Math.trunc(exportTuning.lines)} from export_rows`)));
                  if (!batch.length) break;
                  let text = '';
                  for (const r of batch) text += `${r.line}\r\n`;
                  await sink(text);
                  count += batch.length;
                }
              } else {
                await tx.db.execute(sql`declare export_rows no scroll cursor for ${spec.source.ids(tx, query)}`);
                while (!s.aborted) {
                  const ids = rowsOf<{ id: string }>(await tx.db.execute(sql.raw(`fetch ${Math.trunc(exportTuning.batch)} from export_rows`))).map((r) => r.id);
                  if (!ids.length) break;
                  const rows = await spec.source.rows(tx, ids, query);
                  await addNames(tx, rows);
                  await writer.rows(rows);
                  count += rows.length;
                }
              }
              if (!copied) await tx.db.execute(sql`close export_rows`);
              if (!s.aborted && !lines) await writer.end();
              // Who exported what: written when the stream ends, with the rows written (an aborted download says so).
              await audit(tx, {
                action: 'export',
                table: spec.name,
                after: {
                  format,
                  filters: Object.fromEntries([...filters].map(([k]) => [k, filters.getAll(k).length > 1 ? filters.getAll(k) : filters.get(k)])),
                  rows: count,
                  completed: !s.aborted,
                  ...(timedOut ? { timed_out: true } : {}),
                },
              });
            });
          } finally {
            clearTimeout(timer);
          }
        },
        async (err) => {
          // The status is sent already: the file ends short, and the log says why.
          ctx.log.error({ err, export: spec.name }, 'export failed');
        },
      ) as never;
    },
  );
}

/** A small table as one CSV text, by the exports' rules (BOM, CRLF, rupees for *_paise, IST times, neutralised text). */
export function csvText(columns: string[], rows: Row[]): string {
  const lines = [columns.map((c) => csvCell('', header(c))).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c, r[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ---- background exports -------------------------------------------------------------------------------------------

/** The list's parameters of an export: the query string less the export's own (format, paging). */
export function exportQuery(params: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...params].filter(([k]) => !OWN_PARAMS.includes(k)));
}

/** Checks what a background export asks for as the download would: the list exists, the user may export it, its parameters parse. */
export async function checkExport(ctx: Ctx, resource: string, params: URLSearchParams): Promise<ExportSpec> {
  const spec = exportSpecs.get(resource);
  if (!spec) throw badRequest(`resource: ${shown(resource)} is not a list that exports (one of ${[...exportSpecs.keys()].sort().join(', ')}).`, 'bad_resource');
  assertCan(ctx.actor, spec.permission, 'export');
  await parseListQuery(exportQuery(params), spec.list, ctx.db);
  return spec;
}

export interface JobWrite {
  /** Called after each batch with the bytes written since the last call and the rows so far: store them, say whether to go on. */
  batch(chunk: Uint8Array, rowsDone: number): Promise<boolean>;
}

/**
 * Writes a whole export in batches without one long transaction: the list's ids are fixed first (`ids`: the job's
 * snapshot, read once in the list's order), then each batch of rows is read and written on its own, so progress
 * commits as it goes and other requests run in between (PGlite has one connection).
 */
export async function writeJobExport(
  ctx: Ctx,
  spec: ExportSpec,
  format: ExportFormat,
  params: URLSearchParams,
  nextIds: (after: number, limit: number) => Promise<string[]>,
  out: JobWrite,
): Promise<number> {
  const query = await parseListQuery(exportQuery(params), spec.list, ctx.db);
  const fallback = Object.keys(spec.list.fields);
  let pending: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const sink: Sink = async (chunk) => {
    pending.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  };
  const take = () => {
    const size = pending.reduce((a, c) => a + c.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of pending) {
      all.set(c, at);
      at += c.length;
    }
    pending = [];
    return all;
  };
  const writer = format === 'csv' ? csvWriter(sink, fallback) : format === 'json' ? jsonWriter(sink) : xlsxWriter(sink, spec.name, fallback);
  let done = 0;
  for (;;) {
    const ids = await nextIds(done, Math.trunc(exportTuning.batch));
    if (!ids.length) break;
    const rows = await spec.source.rows(ctx, ids, query);
    await addNames(ctx, rows);
    await writer.rows(rows);
    done += rows.length;
    if (!(await out.batch(take(), done))) return done;
  }
  await writer.end();
  await out.batch(take(), done);
  return done;
}

/**
 * The SQL of the list's ids for an export (the job stores them once, numbered in the list's order). Wrapped: a query
 * builder is thenable, and an async function returning it would run it.
 */
export async function exportIdsQuery(ctx: Ctx, spec: ExportSpec, params: URLSearchParams): Promise<{ ids: SQLWrapper }> {
  const query = await parseListQuery(exportQuery(params), spec.list, ctx.db);
  return { ids: spec.source.ids(ctx, query) };
}
