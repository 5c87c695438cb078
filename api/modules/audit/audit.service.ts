import { getTableColumns, sql } from 'drizzle-orm';
import { auditLogs, users } from '../../../db/schema/index.js';
import type { Resource } from '../../lib/crud.js';

const userEmail = sql<string | null>`(select ${users.email} from ${users} where ${users.id} = ${auditLogs.user_id})`;

export const auditColumns = { user_email: userEmail };

// Read-only on purpose: no create, update or delete verbs, and the table's trigger refuses changes anyway.
export const auditResource: Resource = {
  name: 'audit-logs',
  label: 'Audit entry',
  table: auditLogs,
  selection: { ...getTableColumns(auditLogs), user_email: userEmail.as('user_email') },
};
