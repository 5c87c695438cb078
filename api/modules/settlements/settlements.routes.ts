import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { settlementExceptions, settlementLines, settlementUploads } from '../../../db/schema/index.js';
import { IdParam, jsonBody, listAnswer, listSpecs, ok, optionalJsonBody, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import {
  exceptionKinds,
  exceptionStatuses,
  ResolveBody,
  ScanBody,
  ScanResult,
  SettlementExceptionRow,
  SettlementLineRow,
  settlementLineStatuses,
  SettlementPreview,
  SettlementUploadBody,
  SettlementUploadRow,
} from './settlements.schemas.js';
import { getException, getUpload, listExceptions, listLines, listUploads, resolveException, scanSettlements, uploadSettlement } from './settlements.service.js';

export const SETTLEMENT_UPLOAD_PATH = '/api/settlements';

export const uploadListSpec: ListSpec = {
  fields: {
    id: { column: settlementUploads.id, type: 'uuid' },
    file_name: { column: settlementUploads.file_name, type: 'text' },
    uploaded_by: { column: settlementUploads.uploaded_by, type: 'uuid' },
    line_count: { column: settlementUploads.line_count, type: 'int', sortable: true },
    created_at: { column: settlementUploads.created_at, type: 'timestamp', sortable: true },
  },
  search: [settlementUploads.file_name],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export const lineListSpec: ListSpec = {
  fields: {
    id: { column: settlementLines.id, type: 'uuid' },
    upload_id: { column: settlementLines.upload_id, type: 'uuid' },
    status: { column: settlementLines.status, type: 'enum', values: settlementLineStatuses },
    settlement_id: { column: settlementLines.settlement_id, type: 'text' },
    utr: { column: settlementLines.utr, type: 'text' },
    payment_ref: { column: settlementLines.payment_ref, type: 'text' },
    gateway_payment_id: { column: settlementLines.gateway_payment_id, type: 'uuid' },
    line_no: { column: settlementLines.line_no, type: 'int', sortable: 'narrowed' },
    amount_paise: { column: settlementLines.amount_paise, type: 'int', sortable: true },
    settled_at: { column: settlementLines.settled_at, type: 'timestamp', sortable: true },
  },
  narrowedBy: ['upload_id'],
  // The payment id, the UTR or the settlement id as the bank and the gateway write them.
  search: [settlementLines.payment_ref, settlementLines.utr, settlementLines.settlement_id],
  defaultSort: { field: 'settled_at', order: 'desc' },
};

export const exceptionListSpec: ListSpec = {
  fields: {
    id: { column: settlementExceptions.id, type: 'uuid' },
    kind: { column: settlementExceptions.kind, type: 'enum', values: exceptionKinds },
    status: { column: settlementExceptions.status, type: 'enum', values: exceptionStatuses },
    gateway_payment_id: { column: settlementExceptions.gateway_payment_id, type: 'uuid' },
    settlement_line_id: { column: settlementExceptions.settlement_line_id, type: 'uuid' },
    upload_id: {
      column: sql`(select l.upload_id from settlement_lines l where l.id = ${settlementExceptions.settlement_line_id})`,
      type: 'uuid',
      via: { column: settlementLines.upload_id, where: (cond) => sql`${settlementExceptions.settlement_line_id} in (select ${settlementLines.id} from ${settlementLines} where ${cond})` },
    },
    expected_paise: { column: settlementExceptions.expected_paise, type: 'int' },
    actual_paise: { column: settlementExceptions.actual_paise, type: 'int' },
    created_at: { column: settlementExceptions.created_at, type: 'timestamp', sortable: true },
  },
  search: [settlementExceptions.detail],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export function mountSettlements(app: Router) {
  const tags = ['settlements'];
  // The static paths first: /api/settlements/{id} would take "lines" and "exceptions" for an id.
  listSpecs.set('/api/settlements/lines', lineListSpec);
  app.openapi(
    createRoute({ ...permit('settlements', 'list'), method: 'get', path: '/api/settlements/lines', tags, summary: 'List settlement lines (filter upload_id, status; search payment id, UTR, settlement id)', responses: page(SettlementLineRow) }),
    async (c) => listAnswer(c, await listLines(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, lineListSpec, c.get('ctx').db))),
  );
  listSpecs.set('/api/settlements/exceptions', exceptionListSpec);
  app.openapi(
    createRoute({
      ...permit('settlements', 'list'),
      method: 'get',
      path: '/api/settlements/exceptions',
      tags,
      summary: 'The exceptions queue: unknown payment, amount mismatch, not captured, captured but not settled after three days (filter kind, status)',
      responses: page(SettlementExceptionRow),
    }),
    async (c) => listAnswer(c, await listExceptions(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, exceptionListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('settlements', 'create'),
      method: 'post',
      path: '/api/settlements/exceptions/scan',
      tags,
      summary: 'Look for payments captured more than three days before as_of (now by default) and not settled; the job does it hourly',
      request: optionalJsonBody(ScanBody),
      responses: ok(ScanResult, 'Exceptions opened and closed'),
    }),
    async (c) => {
      const asOf = c.req.valid('json')?.as_of;
      return c.json(await scanSettlements(c.get('ctx'), asOf ? new Date(asOf) : new Date()), 200);
    },
  );
  app.openapi(
    createRoute({ ...permit('settlements', 'show'), method: 'get', path: '/api/settlements/exceptions/{id}', tags, summary: 'One exception', request: { params: IdParam }, responses: ok(SettlementExceptionRow, 'The exception') }),
    async (c) => c.json(await getException(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('settlements', 'resolve'),
      method: 'post',
      path: '/api/settlements/exceptions/{id}/resolve',
      tags,
      summary: 'Resolve (or acknowledge) an open exception, saying what was done',
      request: { params: IdParam, ...jsonBody(ResolveBody) },
      responses: ok(SettlementExceptionRow, 'The exception, resolved'),
    }),
    async (c) => c.json(await resolveException(c.get('ctx'), c.req.valid('param').id, c.req.valid('json').resolution), 200),
  );

  listSpecs.set('/api/settlements', uploadListSpec);
  app.openapi(
    createRoute({ ...permit('settlements', 'list'), method: 'get', path: '/api/settlements', tags, summary: 'List uploaded settlement files', responses: page(SettlementUploadRow) }),
    async (c) => listAnswer(c, await listUploads(c.get('ctx'), await parseListQuery(new URL(c.req.url).searchParams, uploadListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('settlements', 'create'),
      method: 'post',
      path: SETTLEMENT_UPLOAD_PATH,
      tags,
      summary:
        "Upload the gateway's settlement CSV ({file_name, content, dry_run}); dry_run (the default) says what applying would do. The same file again changes nothing; each payment is settled once. At most 10 MB.",
      request: jsonBody(SettlementUploadBody),
      responses: ok(SettlementPreview, 'What the file does (or would do)'),
    }),
    async (c) => c.json(await uploadSettlement(c.get('ctx'), c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({ ...permit('settlements', 'show'), method: 'get', path: '/api/settlements/{id}', tags, summary: 'One uploaded settlement file', request: { params: IdParam }, responses: ok(SettlementUploadRow, 'The file') }),
    async (c) => c.json(await getUpload(c.get('ctx'), c.req.valid('param').id), 200),
  );
}
