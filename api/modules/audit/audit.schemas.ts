import { z } from '@hono/zod-openapi';
import { auditLogs } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const AuditLog = tableRow(auditLogs).extend({ user_email: z.string().nullable() }).openapi('AuditLog');
export type AuditLog = z.infer<typeof AuditLog>;
