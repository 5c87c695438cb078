import { createRoute } from '@hono/zod-openapi';
import { importAnomalies, importRuns } from '../../../db/schema/index.js';
import { mountResource, ok, permit, type Router } from '../../lib/http.js';
import { importAnomalyResource, importRunResource, latestImport } from './imports.service.js';
import { ImportAnomaly, ImportRun } from './imports.schemas.js';

const kinds = importAnomalies.kind.enumValues;

// Read-only: imports are run from the command line (npm run import:legacy), the admin shows their reports.
export function mountImports(app: Router) {
  // Before the resource's /{id}, so "latest" is not taken for an id.
  app.openapi(
    createRoute({
      ...permit('imports', 'show'),
      method: 'get',
      path: '/api/imports/latest',
      tags: ['imports'],
      summary: "The last legacy import's run with its report (counts, anomalies, backfill in paise), or null when none has run",
      responses: ok(ImportRun.nullable(), 'The run, or null'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await latestImport(ctx), 200);
    },
  );
  mountResource(app, {
    resource: importRunResource,
    row: ImportRun,
    list: {
      fields: {
        id: { column: importRuns.id, type: 'uuid' },
        status: { column: importRuns.status, type: 'enum', values: importRuns.status.enumValues, sortable: true },
        dry_run: { column: importRuns.dry_run, type: 'bool' },
        source: { column: importRuns.source, type: 'text', sortable: true },
        started_at: { column: importRuns.started_at, type: 'timestamp', sortable: true },
        finished_at: { column: importRuns.finished_at, type: 'timestamp', sortable: true },
      },
      search: [importRuns.source],
      defaultSort: { field: 'started_at', order: 'desc' },
    },
  });
  mountResource(app, {
    resource: importAnomalyResource,
    row: ImportAnomaly,
    list: {
      fields: {
        id: { column: importAnomalies.id, type: 'uuid' },
        run_id: { column: importAnomalies.run_id, type: 'uuid' },
        kind: { column: importAnomalies.kind, type: 'enum', values: kinds, sortable: true },
        collection: { column: importAnomalies.collection, type: 'text', sortable: true },
        legacy_id: { column: importAnomalies.legacy_id, type: 'text', sortable: true },
        record_id: { column: importAnomalies.record_id, type: 'uuid' },
        created_at: { column: importAnomalies.created_at, type: 'timestamp', sortable: true },
      },
      search: [importAnomalies.legacy_id, importAnomalies.collection, importAnomalies.detail],
      defaultSort: { field: 'created_at', order: 'asc' },
    },
  });
}
