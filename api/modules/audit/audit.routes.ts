import { getTableColumns, sql } from 'drizzle-orm';
import { auditLogs, users } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';
import { mountResource, type Router } from '../../lib/http.js';

const userEmail = sql<string | null>`(select ${users.email} from ${users} where ${users.id} = ${auditLogs.user_id})`;

// Read-only on purpose: no create, update or delete routes, and the table's trigger refuses changes anyway.
export const auditResource: Resource = {
  name: 'audit-logs',
  label: 'Audit entry',
  table: auditLogs,
  selection: { ...getTableColumns(auditLogs), user_email: userEmail.as('user_email') },
};

export function mountAudit(app: Router) {
  mountResource(app, {
    resource: auditResource,
    list: {
      fields: {
        id: { column: auditLogs.id, type: 'uuid' },
        created_at: { column: auditLogs.created_at, type: 'timestamp', sortable: true },
        user_id: { column: auditLogs.user_id, type: 'uuid' },
        user_email: { column: userEmail, type: 'text', sortable: true },
        action: { column: auditLogs.action, type: 'text', sortable: true },
        table_name: { column: auditLogs.table_name, type: 'text', sortable: true },
        record_id: { column: auditLogs.record_id, type: 'uuid' },
        request_id: { column: auditLogs.request_id, type: 'text' },
      },
      search: [auditLogs.table_name, auditLogs.action, userEmail],
      defaultSort: { field: 'created_at', order: 'desc' },
    },
  });
}
