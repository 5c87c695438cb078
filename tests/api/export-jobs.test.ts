import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportTuning } from '../../api/lib/export.js';
import { dropExpiredExports, runNextExportJob } from '../../api/modules/exports/exports.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeZone, sqlRows } from '../helpers/chain-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Background exports: a job queued by POST /api/exports is claimed through the database, written a batch at a time
// with its progress, and downloads the same file the direct export gives; a job whose process died (its heartbeat
// stopped) is taken over and started again; two workers never take the same job.

let t: TestApp;
const log = pino({ level: 'silent' });
const query = '_sort=name&_order=asc&name_like=Job';

async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

beforeAll(async () => {
  t = await createTestApp();
  const zone = await makeZone(t.database.db);
  await t.database.db.execute(sql`
    insert into customers (name, phone, zone_id)
    select 'Job customer ' || lpad(g::text, 3, '0'), '+91' || (8100000000 + g)::text, ${zone.id} from generate_series(1, 45) g`);
  exportTuning.batch = 7;
});
afterAll(async () => {
  exportTuning.batch = 1000;
  await t?.close();
});

describe('background exports', () => {
  test('queued, then claimed and written in batches: progress, a download URL, and the same file as the direct export', async () => {
    const job = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'csv', params: query }), 202);
    expect(job).toMatchObject({ status: 'queued', progress: null, download_url: null, resource: 'customers', format: 'csv' });
    expect(await json(await t.call('finance', 'GET', `/api/exports/${job.id}`), 200)).toMatchObject({ status: 'queued' });
    await json(await t.call('finance', 'GET', `/api/exports/${job.id}/file`), 409);

    expect(await runNextExportJob(t.database.db, log)).toBe(job.id);
    expect(await runNextExportJob(t.database.db, log)).toBeNull();
    const [failure] = await sqlRows(t.database.db, sql`select error from export_jobs where id = ${job.id}`);
    expect(failure.error).toBeNull();
    const done = await json(await t.call('finance', 'GET', `/api/exports/${job.id}`), 200);
    const listed = await t.call('finance', 'GET', `/api/customers?${query}&_start=0&_end=1`);
    expect(done).toMatchObject({ status: 'done', progress: 1, rows_done: 45, rows_total: Number(listed.headers.get('x-total-count')), download_url: `/api/exports/${job.id}/file` });
    expect(Date.parse(done.expires_at) - Date.parse(done.finished_at)).toBe(24 * 3600_000);
    // Written a batch (7 rows) at a time: 45 rows are 7 chunks, the last with the rest.
    const [chunks] = await sqlRows(t.database.db, sql`select count(*)::int as n from export_chunks where job_id = ${job.id}`);
    expect(chunks.n).toBe(7);

    const file = await t.call('finance', 'GET', `/api/exports/${job.id}/file`);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    // Read before the direct export starts: on PGlite an unread download holds the one connection.
    const fileBytes = await bytesOf(file);
    const direct = await bytesOf(await t.call('finance', 'GET', `/api/customers/export?format=csv&${query}`));
    expect(fileBytes.equals(direct)).toBe(true);
    const mine = await json(await t.call('finance', 'GET', '/api/exports'), 200);
    expect(mine.jobs[0].id).toBe(job.id);

    // Who asked and what was written are in the audit log.
    const audits = await sqlRows(t.database.db, sql`select action, table_name, after from audit_logs where (table_name = 'export_jobs' and record_id = ${job.id}) or (action = 'export' and after->>'job_id' = ${job.id}) order by created_at`);
    expect(audits.map((a) => [a.action, a.table_name])).toEqual([['create', 'export_jobs'], ['export', 'customers']]);
    expect(audits[1].after).toMatchObject({ rows: 45, completed: true, background: true });
  });

  test('JSON and XLSX too; another user never sees the job', async () => {
    for (const format of ['json', 'xlsx']) {
      const job = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format, params: query }), 202);
      await runNextExportJob(t.database.db, log);
      const body = await bytesOf(await t.call('finance', 'GET', `/api/exports/${job.id}/file`));
      if (format === 'json') expect(JSON.parse(body.toString('utf8'))).toHaveLength(45);
      else expect(body.subarray(0, 2).toString()).toBe('PK');
      await json(await t.call('admin', 'GET', `/api/exports/${job.id}`), 404);
      await json(await t.call('admin', 'GET', `/api/exports/${job.id}/file`), 404);
    }
  });

  test("a job whose process died (no heartbeat for a minute) is taken over and started again; a live one is not", async () => {
    const job = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'csv', params: query }), 202);
    // As a process leaves it mid-way: running, half written; its heartbeat 5 seconds old (alive), then 2 minutes (dead).
    await t.database.db.execute(sql`update export_jobs set status = 'running', attempts = 1, started_at = now() - interval '3 minutes', heartbeat_at = now() - interval '5 seconds', rows_done = 14, rows_total = 45 where id = ${job.id}`);
    await t.database.db.execute(sql`insert into export_chunks (job_id, seq, data) values (${job.id}, 1, ${new TextEncoder().encode('half a file')})`);
    expect(await runNextExportJob(t.database.db, log)).toBeNull(); // still beating: its process may be alive
    expect(await json(await t.call('finance', 'GET', `/api/exports/${job.id}`), 200)).toMatchObject({ status: 'running', rows_done: 14, progress: 14 / 45 });
    await t.database.db.execute(sql`update export_jobs set heartbeat_at = now() - interval '2 minutes' where id = ${job.id}`);
    expect(await runNextExportJob(t.database.db, log)).toBe(job.id);
    const done = await json(await t.call('finance', 'GET', `/api/exports/${job.id}`), 200);
    expect(done).toMatchObject({ status: 'done', rows_done: 45 });
    const [row] = await sqlRows(t.database.db, sql`select attempts from export_jobs where id = ${job.id}`);
    expect(row.attempts).toBe(2);
    const fileBytes = await bytesOf(await t.call('finance', 'GET', `/api/exports/${job.id}/file`));
    const direct = await bytesOf(await t.call('finance', 'GET', `/api/customers/export?format=csv&${query}`));
    expect(fileBytes.equals(direct)).toBe(true);
  });

  test('two workers at once take different jobs', async () => {
    const a = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'csv', params: query }), 202);
    const b = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'json', params: query }), 202);
    const ran = await Promise.all([runNextExportJob(t.database.db, log), runNextExportJob(t.database.db, log)]);
    expect(new Set(ran)).toEqual(new Set([a.id, b.id]));
    for (const id of [a.id, b.id]) expect((await json(await t.call('finance', 'GET', `/api/exports/${id}`), 200)).status).toBe('done');
  });

  test('after 24 hours the file is gone (410) and its chunks deleted', async () => {
    const job = await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'csv', params: query }), 202);
    await runNextExportJob(t.database.db, log);
    await t.database.db.execute(sql`update export_jobs set finished_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' where id = ${job.id}`);
    expect(await json(await t.call('finance', 'GET', `/api/exports/${job.id}`), 200)).toMatchObject({ status: 'done', download_url: null });
    expect((await json(await t.call('finance', 'GET', `/api/exports/${job.id}/file`), 410)).code).toBe('export_expired');
    expect(await dropExpiredExports(t.database.db)).toBeGreaterThan(0);
    const [left] = await sqlRows(t.database.db, sql`select count(*)::int as n from export_chunks where job_id = ${job.id}`);
    expect(left.n).toBe(0);
  });

  test('refused as the download would be: no export grant 403, unknown list or filter 400, bad format 400', async () => {
    expect((await json(await t.call('support', 'POST', '/api/exports', { resource: 'invoices', format: 'csv' }), 403)).code).toBe('forbidden');
    expect((await json(await t.call('finance', 'POST', '/api/exports', { resource: 'nothing', format: 'csv' }), 400)).message).toMatch(/resource/);
    expect((await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'csv', params: 'colour=blue' }), 400)).message).toMatch(/colour/);
    await json(await t.call('finance', 'POST', '/api/exports', { resource: 'customers', format: 'pdf' }), 400);
    const [n] = await sqlRows(t.database.db, sql`select count(*)::int as n from export_jobs where resource <> 'customers'`);
    expect(n.n).toBe(0);
  });
});

describe('export_jobs constraints (raw SQL)', () => {
  const user = () => t.userIds.finance;
  const insert = (extra: string) => t.database.db.execute(sql.raw(`insert into export_jobs (user_id, resource, format, params${extra ? ', ' + extra.split('|')[0] : ''}) values ('${user()}', 'customers', 'csv', ''${extra ? ', ' + extra.split('|')[1] : ''})`));
  test('export_jobs_format_valid, export_jobs_progress_valid, export_jobs_finished_consistent', async () => {
    expect(await refusedBy(t.database.db.execute(sql`insert into export_jobs (user_id, resource, format) values (${user()}, 'customers', 'pdf')`))).toBe('export_jobs_format_valid');
    expect(await refusedBy(insert('rows_done|-1'))).toBe('export_jobs_progress_valid');
    expect(await refusedBy(insert("status|'done'"))).toBe('export_jobs_finished_consistent');
    expect(await refusedBy(insert("status, finished_at|'failed', now()"))).toBe('export_jobs_finished_consistent');
    await insert("status, finished_at, error|'failed', now(), 'boom'");
  });
  test('export_chunks_pkey, export_job_ids_pkey, their job foreign keys, export_jobs_user_id_fk', async () => {
    const [job] = await sqlRows(t.database.db, sql`insert into export_jobs (user_id, resource, format) values (${user()}, 'customers', 'csv') returning id`);
    await t.database.db.execute(sql`insert into export_chunks (job_id, seq, data) values (${job.id}, 1, ${new Uint8Array([1])})`);
    expect(await refusedBy(t.database.db.execute(sql`insert into export_chunks (job_id, seq, data) values (${job.id}, 1, ${new Uint8Array([2])})`))).toBe('export_chunks_pkey');
    await t.database.db.execute(sql`insert into export_job_ids (job_id, seq, id) values (${job.id}, 1, gen_random_uuid())`);
    expect(await refusedBy(t.database.db.execute(sql`insert into export_job_ids (job_id, seq, id) values (${job.id}, 1, gen_random_uuid())`))).toBe('export_job_ids_pkey');
    expect(await refusedBy(t.database.db.execute(sql`insert into export_chunks (job_id, seq, data) values (gen_random_uuid(), 1, ${new Uint8Array([1])})`))).toBe('export_chunks_job_fk');
    expect(await refusedBy(t.database.db.execute(sql`insert into export_job_ids (job_id, seq, id) values (gen_random_uuid(), 1, gen_random_uuid())`))).toBe('export_job_ids_job_fk');
    expect(await refusedBy(t.database.db.execute(sql`insert into export_jobs (user_id, resource, format) values (gen_random_uuid(), 'customers', 'csv')`))).toBe('export_jobs_user_id_fk');
  });
});
