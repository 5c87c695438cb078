import type { DeliveryStatus, OrderKind, OrderStatus } from '../orders/types';
import type { Shift } from '../subscriptions/types';

export interface Delivery {
  id: string;
  order_id: string;
  order_date: string;
  status: DeliveryStatus;
  staff_id: string | null;
  staff_name: string | null;
  customer_id: string;
  customer_name: string;
  customer_phone: string;
  address_id: string;
  address_line: string;
  pin_code: string;
  zone_id: string | null;
  zone_name: string | null;
  delivery_date: string;
  shift: Shift;
  kind: OrderKind;
  order_status: OrderStatus;
  item_count: number;
  delivered_at: string | null;
  delivered_on: string | null;
  lat: number | null;
  lng: number | null;
  proof_note: string;
  failure_reason: string | null;
  confirmed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BillingRecord {
  id: string;
  delivery_item_id: string;
  order_id: string;
  product_id: string;
  product_name: string;
  quantity: number;
  unit_price_paise: number;
  gst_rate_bp: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
  service_date: string;
  invoice_id: string | null;
  invoice_number: string | null;
}

/** The answer of POST /api/deliveries/:id/confirm. */
export interface ConfirmResult extends Delivery {
  billed_total_paise: number;
  items: {
    order_item_id: string;
    product_id: string;
    product_name: string;
    unit_size: string;
    ordered_quantity: number;
    quantity: number;
    unit_price_paise: number;
    gst_rate_bp: number;
    billing_record_id: string | null;
    total_paise: number;
  }[];
}
