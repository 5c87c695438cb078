import { Tag } from 'antd';
import dayjs from 'dayjs';

// Staff pay as the API answers it (api/modules/earnings/earnings.schemas.ts).
export type EarningsType = 'base' | 'litres' | 'on_time' | 'attempt' | 'failure_deduction' | 'adjustment';
export type BatchStatus = 'draft' | 'approved' | 'paid' | 'failed' | 'reversed';
export type ItemStatus = 'pending' | 'paid' | 'failed' | 'reversed';

export interface EarningsLine {
  id: string;
  staff_id: string;
  staff_name: string;
  delivery_id: string | null;
  type: EarningsType;
  amount_paise: number;
  earned_on: string;
  quantity_ml: number | null;
  reason: string | null;
  payout_batch_id: string | null;
  payout_item_id: string | null;
  created_at: string;
}

export interface PayoutBatch {
  id: string;
  month: string;
  period_end: string;
  status: BatchStatus;
  total_paise: number;
  staff_count: number;
  created_by: string;
  created_by_name: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  pending_count: number;
  paid_count: number;
  created_at: string;
}

export interface PayoutItem {
  id: string;
  batch_id: string;
  staff_id: string;
  staff_name: string;
  beneficiary_name: string;
  account_number: string | null;
  ifsc: string | null;
  upi_id: string | null;
  amount_paise: number;
  line_count: number;
  status: ItemStatus;
  bank_reference: string | null;
  failure_reason: string | null;
  paid_at: string | null;
}

export interface RateCard {
  id: string;
  zone_id: string | null;
  zone_name: string | null;
  effective_from: string;
  effective_to: string | null;
  base_per_drop_paise: number;
  per_litre_paise: number;
  on_time_bonus_paise: number;
  failure_deduction_paise: number;
  failed_attempt_paise: number;
  morning_start: string;
  morning_end: string;
  evening_start: string;
  evening_end: string;
  note: string;
  lines: number;
}

export interface EarningsSummary {
  staff: { id: string; name: string; zone_id: string | null; zone_name: string | null };
  month: string;
  from: string;
  to: string;
  drops: number;
  litres: number;
  on_time: number;
  on_time_rate: number | null;
  failures: number;
  failures_staff_fault: number;
  total_paise: number;
  paid_paise: number;
  unpaid_paise: number;
  by_type: Record<string, number>;
  days: { day: string; drops: number; failures: number; on_time: number; amount_paise: number }[];
  zone_staff: { staff_id: string; name: string; drops: number; litres: number; on_time_rate: number | null; failures: number; total_paise: number }[];
}

export const typeLabels: Record<EarningsType, string> = {
  base: 'Per drop',
  litres: 'Per litre',
  on_time: 'On-time bonus',
  attempt: 'Failed attempt',
  failure_deduction: 'Failure deduction',
  adjustment: 'Adjustment',
};
export const batchStatusLabels: Record<BatchStatus, string> = { draft: 'Draft', approved: 'Approved', paid: 'Paid', failed: 'Failed', reversed: 'Reversed' };
const batchColors: Record<BatchStatus, string> = { draft: 'default', approved: 'blue', paid: 'green', failed: 'red', reversed: 'orange' };
const itemColors: Record<ItemStatus, string> = { pending: 'default', paid: 'green', failed: 'red', reversed: 'orange' };

export const BatchStatusTag = ({ status }: { status: BatchStatus }) => <Tag color={batchColors[status]}>{batchStatusLabels[status]}</Tag>;
export const ItemStatusTag = ({ status }: { status: ItemStatus }) => <Tag color={itemColors[status]}>{status}</Tag>;
export const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** "2026-11-01" or "2026-11" as "November 2026". */
export const monthLabel = (month: string) => dayjs(`${month.slice(0, 7)}-01`).format('MMMM YYYY');
/** The month before the current one (IST is close enough for a default): the one usually reviewed and paid. */
export const lastMonth = () => dayjs().subtract(1, 'month').format('YYYY-MM');
export const staffMonthPath = (staffId: string, month?: string) => `/field/earnings/staff/${staffId}${month ? `?month=${month.slice(0, 7)}` : ''}`;

/** Where a transfer goes: the account and IFSC, or the UPI id (as the API answers them: masked for roles that do not pay). */
export const destination = (i: Pick<PayoutItem, 'account_number' | 'ifsc' | 'upi_id'>) => (i.account_number ? `A/c ${i.account_number} · ${i.ifsc}` : i.upi_id ? `UPI ${i.upi_id}` : '—');
