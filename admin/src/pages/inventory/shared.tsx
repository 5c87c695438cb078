import type { z } from '@hono/zod-openapi';
import { useSelect } from '@refinedev/antd';
import { Tag, Tooltip } from 'antd';
// Inventory records, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { PurchaseOrder as PurchaseOrderSchema } from '../../../../api/modules/inventory/purchase-orders.schemas';
import type { StockMovement as StockMovementSchema, StockRow as StockRowSchema } from '../../../../api/modules/inventory/stock.schemas';
import type { Supplier as SupplierSchema } from '../../../../api/modules/inventory/suppliers.schemas';
import type { Depot as DepotSchema } from '../../../../api/modules/depots/depots.schemas';

export type PurchaseOrder = z.infer<typeof PurchaseOrderSchema>;
export type PurchaseOrderStatus = PurchaseOrder['status'];
export type StockMovement = z.infer<typeof StockMovementSchema>;
export type MovementKind = StockMovement['kind'];
export type StockLevel = z.infer<typeof StockRowSchema>;
export type Supplier = z.infer<typeof SupplierSchema>;
export type Depot = z.infer<typeof DepotSchema>;

/** GET /api/forecast rows. */
export interface ForecastRow {
  date: string;
  shift: 'morning' | 'evening';
  product_id: string;
  depot_id: string | null;
  subscription_quantity: number;
  expected_one_time_quantity: number;
}

/** GET /api/reorder-proposals rows. */
export interface ReorderProposal {
  id: string;
  product_id: string;
  product_name: string;
  depot_id: string;
  depot_name: string;
  supplier_id: string;
  supplier_name: string;
  unit_price_paise: number;
  pack_size: number;
  pack_label: string;
  lead_time_days: number;
  forecast: number;
  safety_stock: number;
  on_hand: number;
  incoming: number;
  shortfall: number;
  quantity: number;
}

export const poStatusLabels: Record<PurchaseOrderStatus, string> = {
  draft: 'Draft',
  approved: 'Approved',
  sent: 'Sent',
  partially_received: 'Partly received',
  received: 'Received',
  cancelled: 'Cancelled',
};
const poStatusColors: Record<PurchaseOrderStatus, string> = { draft: 'gold', approved: 'blue', sent: 'processing', partially_received: 'purple', received: 'green', cancelled: 'default' };
const poStatusHelp: Record<PurchaseOrderStatus, string> = {
  draft: 'Someone other than its creator approves it.',
  approved: 'Approved: send it to the supplier.',
  sent: 'With the supplier: receive the goods when they arrive.',
  partially_received: 'Some goods arrived; receive the rest.',
  received: 'Every line received.',
  cancelled: 'Cancelled with a reason.',
};
export const PoStatusTag = ({ status }: { status: PurchaseOrderStatus }) => (
  <Tooltip title={poStatusHelp[status]}>
    <Tag color={poStatusColors[status]} data-testid="po-status">
      {poStatusLabels[status]}
    </Tag>
  </Tooltip>
);

export const kindLabels: Record<MovementKind, string> = {
  receipt: 'Receipt',
  dispatch: 'Dispatch to run',
  return: 'Return from run',
  wastage: 'Wastage',
  spoilage: 'Spoilage',
  transfer_out: 'Transfer out',
  transfer_in: 'Transfer in',
  adjustment: 'Adjustment',
  expiry: 'Expired',
};
const kindColors: Partial<Record<MovementKind, string>> = { receipt: 'green', dispatch: 'blue', return: 'cyan', wastage: 'orange', spoilage: 'red', expiry: 'volcano', adjustment: 'purple' };
export const KindTag = ({ kind }: { kind: MovementKind }) => <Tag color={kindColors[kind]}>{kindLabels[kind]}</Tag>;

export const poNumber = (n: number) => `PO-${String(n).padStart(6, '0')}`;
export const poPdfUrl = (id: string) => `/api/purchase-orders/${id}/pdf`;
export const options = <K extends string>(labels: Record<K, string>) => (Object.keys(labels) as K[]).map((k) => ({ value: k, label: labels[k] }));

/** Depots as select options, by name (a business has a handful). */
export function useDepotSelect(current?: string) {
  return useSelect<Depot>({ resource: 'depots', optionLabel: 'name', optionValue: 'id', defaultValue: current, sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } }).selectProps;
}

/** Products as select options, searched on the server. */
export function useProductSelect(current?: string) {
  return useSelect<{ id: string; name: string }>({
    resource: 'products',
    optionLabel: 'name',
    optionValue: 'id',
    defaultValue: current,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  }).selectProps;
}

/** Suppliers as select options, by name. */
export function useSupplierSelect(current?: string) {
  return useSelect<Supplier>({
    resource: 'suppliers',
    optionLabel: 'name',
    optionValue: 'id',
    defaultValue: current,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  }).selectProps;
}

