import { z } from '@hono/zod-openapi';
import { stockMovements } from '../../../db/schema/index.js';
import { DateString } from '../../lib/input.js';
import { tableRow } from '../../lib/schemas.js';

export const movementKinds = ['receipt', 'dispatch', 'return', 'wastage', 'spoilage', 'transfer_out', 'transfer_in', 'adjustment', 'expiry'] as const;
/** What a person records by hand (receipts come from purchase orders, expiry from the daily job). */
export const recordedKinds = ['dispatch', 'return', 'wastage', 'spoilage', 'transfer', 'adjustment'] as const;

export const MovementCreate = z
  .object({
    kind: z.enum(recordedKinds, { message: `kind is one of: ${recordedKinds.join(', ')}.` }),
    product_id: z.uuid({ message: 'Choose a product.' }),
    depot_id: z.uuid({ message: 'Choose a depot.' }),
    /** The batch to move; without it dispatch, wastage, spoilage and transfers take the batches that expire first. */
    batch_id: z.uuid({ message: 'The batch id must be a UUID.' }).optional(),
    /** How many units; for an adjustment, signed (+ found, - missing). */
    quantity: z.number().int('Quantities are whole units.').min(-1_000_000, 'At most 1,000,000 units.').max(1_000_000, 'At most 1,000,000 units.'),
    reason: z.string().trim().max(500, 'At most 500 characters.').default(''),
    run_date: DateString.optional(),
    shift: z.enum(['morning', 'evening'], { message: 'shift is morning or evening.' }).optional(),
    staff_id: z.uuid({ message: 'Choose a staff member.' }).optional(),
    to_depot_id: z.uuid({ message: 'Choose the depot to transfer to.' }).optional(),
    /** A counted adjustment that finds goods with no batch yet names one. */
    batch_code: z.string().trim().min(1).max(60, 'At most 60 characters.').optional(),
    expiry_date: DateString.optional(),
  })
  .superRefine((m, ctx) => {
    const need = (ok: boolean, message: string, path: string) => ok || ctx.addIssue({ code: 'custom', message, path: [path] });
    if (m.kind === 'adjustment') need(m.quantity !== 0, 'An adjustment is not zero.', 'quantity');
    else need(m.quantity > 0, 'The quantity is at least 1.', 'quantity');
    if (m.kind === 'dispatch' || m.kind === 'return') {
      need(!!m.run_date && !!m.shift && !!m.staff_id, 'A dispatch or return names its run: run_date, shift and staff_id.', 'run_date');
    }
    if (['wastage', 'spoilage', 'adjustment'].includes(m.kind)) need(m.reason.length >= 3, 'Give a reason (at least 3 characters).', 'reason');
    if (m.kind === 'transfer') need(!!m.to_depot_id && m.to_depot_id !== m.depot_id, 'A transfer goes to another depot (to_depot_id).', 'to_depot_id');
    if (m.kind === 'adjustment' && !m.batch_id) need(m.quantity > 0 && !!m.batch_code && !!m.expiry_date, 'Name the batch: batch_id, or batch_code and expiry_date for goods found.', 'batch_id');
  });
export type MovementCreate = z.infer<typeof MovementCreate>;

export const StockMovement = tableRow(stockMovements)
  .extend({ product_name: z.string(), depot_name: z.string(), batch_code: z.string(), expiry_date: z.string(), staff_name: z.string().nullable(), balance: z.number().int() })
  .openapi('StockMovement');
export const RecordedMovements = StockMovement.extend({ lines: z.array(StockMovement) }).openapi('RecordedMovements');

export const StockQuery = z.object({
  depot_id: z.uuid({ message: 'depot_id must be a UUID.' }).optional(),
  product_id: z.uuid({ message: 'product_id must be a UUID.' }).optional(),
  /** Only rows whose next day's forecast exceeds what will be there. */
  low: z.enum(['true', 'false']).optional(),
  _start: z.coerce.number({ message: '_start is a number.' }).int().min(0).optional(),
  _end: z.coerce.number({ message: '_end is a number.' }).int().min(0).optional(),
  _sort: z.string().max(60).optional(),
  _order: z.string().max(60).optional(),
}).strict();
export const StockRow = z
  .object({
    id: z.string(),
    product_id: z.string(),
    product_name: z.string(),
    depot_id: z.string(),
    depot_name: z.string(),
    quantity: z.number().int(),
    batches: z.number().int(),
    expiring_today: z.number().int(),
    expiring_tomorrow: z.number().int(),
    incoming: z.number().int(),
    forecast_tomorrow: z.number().int(),
    low: z.boolean(),
  })
  .openapi('StockLevel');
