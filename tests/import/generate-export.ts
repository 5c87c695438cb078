// Builds a legacy export (mongoexport NDJSON, the old system's shapes and mess) of any size, streaming it to disk,
// and says what a correct reading of it must find. Deterministic for a seed.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

export interface GeneratorOptions {
  customers: number;
  days: number;
  /** First day, YYYY-MM-DD (a past month). */
  start?: string;
  seed?: number;
}

export interface Expected {
  counts: Record<string, number>;
  anomalies: {
    customers_without_user_id: number;
    orphan_orders: number;
    phantom_deliveries: number;
    duplicate_delivery_marks: number;
    orders_delivery_linked_by_order_id: number;
    orders_delivery_linked_by_customer_and_date: number;
    delivered_one_time_orders: number;
    unbilled_delivered_one_time_orders: number;
    unbilled_delivered_one_time_paise: number;
    delivered_value_paise: number;
  };
  /** Orders that land in Milkrun (all but the orphans). */
  imported_orders: number;
  delivered_orders: number;
  bytes: number;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const hex = (n: number, salt: string) => createHash('sha1').update(`${salt}:${n}`).digest('hex');
const oidFor = (kind: string, n: number) => hex(n, kind).slice(0, 24);
const uuidFor = (kind: string, n: number) => {
  const h = hex(n, `u${kind}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const products = [
  { name: 'Toned Milk 500ml', price: 2800, unit: '500ml', category: 'milk' },
  { name: 'Full Cream Milk 500ml', price: 3400, unit: '500ml', category: 'milk' },
  { name: 'Cow Milk 1L', price: 6200, unit: '1L', category: 'milk' },
  { name: 'Curd 400g', price: 4500, unit: '400g', category: 'dairy' },
  { name: 'Paneer 200g', price: 9000, unit: '200g', category: 'dairy' },
  { name: 'Buttermilk 200ml', price: 1550, unit: '200ml', category: 'dairy' },
  { name: 'Ghee 200ml', price: 15500, unit: '200ml', category: 'dairy' },
  { name: 'Eggs (6)', price: 4800, unit: '6pc', category: 'eggs' },
];
const areas = [
  { name: 'Indiranagar', pin: '560038' },
  { name: 'Koramangala', pin: '560034' },
  { name: 'HSR Layout', pin: '560102' },
  { name: 'Jayanagar', pin: '560041' },
  { name: 'Whitefield', pin: '560066' },
];

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

class Out {
  private streams = new Map<string, WriteStream>();
  bytes = 0;
  constructor(private dir: string) {}
  async write(collection: string, doc: unknown) {
    let s = this.streams.get(collection);
    if (!s) {
      s = createWriteStream(join(this.dir, `${collection}.json`));
      this.streams.set(collection, s);
    }
    const line = `${JSON.stringify(doc)}\n`;
    this.bytes += line.length;
    if (!s.write(line)) await once(s, 'drain');
  }
  async close() {
    for (const s of this.streams.values()) {
      s.end();
      await once(s, 'finish');
    }
  }
}

export async function generateExport(dir: string, opts: GeneratorOptions): Promise<Expected> {
  mkdirSync(dir, { recursive: true });
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const start = opts.start ?? '2026-01-01';
  const out = new Out(dir);
  const counts: Record<string, number> = {};
  const put = async (c: string, doc: unknown) => {
    counts[c] = (counts[c] ?? 0) + 1;
    await out.write(c, doc);
  };
  const money = (paise: number) => {
    const r = rand();
    const rupees = `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
    return r < 0.33 ? paise / 100 : r < 0.66 ? rupees : { $numberDecimal: rupees };
  };
  const dateForm = (day: string) => {
    const r = rand();
    if (r < 0.4) return { $date: `${day}T00:00:00Z` };
    if (r < 0.7) return day;
    if (r < 0.9) return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
    return `${day}T00:00:00`;
  };
  const phoneForm = (n: number) => {
    const d = String(6_000_000_000 + ((n * 7919) % 3_999_999_999));
    const r = rand();
    return r < 0.2 ? `+91 ${d.slice(0, 5)} ${d.slice(5)}` : r < 0.4 ? `+91${d}` : r < 0.6 ? `0${d}` : r < 0.8 ? d : `${d}.0`;
  };
  const ref = (kind: string, n: number) => (rand() < 0.5 ? oidFor(kind, n) : uuidFor(kind, n));

  const a: Expected['anomalies'] = {
    customers_without_user_id: 0,
    orphan_orders: 0,
    phantom_deliveries: 0,
    duplicate_delivery_marks: 0,
    orders_delivery_linked_by_order_id: 0,
    orders_delivery_linked_by_customer_and_date: 0,
    delivered_one_time_orders: 0,
    unbilled_delivered_one_time_orders: 0,
    unbilled_delivered_one_time_paise: 0,
    delivered_value_paise: 0,
  };
  let importedOrders = 0;
  let deliveredOrders = 0;

  for (let p = 0; p < products.length; p++) {
    const pr = products[p];
    await put('products', { _id: { $oid: oidFor('p', p) }, id: uuidFor('p', p), name: pr.name, price: money(pr.price), unit: pr.unit, category: pr.category, ...(p % 3 ? { is_active: true } : {}) });
  }
  for (let b = 0; b < 3; b++) {
    await put('delivery_boys_v2', { _id: { $oid: oidFor('b', b) }, id: uuidFor('b', b), name: `Rider ${b + 1}`, phone: phoneForm(900_000 + b), area: areas[b].name, is_active: true });
  }
  const subs: { c: number; p: number; qty: number; alternate: boolean }[] = [];
  for (let c = 0; c < opts.customers; c++) {
    const area = pick(areas);
    await put('users', { _id: { $oid: oidFor('usr', c) }, id: uuidFor('usr', c), email: `customer${c}@example.in`, name: `Customer ${c}`, phone: phoneForm(c), role: 'customer' });
    const link = rand();
    const doc: Record<string, unknown> = {
      _id: { $oid: oidFor('c', c) },
      id: uuidFor('c', c),
      name: `Customer ${c}`,
      phone: phoneForm(c),
      address: `${1 + (c % 900)}, ${1 + (c % 20)}th Cross, ${area.name}, Bengaluru ${area.pin}`,
      area: area.name,
      location: { lat: 12.9 + rand() / 10, lng: 77.55 + rand() / 10 },
    };
    if (link < 0.1) a.customers_without_user_id++;
    else if (link < 0.15) {
      doc.user_id = null;
      a.customers_without_user_id++;
    } else doc.user_id = ref('usr', c);
    if (rand() < 0.8) doc.created_at = { $date: '2025-06-01T08:00:00Z' };
    await put('customers_v2', doc);
    const s = { c, p: Math.floor(rand() * 3), qty: 1 + Math.floor(rand() * 2), alternate: rand() < 0.3 };
    subs.push(s);
    await put('subscriptions_v2', {
      _id: { $oid: oidFor('s', c) },
      id: uuidFor('s', c),
      customer_id: uuidFor('c', c),
      product_id: uuidFor('p', s.p),
      quantity: s.qty,
      frequency: s.alternate ? 'alternate' : 'daily',
      price: money(products[s.p].price),
      start_date: dateForm(addDays(start, -30)),
      status: 'active',
      created_at: { $date: '2025-11-01T08:00:00Z' },
    });
  }

  let orderNo = 0;
  let rowNo = 0;
  let billNo = 0;
  const order = async (o: { c: number; day: string; sub: boolean; items: { p: number; q: number }[]; status: string; customerKnown: boolean }) => {
    const n = orderNo++;
    const value = o.items.reduce((s, it) => s + it.q * products[it.p].price, 0);
    await put('orders', {
      _id: { $oid: oidFor('o', n) },
      id: uuidFor('o', n),
      customer_id: o.customerKnown ? uuidFor('c', o.c) : uuidFor('ghost', o.c),
      ...(rand() < 0.8 ? { user_id: uuidFor('usr', o.c) } : {}),
      order_type: o.sub ? 'subscription' : rand() < 0.5 ? 'one-time' : 'one_time',
      ...(o.sub ? { subscription_id: uuidFor('s', o.c) } : { payment_method: pick(['upi', 'cod', 'wallet']) }),
      items: o.items.map((it) => ({ product_id: uuidFor('p', it.p), quantity: it.q, price: money(products[it.p].price) })),
      total_amount: money(value),
      delivery_date: dateForm(o.day),
      status: o.status,
      created_at: { $date: `${addDays(o.day, -1)}T20:00:00Z` },
    });
    return { n, value };
  };
  const row = async (r: { c: number; day: string; orderRef: string | null; status: string; at: string }) => {
    const n = rowNo++;
    const dayField = rand() < 0.7 ? { date: dateForm(r.day) } : { delivery_date: r.day };
    await put('delivery_statuses', {
      _id: { $oid: oidFor('r', n) },
      ...(r.orderRef ? { order_id: r.orderRef } : rand() < 0.5 ? { order_id: null } : {}),
      customer_id: uuidFor('c', r.c),
      delivery_boy_id: uuidFor('b', n % 3),
      status: r.status,
      updated_at: { $date: `${r.day}T${r.at}:00Z` },
      ...dayField,
      quantity: 1,
    });
  };

  const month = start.slice(0, 7);
  for (const s of subs) {
    let subDelivered = 0;
    for (let d = 0; d < opts.days; d++) {
      const day = addDays(start, d);
      const dayOrders: { n: number; value: number; sub: boolean }[] = [];
      const fate = rand();
      const status = fate < 0.9 ? (rand() < 0.15 ? 'DELIVERED' : 'delivered') : fate < 0.94 ? (rand() < 0.5 ? 'failed' : 'not_delivered') : 'pending';
      if (!s.alternate || d % 2 === 0) dayOrders.push({ ...(await order({ c: s.c, day, sub: true, items: [{ p: s.p, q: s.qty }], status, customerKnown: true })), sub: true });
      if (rand() < 0.05) {
        const items = [{ p: 3 + Math.floor(rand() * 5), q: 1 }];
        if (rand() < 0.2) items.push({ p: (items[0].p + 1) % products.length, q: 2 });
        dayOrders.push({ ...(await order({ c: s.c, day, sub: false, items, status, customerKnown: true })), sub: false });
      }
      if (!dayOrders.length) {
        // A delivered row for a day this customer had no order at all.
        if (rand() < 0.01) {
          await row({ c: s.c, day, orderRef: null, status: 'delivered', at: '06:40' });
          a.phantom_deliveries++;
        }
        continue;
      }
      importedOrders += dayOrders.length;
      if (status === 'pending') continue;
      const byCustomerAndDate = rand() < 0.4;
      const rowStatus = status === 'not_delivered' ? 'not_delivered' : status;
      if (byCustomerAndDate) {
        await row({ c: s.c, day, orderRef: null, status: rowStatus, at: '06:20' });
        a.orders_delivery_linked_by_customer_and_date += dayOrders.length;
      } else {
        for (const o of dayOrders) await row({ c: s.c, day, orderRef: ref('o', o.n), status: rowStatus, at: '06:10' });
        a.orders_delivery_linked_by_order_id += dayOrders.length;
      }
      // Marked again later that morning: a duplicate mark of the first order.
      if (rand() < 0.02) {
        await row({ c: s.c, day, orderRef: ref('o', dayOrders[0].n), status: rowStatus, at: '09:00' });
        a.duplicate_delivery_marks++;
      }
      if (status.toLowerCase() !== 'delivered') continue;
      for (const o of dayOrders) {
        deliveredOrders++;
        a.delivered_value_paise += o.value;
        if (o.sub) {
          subDelivered += o.value;
          continue;
        }
        a.delivered_one_time_orders++;
        if (rand() < 0.4) {
          const b = billNo++;
          await put('billing_records', { _id: { $oid: oidFor('br', b) }, customer_id: uuidFor('c', s.c), order_id: ref('o', o.n), month, amount: money(o.value), status: rand() < 0.5 ? 'paid' : 'pending', created_at: { $date: `${addDays(start, opts.days)}T00:00:00Z` } });
        } else {
          a.unbilled_delivered_one_time_orders++;
          a.unbilled_delivered_one_time_paise += o.value;
        }
      }
    }
    if (subDelivered > 0) {
      const b = billNo++;
      await put('billing_records', { _id: { $oid: oidFor('br', b) }, customer_id: uuidFor('c', s.c), month, amount: money(subDelivered), status: 'paid', created_at: { $date: `${addDays(start, opts.days)}T00:00:00Z` } });
    }
  }
  // Orders of customers that do not exist.
  for (let k = 0; k < Math.max(1, Math.floor(opts.customers / 200)); k++) {
    await order({ c: k, day: addDays(start, k % opts.days), sub: false, items: [{ p: 4, q: 1 }], status: 'pending', customerKnown: false });
    a.orphan_orders++;
  }
  await out.close();
  return { counts, anomalies: a, imported_orders: importedOrders, delivered_orders: deliveredOrders, bytes: out.bytes };
}
