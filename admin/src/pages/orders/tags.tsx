import { MoonOutlined, SunOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { CalendarStatus, PauseState, Shift, SubscriptionStatus } from '../subscriptions/types';
import type { DeliveryStatus, OrderKind, OrderStatus } from './types';

// Status tags of the operations pages: one colour per state, the same on every page.

const orderColors: Record<OrderStatus, string> = { pending: 'blue', delivered: 'green', partially_delivered: 'gold', failed: 'red', cancelled: 'default' };
export const OrderStatusTag = ({ status }: { status: OrderStatus }) => <Tag color={orderColors[status]}>{status.replace('_', ' ')}</Tag>;

const deliveryColors: Record<DeliveryStatus, string> = { pending: 'blue', delivered: 'green', partial: 'gold', failed: 'red' };
export const DeliveryStatusTag = ({ status }: { status: DeliveryStatus | null | undefined }) =>
  status ? <Tag color={deliveryColors[status]}>{status}</Tag> : <Tag>no delivery</Tag>;

export const ShiftTag = ({ shift }: { shift: Shift }) =>
  shift === 'morning' ? (
    <Tag icon={<SunOutlined />} color="orange">
      morning
    </Tag>
  ) : (
    <Tag icon={<MoonOutlined />} color="purple">
      evening
    </Tag>
  );

export const KindTag = ({ kind }: { kind: OrderKind }) => (kind === 'one_time' ? <Tag color="geekblue">one-time</Tag> : <Tag color="cyan">subscription</Tag>);

export const SubscriptionStatusTag = ({ status }: { status: SubscriptionStatus }) => <Tag color={status === 'active' ? 'green' : 'default'}>{status}</Tag>;

const pauseColors: Record<PauseState, string> = { upcoming: 'blue', active: 'gold', ended: 'default' };
export const PauseStateTag = ({ state }: { state: PauseState }) => <Tag color={pauseColors[state]}>{state}</Tag>;

/** Calendar day states (GET /api/customers/:id/calendar). */
export const calendarColors: Record<CalendarStatus, string> = {
  scheduled: 'blue',
  pending: 'orange',
  missed: 'volcano',
  delivered: 'green',
  partial: 'lime',
  failed: 'red',
  cancelled: 'default',
  paused: 'gold',
  skipped: 'purple',
};

export const calendarLabels: Record<CalendarStatus, string> = {
  scheduled: 'Scheduled',
  pending: 'Not confirmed',
  missed: 'Missed (no order)',
  delivered: 'Delivered',
  partial: 'Partly delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
  paused: 'Paused',
  skipped: 'Skipped',
};

export const orderStatusOptions = (Object.keys(orderColors) as OrderStatus[]).map((s) => ({ value: s, label: s.replace('_', ' ').replace(/^\w/, (c) => c.toUpperCase()) }));
export const deliveryStatusOptions = (Object.keys(deliveryColors) as DeliveryStatus[]).map((s) => ({ value: s, label: s.replace(/^\w/, (c) => c.toUpperCase()) }));
export const shiftOptions = [
  { value: 'morning', label: 'Morning' },
  { value: 'evening', label: 'Evening' },
];
export const kindOptions = [
  { value: 'subscription', label: 'Subscription' },
  { value: 'one_time', label: 'One-time' },
];
export const paymentMethodOptions = [
  { value: 'postpaid', label: 'Postpaid (monthly invoice)' },
  { value: 'cash', label: 'Cash on delivery' },
  { value: 'upi', label: 'UPI' },
  { value: 'card', label: 'Card' },
  { value: 'wallet', label: 'Wallet' },
];
