import { eq } from 'drizzle-orm';
import { settings, type SupplierBlock } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import type { SettingsPatch } from './settings.schemas.js';

export type Settings = typeof settings.$inferSelect;

/** The settings row (the migration creates it; nothing deletes it). */
export async function getSettings(ctx: Ctx, opts: { lock?: boolean } = {}): Promise<Settings> {
  const q = ctx.db.select().from(settings).where(eq(settings.id, 1));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw new Error('The settings row is missing: run the migrations.');
  return row;
}

/**
 * Changes some settings, audited in the same transaction. The rules that tie fields together (PAN inside the GSTIN,
 * state code = the GSTIN's first two digits, two different prefixes) are CHECKs on the row, so they hold for the
 * merged result whichever fields were sent; a violation comes back as a 422 naming the rule.
 *
 * A changed prefix applies from the next invoice. It names a series of its own: PREFIX/<year>/000001 if the prefix
 * is new in that financial year, or the next number of that series if it was used before. GST Rule 46 allows several
 * series in a year as long as each is consecutive and every number is unique in the year, and both still hold: the
 * old series simply stops at its last number.
 */
export async function updateSettings(ctx: Ctx, patch: SettingsPatch): Promise<Settings> {
  return transaction(ctx, async (tx) => {
    const before = await getSettings(tx, { lock: true });
    if (Object.keys(patch).length === 0) return before;
    const [after] = await tx.db
      .update(settings)
      .set({ ...patch, updated_at: new Date(), updated_by: tx.actor?.id ?? null })
      .where(eq(settings.id, 1))
      .returning();
    await audit(tx, { action: 'update', table: 'settings', before, after });
    return after;
  });
}

/** The supplier block an invoice issued now keeps (invoices.supplier), as GST Rule 46 asks it printed. */
export function supplierBlock(s: Settings): SupplierBlock {
  return {
    name: s.supplier_name,
    address_lines: s.supplier_address.split('\n'),
    gstin: s.supplier_gstin,
    pan: s.supplier_pan,
    state: s.supplier_state,
    state_code: s.supplier_state_code,
    phone: s.supplier_phone,
    email: s.supplier_email,
    upi_id: s.supplier_upi_id,
  };
}

/** Intra-state supplies only (CGST + SGST): the place of supply is the supplier's state. */
export const placeOfSupply = (s: SupplierBlock) => `${s.state} (${s.state_code})`;
