import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { productRequests, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { createRow, getRow, type Resource, type Row } from '../../lib/crud.js';
import { AppError, conflict, toAppError } from '../../lib/errors.js';
import { assertGstRateInUse, productResource } from './products.service.js';

const userName = (col: AnyPgColumn) => sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${col})`;
export const requestColumns = {
  requested_by_name: userName(productRequests.requested_by),
  decided_by_name: userName(productRequests.decided_by),
};

export const productRequestResource: Resource = {
  name: 'product-requests',
  label: 'Product request',
  table: productRequests,
  selection: {
    ...getTableColumns(productRequests),
    requested_by_name: requestColumns.requested_by_name.as('requested_by_name'),
    decided_by_name: requestColumns.decided_by_name.as('decided_by_name'),
  },
};

export async function createProductRequest(ctx: Ctx, input: Row): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertGstRateInUse(tx, input.gst_rate_bp as number | undefined);
    return createRow(tx, productRequestResource, { ...input, requested_by: tx.actor?.id ?? null });
  });
}

function defaultSku(name: string, requestId: string): string {
  const slug = name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30);
  return `${slug || 'ITEM'}-${requestId.slice(0, 4).toUpperCase()}`;
}

/** Locks the request and refuses unless it is still pending: of two concurrent decisions, the second waits here and then gets a 409. */
async function lockPending(ctx: Ctx, id: string): Promise<Row> {
  const before = await getRow(ctx, productRequestResource, id, { lock: true });
  if (before.status !== 'pending') {
    const who = before.decided_by_name ? ` by ${before.decided_by_name}` : '';
    throw conflict(`This request was already ${before.status}${who}.`, 'already_decided');
  }
  return before;
}

export async function approveProductRequest(ctx: Ctx, id: string, input: { sku?: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockPending(tx, id);
    const product = await createRow(tx, productResource, {
      name: before.name,
      sku: input.sku ?? defaultSku(before.name as string, id),
      category: before.category,
      unit: before.unit,
      unit_size: before.unit_size,
      price_paise: before.price_paise,
      hsn_code: before.hsn_code,
      gst_rate_bp: before.gst_rate_bp,
      is_active: true,
    });
    await tx.db
      .update(productRequests)
      .set({ status: 'approved', decided_by: tx.actor!.id, decided_at: new Date(), product_id: product.id as string })
      .where(eq(productRequests.id, id));
    const after = await getRow(tx, productRequestResource, id);
    await audit(tx, { action: 'approve', table: 'product-requests', recordId: id, before, after });
    return after;
  });
}

export async function rejectProductRequest(ctx: Ctx, id: string, input: { reason: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockPending(tx, id);
    await tx.db
      .update(productRequests)
      .set({ status: 'rejected', decided_by: tx.actor!.id, decided_at: new Date(), reject_reason: input.reason })
      .where(eq(productRequests.id, id));
    const after = await getRow(tx, productRequestResource, id);
    await audit(tx, { action: 'reject', table: 'product-requests', recordId: id, before, after });
    return after;
  });
}

export interface BulkResult {
  succeeded: string[];
  failed: { id: string; message: string }[];
}

/** Each request is decided in its own transaction: one that fails (already decided, duplicate name) does not undo the others. */
export async function decideMany(ctx: Ctx, input: { ids: string[]; action: 'approve' | 'reject'; reason?: string }): Promise<BulkResult> {
  if (input.action === 'reject' && (!input.reason || input.reason.length < 3)) {
    throw new AppError(400, 'validation_failed', 'reason: Give a reason of at least 3 characters.');
  }
  const result: BulkResult = { succeeded: [], failed: [] };
  for (const id of [...new Set(input.ids)]) {
    try {
      if (input.action === 'approve') await approveProductRequest(ctx, id, {});
      else await rejectProductRequest(ctx, id, { reason: input.reason! });
      result.succeeded.push(id);
    } catch (err) {
      const known = toAppError(err);
      if (!known) throw err;
      result.failed.push({ id, message: known.message });
    }
  }
  return result;
}
