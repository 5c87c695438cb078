import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { assertCan } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { checkExport, exportIdsQuery, exportSpecs, writeJobExport, type ExportFormat } from '../../lib/export.js';
import { notFound, AppError } from '../../lib/errors.js';
import { oneRow, rowsOf } from '../../lib/sql.js';
import { loadActor } from '../auth/auth.service.js';

// Background exports (issue 14 item 2): POST /api/exports queues a job; any API process claims it (FOR UPDATE SKIP
// LOCKED), fixes the list's ids, then writes the file a batch at a time into export_chunks, each batch committing its
// progress. A process that dies mid-way stops its heartbeat: after HEARTBEAT_STALE the next process takes the job over
// and starts it again. The file is kept 24 hours after it is finished.

export const HEARTBEAT_STALE = '60 seconds';
export const MAX_ATTEMPTS = 3;

export interface ExportJob {
  id: string;
  resource: string;
  format: string;
  params: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  rows_done: number;
  rows_total: number | null;
  /** 0..1: rows written of the rows the list had when the job started (null until it has started). */
  progress: number | null;
  bytes: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  expires_at: string | null;
  /** Where to download the file, while it is kept. */
  download_url: string | null;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
function shape(r: Record<string, unknown>): ExportJob {
  const total = r.rows_total === null || r.rows_total === undefined ? null : Number(r.rows_total);
  const done = Number(r.rows_done ?? 0);
  const expires = iso(r.expires_at);
  const kept = r.status === 'done' && expires !== null && Date.parse(expires) > Date.now();
  return {
    id: String(r.id),
    resource: String(r.resource),
    format: String(r.format),
    params: String(r.params ?? ''),
    status: r.status as ExportJob['status'],
    rows_done: done,
    rows_total: total,
    progress: r.status === 'done' ? 1 : total === null ? null : total === 0 ? 1 : Math.min(1, done / total),
    bytes: Number(r.bytes ?? 0),
    error: (r.error as string | null) ?? null,
    created_at: iso(r.created_at)!,
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    expires_at: expires,
    download_url: kept ? `/api/exports/${r.id}/file` : null,
  };
}

export async function createExportJob(ctx: Ctx, input: { resource: string; format: ExportFormat; params: string }): Promise<ExportJob> {
  const params = new URLSearchParams(input.params);
  await checkExport(ctx, input.resource, params);
  return transaction(ctx, async (tx) => {
    const row = oneRow<Record<string, unknown>>(
      await tx.db.execute(sql`insert into export_jobs (user_id, resource, format, params) values (${ctx.actor!.id}, ${input.resource}, ${input.format}, ${params.toString()}) returning *`),
    );
    await audit(tx, { action: 'create', table: 'export_jobs', recordId: String(row.id), after: { resource: input.resource, format: input.format, params: params.toString() } });
    return shape(row);
  });
}

/** One's own export job (another user's is a 404: it is not theirs to see). */
export async function getExportJob(ctx: Ctx, id: string): Promise<ExportJob> {
  const [row] = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`select * from export_jobs where id = ${id} and user_id = ${ctx.actor!.id}`));
  if (!row) throw notFound('Export');
  return shape(row);
}

/** The user's latest export jobs, newest first. */
export async function myExportJobs(ctx: Ctx): Promise<ExportJob[]> {
  return rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`select * from export_jobs where user_id = ${ctx.actor!.id} order by created_at desc limit 20`)).map(shape);
}

/** The finished file's chunks, in order (a done job within its 24 hours; 409 before it is done, 410 after). */
export async function exportFile(ctx: Ctx, id: string): Promise<{ job: ExportJob; chunks: (after: number) => Promise<{ seq: number; data: Uint8Array }[]> }> {
  const job = await getExportJob(ctx, id);
  if (job.status !== 'done') throw new AppError(409, 'export_not_ready', `This export is ${job.status === 'failed' ? 'failed' : 'not finished yet'}.`);
  if (!job.download_url) throw new AppError(410, 'export_expired', 'This export was kept for 24 hours and is gone: export the list again.');
  return {
    job,
    chunks: async (after) =>
      rowsOf<{ seq: number; data: Uint8Array }>(await ctx.db.execute(sql`select seq, data from export_chunks where job_id = ${id} and seq > ${after} order by seq limit 20`)).map((c) => ({
        seq: Number(c.seq),
        data: c.data instanceof Uint8Array ? c.data : new Uint8Array(c.data as ArrayBuffer),
      })),
  };
}

/**
 * Claims the oldest queued job (or one whose process stopped beating) and runs it to the end. Returns its id, or null
 * when there was none. Two processes at once claim different jobs (SKIP LOCKED); a job is started at most MAX_ATTEMPTS
 * times, then failed.
 */
export async function runNextExportJob(db: Db, log: Logger): Promise<string | null> {
  const base: Ctx = { db, inTx: false, actor: null, requestId: 'export-jobs', log };
  const [claimed] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      update export_jobs j set status = 'running', attempts = j.attempts + 1, heartbeat_at = now(), started_at = now(), rows_done = 0, bytes = 0, rows_total = null
      where j.id = (select id from export_jobs
                    where status = 'queued' or (status = 'running' and heartbeat_at < now() - ${HEARTBEAT_STALE}::interval)
                    order by created_at for update skip locked limit 1)
      returning j.*`),
  );
  if (!claimed) return null;
  const id = String(claimed.id);
  const jobLog = log.child({ export_job: id });
  try {
    if (Number(claimed.attempts) > MAX_ATTEMPTS) throw new Error(`started ${MAX_ATTEMPTS} times without finishing`);
    const actor = await loadActor(db, String(claimed.user_id));
    if (!actor) throw new Error('its user is gone');
    const spec = exportSpecs.get(String(claimed.resource));
    if (!spec) throw new Error(`no list ${String(claimed.resource)}`);
    // The user's grants now (a permission removed since the request stops the job), and the list's own conditions.
    assertCan(actor, spec.permission, 'export');
    const ctx: Ctx = { ...base, actor, grant: assertCan(actor, spec.permission, 'list'), requestId: `export-job-${id}` };
    const params = new URLSearchParams(String(claimed.params));
    // A new start (a taken-over job too): the ids of the list now, numbered in its order; earlier chunks dropped.
    const { ids } = await exportIdsQuery(ctx, spec, params);
    await transaction(ctx, async (tx) => {
      await tx.db.execute(sql`delete from export_chunks where job_id = ${id}`);
      await tx.db.execute(sql`delete from export_job_ids where job_id = ${id}`);
      await tx.db.execute(sql`insert into export_job_ids (job_id, seq, id) select ${id}::uuid, (row_number() over ())::int, x.id from (${ids}) x`);
      await tx.db.execute(sql`update export_jobs set rows_total = (select count(*) from export_job_ids where job_id = ${id}), heartbeat_at = now() where id = ${id}`);
    });
    let seq = 0;
    let bytes = 0;
    const rows = await writeJobExport(
      ctx,
      spec,
      claimed.format as ExportFormat,
      params,
      async (after, limit) =>
        rowsOf<{ id: string }>(await db.execute(sql`select id from export_job_ids where job_id = ${id} and seq > ${after} order by seq limit ${limit}`)).map((r) => r.id),
      {
        async batch(chunk, done) {
          bytes += chunk.length;
          seq += 1;
          // The chunk and the progress in one transaction, only while this process still holds the job.
          return transaction(ctx, async (tx) => {
            const [still] = rowsOf(
              await tx.db.execute(sql`update export_jobs set rows_done = ${done}, bytes = ${bytes}, heartbeat_at = now() where id = ${id} and status = 'running' and attempts = ${Number(claimed.attempts)} returning id`),
            );
            if (!still) return false;
            if (chunk.length) await tx.db.execute(sql`insert into export_chunks (job_id, seq, data) values (${id}, ${seq}, ${chunk})`);
            return true;
          });
        },
      },
    );
    await transaction(ctx, async (tx) => {
      await tx.db.execute(sql`update export_jobs set status = 'done', finished_at = now(), expires_at = now() + interval '24 hours' where id = ${id} and status = 'running'`);
      await tx.db.execute(sql`delete from export_job_ids where job_id = ${id}`);
      await audit(tx, { action: 'export', table: spec.name, after: { format: claimed.format, filters: String(claimed.params), rows, completed: true, background: true, job_id: id } });
    });
    jobLog.info({ rows, bytes }, 'background export done');
  } catch (err) {
    jobLog.error({ err }, 'background export failed');
    await db.execute(sql`update export_jobs set status = 'failed', finished_at = now(), error = ${err instanceof Error ? err.message.slice(0, 500) : 'failed'} where id = ${id} and status = 'running'`);
    await db.execute(sql`delete from export_job_ids where job_id = ${id}`);
  }
  return id;
}

/** Files past their 24 hours: their chunks are deleted (the job row stays, answering 410). */
export async function dropExpiredExports(db: Db): Promise<number> {
  const gone = rowsOf(await db.execute(sql`delete from export_chunks c using export_jobs j where j.id = c.job_id and j.expires_at < now() returning c.job_id`));
  return gone.length;
}

/** Each API process looks for export jobs every `everyMs` (and at once when asked: `kick`). Returns kick and stop. */
export function scheduleExportJobs(db: Db, logger: Logger, everyMs = 5_000): { kick: () => void; stop: () => void } {
  const log = logger.child({ job: 'exports' });
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      while (await runNextExportJob(db, log)) {
        /* the next one */
      }
      await dropExpiredExports(db);
    } catch (err) {
      log.error({ err }, 'export jobs tick failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { kick: () => void tick(), stop: () => clearInterval(timer) };
}
