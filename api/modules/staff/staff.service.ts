import { getTableColumns, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { staff, zones } from '../../../db/schema/index.js';
import { findPermission } from '../../lib/access.js';
import type { Ctx } from '../../lib/context.js';
import { maskPayoutDetails } from '../../lib/payout-details.js';
import { createRow, updateRow, type Resource, type Row } from '../../lib/crud.js';
import type { StaffCreate, StaffUpdate } from './staff.schemas.js';

const zoneName = sql<string | null>`(select ${zones.name} from ${zones} where ${zones.id} = ${staff.zone_id})`;
export const staffColumns = { zone_name: zoneName };

export const staffResource: Resource = {
  name: 'staff',
  label: 'Staff member',
  table: staff,
  selection: { ...getTableColumns(staff), zone_name: zoneName.as('zone_name') },
};

export async function createStaff(ctx: Ctx, input: z.infer<typeof StaffCreate>): Promise<Row> {
  return createRow(ctx, staffResource, input);
}

export async function updateStaff(ctx: Ctx, id: string, input: z.infer<typeof StaffUpdate>): Promise<Row> {
  return updateRow(ctx, staffResource, id, input);
}

/** Who may see where staff are paid in full: those who draft, approve, export or pay payout batches. */
export function seesPayoutDetails(ctx: Ctx): boolean {
  const perms = ctx.actor?.permissions ?? [];
  return ['create', 'approve', 'export', 'pay'].some((a) => findPermission(perms, 'payout-batches', a));
}

/**
 * A staff row as this request may see it: the bank account number and the UPI id's name part are masked to their
 * last four for roles that read staff but do not pay them (support).
 */
export function presentStaff(ctx: Ctx, row: Row): Row {
  return seesPayoutDetails(ctx) ? row : maskPayoutDetails(row);
}
