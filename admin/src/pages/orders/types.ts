import type { Shift } from '../subscriptions/types';

export type OrderStatus = 'pending' | 'delivered' | 'partially_delivered' | 'failed' | 'cancelled';
export type OrderKind = 'subscription' | 'one_time';
export type PaymentMethod = 'postpaid' | 'cash' | 'upi' | 'card' | 'wallet';
export type DeliveryStatus = 'pending' | 'delivered' | 'partial' | 'failed';

export interface Order {
  id: string;
  customer_id: string;
  customer_name: string;
  address_id: string;
  zone_id: string | null;
  zone_name: string | null;
  kind: OrderKind;
  subscription_id: string | null;
  delivery_date: string;
  shift: Shift;
  status: OrderStatus;
  payment_method: PaymentMethod;
  total_paise: number;
  note: string;
  item_count: number;
  delivery_id: string | null;
  delivery_status: DeliveryStatus | null;
  staff_id: string | null;
  staff_name: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderItem {
  id: string;
  order_id: string;
  product_id: string;
  product_name: string;
  quantity: number;
  unit_price_paise: number;
  amount_paise: number;
  created_at: string;
}

export interface GenerateResult {
  orders_created: number;
  items_created: number;
  deliveries_created: number;
}
