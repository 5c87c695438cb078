// Pass 1: stream every collection once, keep compact indexes, and work out what the old data says:
// who exists, which delivery row belongs to which order, which orders the old system billed. Nothing is written.
import { todayIST } from '../../lib/dates.js';
import {
  billingDoc,
  customerDoc,
  deliveryRowDoc,
  idsOf,
  legacyLabel,
  orderDoc,
  productDoc,
  reasonOf,
  staffDoc,
  subscriptionDoc,
  type ProductDoc,
  type StaffDoc,
} from './legacy.docs.js';
import { float64, int32, IntList, LegacyIndex, uint16, uint8 } from './legacy.index.js';
import { hasCollection, readCollection } from './legacy.read.js';
import { dayNumber, LegacyValueError, oidOf, textOf, uuidOf } from './legacy.values.js';

const refuse = (reason: string): never => {
  throw new LegacyValueError(reason);
};

export const COLLECTIONS = ['users', 'areas', 'products', 'delivery_boys_v2', 'customers_v2', 'subscriptions_v2', 'orders', 'delivery_statuses', 'billing_records'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface CollectionCount {
  read: number;
  imported: number;
  rejected: number;
  /** Already imported by an earlier run (found in legacy_ids). */
  already_imported: number;
  /** Matched to a record that already existed (same product name, same phone) instead of creating one. */
  linked_existing: number;
  /** Read and deliberately not imported as data: users, anomalies, rows of orders set aside. */
  skipped: number;
}

export interface Rejection {
  collection: Collection;
  legacy_id: string | null;
  line: number | null;
  reason: string;
}

export type Progress = (message: string) => void;

// Order states and codes kept per order in typed columns.
export const ORDER = { ok: 1, rejected: 2, orphan: 3 } as const;
export const STATUS = { pending: 0, delivered: 1, failed: 2, cancelled: 3 } as const;
const statusCode = { pending: 0, delivered: 1, failed: 2, cancelled: 3 } as const;
export const LINK = { none: 0, order_id: 1, customer_and_date: 2 } as const;
export const CUSTOMER = { ok: 1, rejected: 2, merged: 3 } as const;

export interface PhantomRow {
  row: number;
  oid: string | null;
  customer_id: string | null;
  order_id: string | null;
  date: string | null;
  status: string;
  reason: string;
}

export interface OrphanOrder {
  order: number;
  customer_id: string;
  date: string;
  status: string;
  kind: string;
  value_paise: number;
}

export interface UnmatchedBilling {
  oid: string | null;
  customer_id: string | null;
  order_id: string | null;
  month: string;
  amount_paise: number;
  reason: string;
}

const emptyCount = (): CollectionCount => ({ read: 0, imported: 0, rejected: 0, already_imported: 0, linked_existing: 0, skipped: 0 });

const monthKey = (cust: number, month: string) => cust * 100_000 + Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
// Customer + day of a delivery drop; customers the export does not have get negative numbers.
const dayKey = (cust: number, day: number) => (cust + 1_000_000_000) * 65_536 + day;

export class LegacyPlan {
  readonly counts = Object.fromEntries(COLLECTIONS.map((c) => [c, emptyCount()])) as Record<Collection, CollectionCount>;
  readonly present = new Set<Collection>();
  readonly rejections: Rejection[] = [];
  readonly notes: string[] = [];

  // users: only link targets (Milkrun users are staff of the business, not its customers).
  readonly users = new LegacyIndex();
  readonly userEmails: (string | null)[] = [];

  /** Area names, by lower case, as the export first spelt them. */
  readonly zoneNames = new Map<string, string>();
  readonly areaNames: string[] = [];

  readonly products = new LegacyIndex();
  readonly productDocs: ProductDoc[] = [];

  readonly staff = new LegacyIndex();
  readonly staffDocs: (StaffDoc | null)[] = [];

  readonly customers = new LegacyIndex();
  /** Line of each indexed document, so the writing pass knows it is reading the same one (not a duplicate id). */
  readonly customerLine = int32();
  readonly customerState = uint8();
  readonly customerMergeTarget = int32(-1);
  readonly customerRejectReason = new Map<number, string>();
  readonly customersWithoutUser = new IntList();
  customersWithUnknownUser = 0;
  private readonly phones = new Map<number, number>();
  private readonly strangers = new LegacyIndex();

  readonly subscriptions = new LegacyIndex();
  readonly subscriptionLine = int32();
  readonly subscriptionOk = uint8();
  readonly subscriptionCustomer = int32(-1);

  readonly orders = new LegacyIndex();
  readonly orderLine = int32();
  readonly orderState = uint8();
  readonly orderCustomer = int32(-1);
  readonly orderDay = int32();
  readonly orderStatus = uint8();
  readonly orderOneTime = uint8();
  readonly orderValue = float64();
  /** The subscription the order can be linked to in Milkrun, or -1 (unknown, another customer's, or that day taken). */
  readonly orderSubscription = int32(-1);
  private readonly orderNextSameDay = int32(-1);
  private readonly sameDayHead = new Map<number, number>();
  private readonly subscriptionDays = new Set<number>();
  readonly orphans: OrphanOrder[] = [];
  subscriptionOrdersUnlinked = 0;
  ordersTotalDiffers = 0;

  // Delivery rows: the earliest mark of an order is its delivery; later ones are duplicate marks.
  readonly rows = new LegacyIndex();
  readonly orderMarks = uint16();
  readonly orderPrimaryRow = int32(-1);
  readonly orderPrimaryAt = float64(Number.POSITIVE_INFINITY);
  readonly orderLink = uint8();
  readonly orderRowStatus = uint8();
  readonly orderStaff = int32(-1);
  readonly duplicates = new IntList(); // pairs: row, order
  readonly phantoms: PhantomRow[] = [];

  readonly orderBilled = uint8(); // 1 = a billing record names this order
  private readonly subscriptionBilled = new Set<number>();
  readonly unmatchedBilling: UnmatchedBilling[] = [];
  ordersBilledTwice = 0;

  constructor(
    readonly dir: string,
    readonly today = todayIST(),
  ) {}

  reject(collection: Collection, legacy_id: string | null, line: number | null, reason: string) {
    this.counts[collection].rejected++;
    this.rejections.push({ collection, legacy_id, line, reason });
  }

  private async *lines(collection: Collection, progress?: Progress) {
    if (!hasCollection(this.dir, collection)) {
      if (collection !== 'areas') this.notes.push(`${collection}.json is not in the export: nothing read from it.`);
      return;
    }
    this.present.add(collection);
    const count = this.counts[collection];
    for await (const l of readCollection(this.dir, collection)) {
      count.read++;
      if (progress && count.read % 50_000 === 0) progress(`reading ${collection}: ${count.read.toLocaleString('en-IN')} documents`);
      if (l.error !== undefined) {
        this.reject(collection, l.oid, l.line, l.error);
        continue;
      }
      yield { line: l.line, doc: l.doc };
    }
  }

  private addZone(name: string) {
    const clean = name.replace(/\s+/g, ' ').trim().slice(0, 80);
    if (clean && !this.zoneNames.has(clean.toLowerCase())) this.zoneNames.set(clean.toLowerCase(), clean);
  }

  /** Reads the whole export once. */
  async scan(progress?: Progress) {
    await this.scanUsers(progress);
    for await (const { doc } of this.lines('areas', progress)) {
      const name = textOf(doc.name ?? doc.area);
      if (name) {
        this.addZone(name);
        this.areaNames.push(name);
      }
      else this.reject('areas', oidOf(doc._id), null, 'name is missing');
    }
    await this.scanProducts(progress);
    await this.scanStaff(progress);
    await this.scanCustomers(progress);
    await this.scanSubscriptions(progress);
    await this.scanOrders(progress);
    await this.scanDeliveryRows(progress);
    await this.scanBilling(progress);
    progress?.(`read the export: ${COLLECTIONS.filter((c) => this.present.has(c)).map((c) => `${c} ${this.counts[c].read}`).join(', ')}`);
  }

  private async scanUsers(progress?: Progress) {
    for await (const { line, doc } of this.lines('users', progress)) {
      try {
        const ids = idsOf(doc);
        const i = this.users.add(ids.oid, ids.uuid);
        if (i < 0) refuse('duplicate _id or id');
        const email = textOf(doc.email).toLowerCase();
        this.userEmails[i] = /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
        this.counts.users.skipped++;
      } catch (err) {
        this.reject('users', oidOf(doc._id), line, reasonOf(err));
      }
    }
  }

  private async scanProducts(progress?: Progress) {
    for await (const { line, doc } of this.lines('products', progress)) {
      try {
        const p = productDoc(doc);
        if (this.products.add(p.oid, p.uuid) < 0) {
          this.reject('products', legacyLabel(p), line, 'duplicate _id or id');
          continue;
        }
        this.productDocs.push(p);
      } catch (err) {
        this.reject('products', oidOf(doc._id), line, reasonOf(err));
      }
    }
  }

  private async scanStaff(progress?: Progress) {
    for await (const { line, doc } of this.lines('delivery_boys_v2', progress)) {
      let i = -1;
      try {
        const ids = idsOf(doc);
        i = this.staff.add(ids.oid, ids.uuid);
        if (i < 0) {
          this.reject('delivery_boys_v2', legacyLabel(ids), line, 'duplicate _id or id');
          continue;
        }
        const s = staffDoc(doc);
        this.staffDocs[i] = s;
        if (s.area) this.addZone(s.area);
      } catch (err) {
        if (i >= 0) this.staffDocs[i] = null;
        this.reject('delivery_boys_v2', oidOf(doc._id) ?? uuidOf(doc.id), line, reasonOf(err));
      }
    }
  }

  private async scanCustomers(progress?: Progress) {
    for await (const { line, doc } of this.lines('customers_v2', progress)) {
      let i = -1;
      try {
        // Indexed as soon as its id is readable, so its orders are "of a rejected customer", not orphans.
        const ids = idsOf(doc);
        i = this.customers.add(ids.oid, ids.uuid);
        if (i < 0) {
          this.reject('customers_v2', legacyLabel(ids), line, 'duplicate _id or id');
          continue;
        }
        this.customerLine.set(i, line);
        if (!doc.user_id) this.customersWithoutUser.push(i);
        else if (this.users.find(oidOf(doc.user_id) ?? uuidOf(doc.user_id)) < 0) this.customersWithUnknownUser++;
        const c = customerDoc(doc);
        const digits = Number(c.phone.slice(3));
        const first = this.phones.get(digits);
        if (first !== undefined) {
          // Same number as an earlier customer of the export: one Milkrun customer, this one's address added to it.
          this.customerState.set(i, CUSTOMER.merged);
          this.customerMergeTarget.set(i, first);
        } else {
          this.phones.set(digits, i);
          this.customerState.set(i, CUSTOMER.ok);
        }
        this.addZone(c.area || 'Unassigned');
      } catch (err) {
        const reason = reasonOf(err);
        if (i >= 0) {
          this.customerState.set(i, CUSTOMER.rejected);
          this.customerRejectReason.set(i, reason);
        }
        this.reject('customers_v2', oidOf(doc._id) ?? uuidOf(doc.id), line, reason);
      }
    }
  }

  /** A customer that can be imported: read fine, or merged into one that was. */
  customerImportable(c: number): boolean {
    const st = this.customerState.get(c);
    if (st === CUSTOMER.ok) return true;
    return st === CUSTOMER.merged && this.customerState.get(this.customerMergeTarget.get(c)) === CUSTOMER.ok;
  }

  private async scanSubscriptions(progress?: Progress) {
    for await (const { line, doc } of this.lines('subscriptions_v2', progress)) {
      let i = -1;
      try {
        const ids = idsOf(doc);
        i = this.subscriptions.add(ids.oid, ids.uuid);
        if (i < 0) {
          this.reject('subscriptions_v2', legacyLabel(ids), line, 'duplicate _id or id');
          continue;
        }
        this.subscriptionLine.set(i, line);
        const s = subscriptionDoc(doc);
        const c = this.customers.find(s.customer_ref);
        if (c < 0) refuse(`customer ${s.customer_ref} is not in the export`);
        if (!this.customerImportable(c)) refuse(`customer ${s.customer_ref} was rejected`);
        if (this.products.find(s.product_ref) < 0) refuse(`product ${s.product_ref} is not in the export`);
        this.subscriptionOk.set(i, 1);
        this.subscriptionCustomer.set(i, c);
      } catch (err) {
        this.reject('subscriptions_v2', legacyLabel({ oid: oidOf(doc._id), uuid: uuidOf(doc.id) }), line, reasonOf(err));
      }
    }
  }

  private async scanOrders(progress?: Progress) {
    for await (const { line, doc } of this.lines('orders', progress)) {
      let i = -1;
      try {
        const ids = idsOf(doc);
        i = this.orders.add(ids.oid, ids.uuid);
        if (i < 0) {
          this.reject('orders', legacyLabel(ids), line, 'duplicate _id or id');
          continue;
        }
        this.orderLine.set(i, line);
        const o = orderDoc(doc);
        for (const it of o.items) if (this.products.find(it.product_ref) < 0) refuse(`product ${it.product_ref} is not in the export`);
        // The database refuses a delivery dated after today (deliveries_not_in_future).
        if (o.status !== 'pending' && o.status !== 'cancelled' && o.day > this.today) refuse(`marked ${o.status} for ${o.day}, a day that has not come yet`);
        const day = dayNumber(o.day);
        let c = this.customers.find(o.customer_ref);
        this.orderDay.set(i, day);
        this.orderStatus.set(i, statusCode[o.status]);
        this.orderOneTime.set(i, o.kind === 'one_time' ? 1 : 0);
        this.orderValue.set(i, o.value_paise);
        if (o.total_differs) this.ordersTotalDiffers++;
        if (c < 0) {
          // An orphan: its customer is not in the export. Set aside with everything that hangs off it.
          let s = this.strangers.find(o.customer_ref);
          if (s < 0) s = this.strangers.add(o.customer_ref.length === 24 ? o.customer_ref : null, o.customer_ref.length === 36 ? o.customer_ref : null);
          c = -1 - s;
          this.orderState.set(i, ORDER.orphan);
          this.orphans.push({ order: i, customer_id: o.customer_ref, date: o.day, status: o.raw_status, kind: o.kind, value_paise: o.value_paise });
        } else {
          this.orderState.set(i, ORDER.ok);
          if (o.kind === 'subscription') {
            const s = this.subscriptions.find(o.subscription_ref);
            const key = s * 100_000 + day;
            if (s >= 0 && this.subscriptionOk.get(s) && this.subscriptionCustomer.get(s) === c && !this.subscriptionDays.has(key)) {
              this.subscriptionDays.add(key);
              this.orderSubscription.set(i, s);
            } else this.subscriptionOrdersUnlinked++;
          }
        }
        this.orderCustomer.set(i, c);
        const k = dayKey(c, day);
        const head = this.sameDayHead.get(k);
        if (head !== undefined) this.orderNextSameDay.set(i, head);
        this.sameDayHead.set(k, i);
      } catch (err) {
        if (i >= 0) this.orderState.set(i, ORDER.rejected);
        this.reject('orders', legacyLabel({ oid: oidOf(doc._id), uuid: uuidOf(doc.id) }), line, reasonOf(err));
      }
    }
  }

  private customerKey(ref: string | null): number | null {
    if (!ref) return null;
    const c = this.customers.find(ref);
    if (c >= 0) return c;
    const s = this.strangers.find(ref);
    return s >= 0 ? -1 - s : null;
  }

  private mark(order: number, row: number, at: number, link: number, status: number, staff: number) {
    this.orderMarks.set(order, this.orderMarks.get(order) + 1);
    const current = this.orderPrimaryRow.get(order);
    // The earliest mark is the delivery (file order breaks ties); every other row for the order is a duplicate mark.
    if (current >= 0 && at >= this.orderPrimaryAt.get(order)) {
      this.duplicates.push(row, order);
      return;
    }
    if (current >= 0) this.duplicates.push(current, order);
    this.orderPrimaryRow.set(order, row);
    this.orderPrimaryAt.set(order, at);
    this.orderLink.set(order, link);
    this.orderRowStatus.set(order, status);
    this.orderStaff.set(order, staff);
  }

  private async scanDeliveryRows(progress?: Progress) {
    for await (const { line, doc } of this.lines('delivery_statuses', progress)) {
      try {
        const r = deliveryRowDoc(doc);
        const row = this.rows.add(r.oid, null);
        if (row < 0) refuse('duplicate _id');
        const status = r.status === 'delivered' ? STATUS.delivered : r.status === 'failed' ? STATUS.failed : STATUS.pending;
        const staff = this.staff.find(r.staff_ref);
        const phantom = (reason: string) =>
          this.phantoms.push({ row, oid: r.oid, customer_id: r.customer_ref, order_id: r.order_ref, date: r.day, status: textOf(doc.status), reason });
        if (r.order_ref) {
          // A row with order_id covers that order alone.
          const o = this.orders.find(r.order_ref);
          if (o < 0) phantom('its order_id points at no order of the export');
          else this.mark(o, row, r.at, LINK.order_id, status, staff);
          continue;
        }
        // A row without order_id covers every order its customer had that day (one drop carries them all).
        const c = this.customerKey(r.customer_ref);
        let o = c === null ? undefined : this.sameDayHead.get(dayKey(c, dayNumber(r.day!)));
        if (o === undefined) {
          phantom('no order of this customer on this day');
          continue;
        }
        for (; o >= 0; o = this.orderNextSameDay.get(o)) this.mark(o, row, r.at, LINK.customer_and_date, status, staff);
      } catch (err) {
        this.reject('delivery_statuses', oidOf(doc._id), line, reasonOf(err));
      }
    }
  }

  private async scanBilling(progress?: Progress) {
    for await (const { line, doc } of this.lines('billing_records', progress)) {
      try {
        const b = billingDoc(doc);
        const unmatched = (reason: string) => {
          this.unmatchedBilling.push({ oid: b.oid, customer_id: b.customer_ref, order_id: b.order_ref, month: b.month, amount_paise: b.amount_paise, reason });
          this.counts.billing_records.skipped++;
        };
        if (b.order_ref) {
          // A one-time order's bill names its order.
          const o = this.orders.find(b.order_ref);
          if (o < 0) unmatched('its order_id points at no order of the export');
          else {
            if (this.orderBilled.get(o)) this.ordersBilledTwice++;
            this.orderBilled.set(o, 1);
            this.counts.billing_records.imported++;
          }
          continue;
        }
        // Subscription orders were billed monthly per customer: a record without order_id.
        const c = b.customer_ref ? this.customers.find(b.customer_ref) : -1;
        if (c < 0) unmatched('its customer is not in the export');
        else {
          this.subscriptionBilled.add(monthKey(c, b.month));
          this.counts.billing_records.imported++;
        }
      } catch (err) {
        this.reject('billing_records', oidOf(doc._id), line, reasonOf(err));
      }
    }
  }

  // ---- what the old data says, per order ----

  /** Readable, and its customer is in the export (imported or not): the orders the anomalies speak of. */
  counted(o: number): boolean {
    return this.orderState.get(o) === ORDER.ok;
  }

  /** Final outcome: the order's own status; a pending order with a delivery row takes the row's. */
  outcome(o: number): number {
    const s = this.orderStatus.get(o);
    if (s === STATUS.pending && this.orderPrimaryRow.get(o) >= 0 && this.orderRowStatus.get(o) !== STATUS.pending) return this.orderRowStatus.get(o);
    return s;
  }

  /** Billed by the old system: a bill names the order, or (subscription orders) the customer has the month's bill. */
  legacyBilled(o: number): boolean {
    if (this.orderBilled.get(o)) return true;
    if (this.orderOneTime.get(o)) return false;
    const c = this.orderCustomer.get(o);
    const day = new Date(this.orderDay.get(o) * 86_400_000).toISOString();
    return c >= 0 && this.subscriptionBilled.has(monthKey(c, day.slice(0, 7)));
  }

  /** The anomalies of the issue, computed from the export alone (the same on every run). */
  anomalies() {
    const a = {
      customers_without_user_id: this.customersWithoutUser.length,
      orphan_orders: this.orphans.length,
      phantom_deliveries: this.phantoms.length,
      duplicate_delivery_marks: 0,
      orders_delivery_linked_by_order_id: 0,
      orders_delivery_linked_by_customer_and_date: 0,
      delivered_one_time_orders: 0,
      unbilled_delivered_one_time_orders: 0,
      unbilled_delivered_one_time_paise: 0,
      delivered_value_paise: 0,
    };
    const extra = {
      delivered_orders_without_delivery_row: 0,
      pending_orders_with_delivery_row: 0,
      unbilled_delivered_subscription_orders: 0,
      unbilled_delivered_subscription_paise: 0,
      subscription_orders_without_subscription_link: this.subscriptionOrdersUnlinked,
      orders_total_amount_differs_from_items: this.ordersTotalDiffers,
      orders_billed_twice: this.ordersBilledTwice,
      unmatched_billing_records: this.unmatchedBilling.length,
      customers_with_unknown_user_id: this.customersWithUnknownUser,
      customers_merged_by_phone: 0,
    };
    for (let i = 0; i < this.customers.size; i++) if (this.customerState.get(i) === CUSTOMER.merged) extra.customers_merged_by_phone++;
    for (let i = 0; i < this.duplicates.length; i += 2) if (this.counted(this.duplicates.at(i + 1))) a.duplicate_delivery_marks++;
    for (let o = 0; o < this.orders.size; o++) {
      if (!this.counted(o)) continue;
      const outcome = this.outcome(o);
      if (this.orderStatus.get(o) === STATUS.pending && this.orderMarks.get(o) > 0) extra.pending_orders_with_delivery_row++;
      if (outcome !== STATUS.delivered && outcome !== STATUS.failed) continue;
      const link = this.orderLink.get(o);
      if (this.orderPrimaryRow.get(o) < 0) {
        if (outcome === STATUS.delivered) extra.delivered_orders_without_delivery_row++;
      } else if (link === LINK.order_id) a.orders_delivery_linked_by_order_id++;
      else a.orders_delivery_linked_by_customer_and_date++;
      if (outcome !== STATUS.delivered) continue;
      const value = this.orderValue.get(o);
      a.delivered_value_paise += value;
      const billed = this.legacyBilled(o);
      if (this.orderOneTime.get(o)) {
        a.delivered_one_time_orders++;
        if (!billed) {
          a.unbilled_delivered_one_time_orders++;
          a.unbilled_delivered_one_time_paise += value;
        }
      } else if (!billed) {
        extra.unbilled_delivered_subscription_orders++;
        extra.unbilled_delivered_subscription_paise += value;
      }
    }
    return { anomalies: a, other_findings: extra };
  }

  /** Bytes held by the compact indexes (the memory the plan needs grows ~60 bytes per document). */
  get indexBytes() {
    return (
      this.users.bytes +
      this.products.bytes +
      this.staff.bytes +
      this.customers.bytes +
      this.subscriptions.bytes +
      this.orders.bytes +
      this.rows.bytes +
      [this.orderState, this.orderCustomer, this.orderDay, this.orderStatus, this.orderOneTime, this.orderValue, this.orderSubscription, this.orderNextSameDay, this.orderMarks, this.orderPrimaryRow, this.orderPrimaryAt, this.orderLink, this.orderRowStatus, this.orderStaff, this.orderBilled].reduce((s, c) => s + c.bytes, 0)
    );
  }
}
