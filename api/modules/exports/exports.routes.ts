import { createRoute, z } from '@hono/zod-openapi';
import { exportFormats } from '../../lib/export.js';
import { IdParam, jsonBody, ok, sessionRoute, type Router } from '../../lib/http.js';
import { createExportJob, exportFile, getExportJob, myExportJobs } from './exports.service.js';

const tags = ['exports'];
const ExportJobBody = z
  .object({
    resource: z.string().min(1, 'resource: the list to export, e.g. invoices.').max(60),
    format: z.enum(exportFormats, { message: `format must be one of ${exportFormats.join(', ')}.` }),
    params: z.string().max(4000, 'params: at most 4,000 characters.').default('').openapi({ description: "The list's query string: its filters, q, _sort and _order" }),
  })
  .strict()
  .openapi('ExportJobCreate');
const ExportJob = z
  .object({
    id: z.string(),
    resource: z.string(),
    format: z.string(),
    params: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    rows_done: z.number().int(),
    rows_total: z.number().int().nullable(),
    progress: z.number().nullable(),
    bytes: z.number().int(),
    error: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    download_url: z.string().nullable(),
  })
  .openapi('ExportJob');

/** Set by the server: wakes this process's export worker as soon as a job is queued (otherwise it looks every few seconds). */
export const exportWorker: { kick: () => void } = { kick: () => {} };

export function mountExportJobs(app: Router) {
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'post',
      path: '/api/exports',
      tags,
      summary: 'Export a list in the background (long exports): the job, with its progress at GET /api/exports/:id; needs export on the list',
      request: jsonBody(ExportJobBody),
      responses: { 202: { content: { 'application/json': { schema: ExportJob } }, description: 'Queued' } },
    }),
    async (c) => {
      const job = await createExportJob(c.get('ctx'), c.req.valid('json'));
      exportWorker.kick();
      return c.json(job, 202);
    },
  );
  app.openapi(
    createRoute({ ...sessionRoute, method: 'get', path: '/api/exports', tags, summary: 'Your latest background exports', responses: ok(z.object({ jobs: z.array(ExportJob) }), 'Newest first') }),
    async (c) => c.json({ jobs: await myExportJobs(c.get('ctx')) }, 200),
  );
  app.openapi(
    createRoute({ ...sessionRoute, method: 'get', path: '/api/exports/{id}', tags, summary: 'A background export: status, progress and the download URL (24 hours)', request: { params: IdParam }, responses: ok(ExportJob, 'The job') }),
    async (c) => c.json(await getExportJob(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...sessionRoute,
      method: 'get',
      path: '/api/exports/{id}/file',
      tags,
      summary: "A finished background export's file (409 before it is done, 410 after its 24 hours)",
      request: { params: IdParam },
      responses: { 200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The file' } },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { job, chunks } = await exportFile(ctx, c.req.valid('param').id);
      const types: Record<string, string> = {
        csv: 'text/csv; charset=utf-8',
        json: 'application/json; charset=utf-8',
        xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      };
      // Read 20 chunks at a time (a few thousand rows each), each read its own statement: a slow reader holds no transaction.
      let after = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks(after);
          if (!next.length) return controller.close();
          for (const ch of next) controller.enqueue(ch.data);
          after = next[next.length - 1].seq;
        },
      });
      return c.body(body, 200, {
        'content-type': types[job.format],
        'content-disposition': `attachment; filename="${job.resource}-${job.created_at.slice(0, 10)}.${job.format}"`,
        'content-length': String(job.bytes),
        'cache-control': 'no-store',
      });
    },
  );
}
