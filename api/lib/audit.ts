import { auditLogs } from '../../db/schema/index.js';
import { onCommit, type Ctx } from './context.js';
import { auditRowsWritten } from './metrics.js';
import { maskPayoutDetails } from './payout-details.js';

const secretKeys = new Set(['password_hash', 'totp_secret', 'token_hash', 'code_hash']);

// Where staff are paid is masked too: the audit log is read by roles that may not see it (presentStaff), and an
// append-only row cannot be masked later.
function scrub(row: unknown): unknown {
  if (row === null || row === undefined) return null;
  if (typeof row !== 'object') return row;
  return maskPayoutDetails(Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([k]) => !secretKeys.has(k))));
}

/** Writes one audit row through the caller's transaction, so the change and its record commit together. */
export async function audit(
  ctx: Ctx,
  entry: { action: string; table: string; recordId?: string | null; before?: unknown; after?: unknown },
): Promise<void> {
  if (!ctx.inTx) throw new Error('audit() must run inside the transaction of the change it records');
  await ctx.db.insert(auditLogs).values({
    user_id: ctx.actor?.id ?? null,
    action: entry.action,
    table_name: entry.table,
    record_id: entry.recordId ?? null,
    before: scrub(entry.before),
    after: scrub(entry.after),
    request_id: ctx.requestId,
  });
  onCommit(ctx, () => auditRowsWritten.inc());
}

/** Counts audit rows a database function wrote in the caller's transaction (the metric audit() keeps), once it commits. */
export function auditRowsRecorded(ctx: Ctx, rows: number): void {
  if (rows > 0) onCommit(ctx, () => auditRowsWritten.inc(rows));
}
