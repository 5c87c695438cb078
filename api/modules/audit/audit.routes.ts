import { auditLogs } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { auditColumns, auditResource } from './audit.service.js';
import { AuditLog } from './audit.schemas.js';

// Read-only: no create, update or delete routes.
export function mountAudit(app: Router) {
  mountResource(app, {
    resource: auditResource,
    exportable: true,
    row: AuditLog,
    list: {
      fields: {
        id: { column: auditLogs.id, type: 'uuid' },
        created_at: { column: auditLogs.created_at, type: 'timestamp', sortable: true },
        user_id: { column: auditLogs.user_id, type: 'uuid' },
        user_email: { column: auditColumns.user_email, type: 'text', sortable: true },
        action: { column: auditLogs.action, type: 'text', sortable: true },
        table_name: { column: auditLogs.table_name, type: 'text', sortable: true },
        record_id: { column: auditLogs.record_id, type: 'uuid' },
        request_id: { column: auditLogs.request_id, type: 'text' },
      },
      search: [auditLogs.table_name, auditLogs.action, auditColumns.user_email],
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });
}
