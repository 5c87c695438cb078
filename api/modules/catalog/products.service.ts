import { asc, eq } from 'drizzle-orm';
import { gstRates, products } from '../../../db/schema/index.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { createRow, updateRow, type Resource, type Row } from '../../lib/crud.js';
import { unprocessable } from '../../lib/errors.js';

export const productResource: Resource = { name: 'products', label: 'Product', table: products };

export type GstRate = typeof gstRates.$inferSelect;

/** The GST rates, lowest first: those in use, and the ones the law removed that old bills still carry (in_use false). */
export async function listGstRates(ctx: Ctx): Promise<GstRate[]> {
  return ctx.db.select().from(gstRates).orderBy(asc(gstRates.rate_bp));
}

/**
 * A product (or a request for one) takes only a rate in use. The database holds that every rate is in the list
 * (products_gst_rate_fk); this says which ones, in words.
 */
export async function assertGstRateInUse(ctx: Ctx, rate: number | undefined): Promise<void> {
  if (rate === undefined) return;
  const [found] = await ctx.db.select({ in_use: gstRates.in_use }).from(gstRates).where(eq(gstRates.rate_bp, rate));
  if (found?.in_use) return;
  const inUse = (await listGstRates(ctx)).filter((r) => r.in_use).map((r) => `${r.rate_bp / 100}%`);
  throw unprocessable(`The GST rate must be one of ${inUse.join(', ')}${found ? ` (${rate / 100}% is no longer a GST rate)` : ''}.`, 'bad_gst_rate');
}

export async function createProduct(ctx: Ctx, input: Row): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertGstRateInUse(tx, input.gst_rate_bp as number | undefined);
    return createRow(tx, productResource, input);
  });
}

export async function updateProduct(ctx: Ctx, id: string, input: Row): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertGstRateInUse(tx, input.gst_rate_bp as number | undefined);
    return updateRow(tx, productResource, id, input);
  });
}
