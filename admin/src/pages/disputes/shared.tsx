import { Space, Tag, Typography } from 'antd';
import { formatDateTime } from '../../format';
import type { Dispute } from '../../../../api/modules/disputes/disputes.schemas';

// Support's disputes (issue 13): records inferred from the API's response schemas (type-only imports).
export type { Dispute, DisputeMessage } from '../../../../api/modules/disputes/disputes.schemas';
export type DisputeStatus = Dispute['status'];
export type DisputePriority = Dispute['priority'];
export type DisputeCategory = Dispute['category'];

export const statusLabels: Record<DisputeStatus, string> = {
  open: 'Open',
  awaiting_customer: 'Awaiting customer',
  awaiting_support: 'Awaiting support',
  resolved: 'Resolved',
  closed: 'Closed',
};
const statusColors: Record<DisputeStatus, string> = { open: 'blue', awaiting_customer: 'gold', awaiting_support: 'volcano', resolved: 'green', closed: 'default' };
export const DisputeStatusTag = ({ status }: { status: DisputeStatus }) => (
  <Tag color={statusColors[status]} data-testid="dispute-status">
    {statusLabels[status]}
  </Tag>
);
export const statusOptions = (Object.keys(statusLabels) as DisputeStatus[]).map((s) => ({ value: s, label: statusLabels[s] }));

const priorityColors: Record<DisputePriority, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };
export const PriorityTag = ({ priority }: { priority: DisputePriority }) => <Tag color={priorityColors[priority]}>{priority}</Tag>;
export const priorityOptions = (Object.keys(priorityColors) as DisputePriority[]).map((p) => ({ value: p, label: p[0].toUpperCase() + p.slice(1) }));

export const categoryLabels: Record<DisputeCategory, string> = {
  missing_delivery: 'Missing delivery',
  short_quantity: 'Short quantity',
  spoilt_product: 'Spoilt product',
  wrong_product: 'Wrong product',
  late_delivery: 'Late delivery',
  billing_error: 'Billing error',
  staff_behaviour: 'Staff behaviour',
  other: 'Other',
};
export const categoryOptions = (Object.keys(categoryLabels) as DisputeCategory[]).map((c) => ({ value: c, label: categoryLabels[c] }));

export const outcomeLabels: Record<string, string> = {
  refund: 'Refund',
  wallet_credit: 'Wallet credit',
  redelivery: 'Redelivery',
  explanation: 'Explanation',
  merged: 'Merged',
};

/** A due time with whether it was met, missed or is still running (paused while the customer has the ball). */
export function DueTag({ due, done, breached, paused }: { due: string | null; done: string | null; breached: boolean; paused?: boolean }) {
  if (paused) return <Tag color="default">paused: awaiting the customer</Tag>;
  if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
  const soon = !done && !breached && new Date(due).getTime() - Date.now() < 3_600_000;
  return (
    <Space size={4} wrap>
      <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(due)}</span>
      {breached ? <Tag color="red">{done ? 'missed' : 'breached'}</Tag> : done ? <Tag color="green">met</Tag> : soon ? <Tag color="orange">due within the hour</Tag> : null}
    </Space>
  );
}
