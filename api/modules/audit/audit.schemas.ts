import { z } from '@hono/zod-openapi';
import { auditLogs } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

// before and after are the record as it was and became: an object of its columns, or null.
const Snapshot = z.record(z.string(), z.unknown()).nullable();
export const AuditLog = tableRow(auditLogs).extend({ before: Snapshot, after: Snapshot, user_email: z.string().nullable() }).openapi('AuditLog');
export type AuditLog = z.infer<typeof AuditLog>;
