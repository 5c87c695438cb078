export type Shift = 'morning' | 'evening';
export type Schedule = 'daily' | 'alternate' | 'weekdays';
export type SubscriptionStatus = 'active' | 'cancelled';

export interface Subscription {
  id: string;
  customer_id: string;
  customer_name: string;
  address_id: string;
  address_line: string | null;
  product_id: string;
  product_name: string;
  quantity: number;
  schedule: Schedule;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday (only meaningful for a weekday schedule). */
  weekdays: number[];
  weekdays_mask: number;
  shift: Shift;
  start_date: string;
  end_date: string | null;
  status: SubscriptionStatus;
  cancelled_at: string | null;
  paused_today: boolean;
  created_at: string;
  updated_at: string;
}

export type PauseState = 'upcoming' | 'active' | 'ended';

export interface Pause {
  id: string;
  subscription_id: string;
  customer_id: string;
  from_date: string;
  to_date: string;
  reason: string;
  state: PauseState;
  created_at: string;
}

/** A one-day change of quantity (0 = skip the day). */
export interface Override {
  id: string;
  subscription_id: string;
  customer_id: string;
  product_name: string;
  date: string;
  quantity: number;
  regular_quantity: number;
  created_at: string;
}

export type CalendarStatus = 'scheduled' | 'pending' | 'missed' | 'delivered' | 'partial' | 'failed' | 'cancelled' | 'paused' | 'skipped';

export interface CalendarEntry {
  kind: 'subscription' | 'one_time';
  subscription_id: string | null;
  order_id: string | null;
  product_id: string;
  product_name: string;
  shift: Shift;
  quantity: number;
  delivered_quantity: number | null;
  status: CalendarStatus;
}

export interface CalendarMonth {
  customer_id: string;
  month: string;
  today: string;
  days: { date: string; entries: CalendarEntry[] }[];
}
