import type { Shift } from '../subscriptions/types';

export interface RunSheetItem {
  order_item_id: string;
  product_name: string;
  unit_size: string;
  quantity: number;
  delivered_quantity: number | null;
}

export interface RunSheetStop {
  stop_number: number;
  delivery_id: string;
  order_id: string;
  status: string;
  staff_id: string | null;
  staff_name: string | null;
  customer_name: string;
  phone: string;
  address: { line1: string; line2: string; landmark: string; pin_code: string; lat: number | null; lng: number | null };
  items: RunSheetItem[];
}

export interface RunSheet {
  date: string;
  shift: Shift;
  staff: { id: string; name: string } | null;
  stops: RunSheetStop[];
  totals: { product_name: string; unit_size: string; quantity: number }[];
}
