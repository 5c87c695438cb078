// One normaliser per collection: a raw export document in, a typed Milkrun-shaped value out, or a
// LegacyValueError saying why it cannot be read. Pure, so the planning pass and the writing pass agree.
import { catalogMapping, type CatalogMapping } from './legacy.catalog.js';
import type { LegacyDoc } from './legacy.read.js';
import {
  addressOf,
  dayOf,
  deliveryStatusOf,
  instantOf,
  isMissing,
  LegacyValueError,
  locationOf,
  oidOf,
  orderKindOf,
  orderStatusOf,
  paiseOf,
  paymentMethodOf,
  phoneOf,
  quantityOf,
  refOf,
  textOf,
  uuidOf,
} from './legacy.values.js';

export interface LegacyIds {
  oid: string | null;
  uuid: string | null;
}

/** Both id forms of a document; at least one must be readable. */
export function idsOf(doc: LegacyDoc): LegacyIds {
  const oid = oidOf(doc._id);
  const uuid = uuidOf(doc.id) ?? uuidOf(doc._id);
  if (!oid && !uuid) throw new LegacyValueError('no readable _id or id');
  return { oid, uuid };
}

export const legacyLabel = (ids: LegacyIds) => ids.uuid ?? ids.oid ?? null;

const nameOf = (doc: LegacyDoc, what = 'name') => {
  const name = textOf(doc.name).replace(/\s+/g, ' ');
  if (!name) throw new LegacyValueError(`${what} is missing`);
  return name.slice(0, 120);
};

const activeOf = (v: unknown) => !(v === false || v === 'false' || v === 0 || v === 'inactive');

export interface ProductDoc extends LegacyIds, CatalogMapping {
  name: string;
  price_paise: number;
  is_active: boolean;
  created_at: Date | null;
}

export function productDoc(doc: LegacyDoc): ProductDoc {
  const ids = idsOf(doc);
  const name = nameOf(doc);
  return {
    ...ids,
    name,
    price_paise: paiseOf(doc.price, 'price'),
    ...catalogMapping(name, textOf(doc.category), textOf(doc.unit)),
    is_active: activeOf(doc.is_active),
    created_at: instantOf(doc.created_at),
  };
}

export interface StaffDoc extends LegacyIds {
  name: string;
  phone: string;
  area: string;
  is_active: boolean;
}

export function staffDoc(doc: LegacyDoc): StaffDoc {
  return { ...idsOf(doc), name: nameOf(doc), phone: phoneOf(doc.phone), area: textOf(doc.area), is_active: activeOf(doc.is_active) };
}

export interface CustomerDoc extends LegacyIds {
  name: string;
  phone: string;
  area: string;
  line1: string;
  city: string | null;
  pin_code: string;
  lat: number | null;
  lng: number | null;
  user_ref: string | null;
  has_user_id: boolean;
  created_at: Date | null;
}

export function customerDoc(doc: LegacyDoc): CustomerDoc {
  const ids = idsOf(doc);
  const name = nameOf(doc);
  const phone = phoneOf(doc.phone);
  const address = addressOf(doc.address);
  const loc = locationOf(doc.location);
  return {
    ...ids,
    name,
    phone,
    area: textOf(doc.area),
    ...address,
    lat: loc?.lat ?? null,
    lng: loc?.lng ?? null,
    user_ref: refOf(doc.user_id),
    has_user_id: !isMissing(doc.user_id),
    created_at: instantOf(doc.created_at),
  };
}

export interface SubscriptionDoc extends LegacyIds {
  customer_ref: string;
  product_ref: string;
  quantity: number;
  schedule: 'daily' | 'alternate';
  start_date: string;
  status: 'active' | 'paused' | 'cancelled';
  created_at: Date | null;
  updated_at: Date | null;
}

export function subscriptionDoc(doc: LegacyDoc): SubscriptionDoc {
  const ids = idsOf(doc);
  const customer_ref = refOf(doc.customer_id);
  if (!customer_ref) throw new LegacyValueError('customer_id is missing or unreadable');
  const product_ref = refOf(doc.product_id);
  if (!product_ref) throw new LegacyValueError('product_id is missing or unreadable');
  const quantity = quantityOf(doc.quantity);
  if (quantity < 1 || quantity > 100) throw new LegacyValueError(`quantity ${quantity} is not between 1 and 100`);
  const freq = textOf(doc.frequency).toLowerCase().replace(/[\s-]+/g, '_');
  const schedule = freq === 'daily' ? 'daily' : freq === 'alternate' || freq === 'alternate_days' || freq === 'alternate_day' ? 'alternate' : null;
  if (!schedule) throw new LegacyValueError(`frequency "${textOf(doc.frequency)}" is not daily or alternate`);
  const st = textOf(doc.status).toLowerCase() || 'active';
  const status = st === 'active' ? 'active' : st === 'paused' ? 'paused' : ['cancelled', 'canceled', 'inactive', 'stopped', 'ended', 'expired'].includes(st) ? 'cancelled' : null;
  if (!status) throw new LegacyValueError(`status "${st}" is not active, paused or cancelled`);
  return {
    ...ids,
    customer_ref,
    product_ref,
    quantity,
    schedule,
    start_date: dayOf(doc.start_date, 'start_date'),
    status,
    created_at: instantOf(doc.created_at),
    updated_at: instantOf(doc.updated_at),
  };
}

export interface OrderItemDoc {
  product_ref: string;
  quantity: number;
  unit_price_paise: number;
}

export interface OrderDoc extends LegacyIds {
  customer_ref: string;
  kind: 'subscription' | 'one_time';
  subscription_ref: string | null;
  items: OrderItemDoc[];
  value_paise: number;
  day: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  raw_status: string;
  payment_method: 'postpaid' | 'cash' | 'upi' | 'card' | 'wallet';
  created_at: Date | null;
  total_differs: boolean;
}

export function orderDoc(doc: LegacyDoc): OrderDoc {
  const ids = idsOf(doc);
  const customer_ref = refOf(doc.customer_id);
  if (!customer_ref) throw new LegacyValueError('customer_id is missing or unreadable');
  const kind = orderKindOf(doc.order_type);
  if (!Array.isArray(doc.items)) throw new LegacyValueError('items is not a list');
  // One line per product (order_items is unique on it): repeated lines of one product at one price are added up.
  const byProduct = new Map<string, OrderItemDoc>();
  doc.items.forEach((raw, i) => {
    const item = (raw ?? {}) as LegacyDoc;
    const product_ref = refOf(item.product_id);
    if (!product_ref) throw new LegacyValueError(`items[${i}].product_id is missing or unreadable`);
    const quantity = quantityOf(item.quantity, `items[${i}].quantity`);
    const unit_price_paise = paiseOf(item.price, `items[${i}].price`);
    if (quantity === 0) return;
    const same = byProduct.get(product_ref);
    if (same && same.unit_price_paise !== unit_price_paise) throw new LegacyValueError(`product ${product_ref} appears twice at different prices`);
    if (same) same.quantity += quantity;
    else byProduct.set(product_ref, { product_ref, quantity, unit_price_paise });
  });
  const items = [...byProduct.values()];
  if (!items.length) throw new LegacyValueError('the order has no items with a quantity');
  const value_paise = items.reduce((s, it) => s + it.quantity * it.unit_price_paise, 0);
  let total_differs = false;
  if (!isMissing(doc.total_amount)) {
    try {
      total_differs = paiseOf(doc.total_amount, 'total_amount') !== value_paise;
    } catch {
      total_differs = true;
    }
  }
  return {
    ...ids,
    customer_ref,
    kind,
    subscription_ref: refOf(doc.subscription_id),
    items,
    value_paise,
    day: dayOf(doc.delivery_date, 'delivery_date'),
    status: orderStatusOf(doc.status),
    raw_status: textOf(doc.status),
    payment_method: kind === 'one_time' ? paymentMethodOf(doc.payment_method) : 'postpaid',
    created_at: instantOf(doc.created_at),
    total_differs,
  };
}

export interface DeliveryRowDoc {
  oid: string | null;
  order_ref: string | null;
  customer_ref: string | null;
  staff_ref: string | null;
  status: 'delivered' | 'failed' | 'pending';
  day: string | null;
  at: number;
}

export function deliveryRowDoc(doc: LegacyDoc): DeliveryRowDoc {
  const oid = oidOf(doc._id);
  const order_ref = refOf(doc.order_id);
  if (!isMissing(doc.order_id) && !order_ref) throw new LegacyValueError(`order_id ${JSON.stringify(doc.order_id)} is unreadable`);
  const rawDay = isMissing(doc.date) ? doc.delivery_date : doc.date;
  const day = isMissing(rawDay) ? null : dayOf(rawDay, 'date');
  const customer_ref = refOf(doc.customer_id);
  if (!order_ref && (!day || !customer_ref)) throw new LegacyValueError('a row without order_id needs customer_id and date');
  const at = instantOf(doc.updated_at)?.getTime();
  return { oid, order_ref, customer_ref, staff_ref: refOf(doc.delivery_boy_id), status: deliveryStatusOf(doc.status), day, at: at ?? Number.POSITIVE_INFINITY };
}

export interface BillingDoc {
  oid: string | null;
  customer_ref: string | null;
  order_ref: string | null;
  month: string;
  amount_paise: number;
}

export function billingDoc(doc: LegacyDoc): BillingDoc {
  const oid = oidOf(doc._id);
  const order_ref = refOf(doc.order_id);
  if (!isMissing(doc.order_id) && !order_ref) throw new LegacyValueError(`order_id ${JSON.stringify(doc.order_id)} is unreadable`);
  const rawMonth = textOf(doc.month);
  const month = /^\d{4}-\d{2}$/.test(rawMonth) ? rawMonth : dayOf(doc.month, 'month').slice(0, 7);
  return { oid, customer_ref: refOf(doc.customer_id), order_ref, month, amount_paise: paiseOf(doc.amount, 'amount') };
}

export const reasonOf = (err: unknown) => (err instanceof LegacyValueError ? err.message : `unexpected: ${(err as Error)?.message ?? String(err)}`);
