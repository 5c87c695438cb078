import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { products, safetyStocks } from '../db/schema/index.js';
import { transaction } from '../api/lib/context.js';
import { addDays, todayIST } from '../api/lib/dates.js';
import { rowsOf } from '../api/lib/sql.js';
import { createSupplier } from '../api/modules/inventory/suppliers.service.js';
import { approvePurchaseOrder, createPurchaseOrder, receivePurchaseOrder, sendPurchaseOrder } from '../api/modules/inventory/purchase-orders.service.js';
import { insertLines, takeFefo, writeOffExpired } from '../api/modules/inventory/stock.service.js';
import { gstinCheckCharacter } from '../shared/supplier.js';
import { breathe, systemCtx } from './history.js';
import { Random } from './random.js';

const gstin = (first14: string) => first14 + gstinCheckCharacter(first14);

// Who the demo buys from: the dairy cooperative for milk and milk products, a bakery, a wholesaler for the rest.
const supplierData = [
  { name: 'Karnataka Milk Federation (Nandini)', gstin: gstin('29AAAAK0001A1Z'), contact_name: 'Shivakumar B', phone: '+91 80 2659 0001', email: 'orders@kmf.example', address: 'KMF Complex, Dr M H Marigowda Road, Bengaluru 560029', categories: ['milk', 'curd', 'paneer', 'beverages', 'butter', 'ghee', 'cheese'], pack: 12, label: 'crate of 12' },
  { name: 'Iyengar Bakery Supplies', gstin: gstin('29AABCI2345B1Z'), contact_name: 'Ranganath S', phone: '+91 98450 22345', email: 'iyengar.bakery@example.in', address: '14, Bull Temple Road, Basavanagudi, Bengaluru 560004', categories: ['bakery'], pack: 10, label: 'tray of 10' },
  { name: 'Sri Lakshmi Wholesale Traders', gstin: gstin('29AACFS6789C1Z'), contact_name: 'Venkatesh P', phone: '+91 98860 56789', email: 'srilakshmi.traders@example.in', address: 'APMC Yard, Yeshwanthpur, Bengaluru 560022', categories: ['eggs', 'grocery'], pack: 6, label: 'carton of 6' },
];
/** Shelf life in days by category: milk keeps two days, curd and paneer a few, groceries months. */
const shelfLife: Record<string, number> = { milk: 2, curd: 4, paneer: 5, beverages: 5, butter: 60, ghee: 180, cheese: 90, bakery: 4, eggs: 14, grocery: 180 };

/**
 * Suppliers and a ledger that adds up: for each past day and depot, a purchase order for the day's ordered goods plus a
 * little more (drafted by the manager, approved by the admin, sent and received with batch codes and expiry), the run
 * sheets dispatched (FEFO), undelivered goods returned, an occasional spoilt crate, and the daily expiry write-off.
 */
export async function seedInventory(db: Db, userIds: Record<string, string>, opts: { days: number; seed: number; log?: (l: string) => void }) {
  const rnd = new Random(opts.seed);
  const manager = await systemCtx(db, userIds.manager);
  const admin = await systemCtx(db, userIds.admin);
  const catalogue = await db.select({ id: products.id, category: products.category, price: products.price_paise, name: products.name }).from(products);
  const supplierOf = new Map<string, { id: string; pack: number }>();
  for (const s of supplierData) {
    const sold = catalogue.filter((p) => s.categories.includes(p.category));
    const row = await createSupplier(manager, {
      name: s.name, gstin: s.gstin, contact_name: s.contact_name, phone: s.phone, email: s.email, address: s.address, is_active: true,
      products: sold.map((p) => ({ product_id: p.id, price_paise: Math.round(p.price * 0.78), lead_time_days: p.category === 'grocery' ? 2 : 1, pack_size: s.pack, pack_label: s.label, is_preferred: true })),
    });
    for (const p of sold) supplierOf.set(p.id, { id: String(row.id), pack: s.pack });
  }
  await db.insert(safetyStocks).values(catalogue.filter((p) => ['milk', 'curd'].includes(p.category)).map((p) => ({ product_id: p.id, quantity: 12 })));

  const today = todayIST();
  const categoryOf = new Map(catalogue.map((p) => [p.id, p.category]));
  let orders = 0;
  for (let d = addDays(today, -opts.days); d < today; d = addDays(d, 1)) {
    await breathe();
    // What each depot's runs carried that day: per staff, shift and product, ordered and delivered.
    const runs = rowsOf<{ depot_id: string; staff_id: string; shift: 'morning' | 'evening'; product_id: string; ordered: number; delivered: number }>(
      await db.execute(sql`select z.depot_id, dl.staff_id, o.shift, oi.product_id, sum(oi.quantity)::int as ordered, coalesce(sum(di.quantity), 0)::int as delivered
        from orders o join deliveries dl on dl.order_id = o.id join order_items oi on oi.order_id = o.id
        join customers c on c.id = o.customer_id join zones z on z.id = c.zone_id
        left join delivery_items di on di.order_item_id = oi.id
        where o.delivery_date = ${d} and o.status <> 'cancelled' and dl.staff_id is not null and z.depot_id is not null
        group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
    );
    const need = new Map<string, Map<string, number>>();
    for (const r of runs) {
      const key = `${r.depot_id}|${supplierOf.get(r.product_id)?.id}`;
      const m = need.get(key) ?? new Map<string, number>();
      m.set(r.product_id, (m.get(r.product_id) ?? 0) + r.ordered);
      need.set(key, m);
    }
    // Bought the evening before (as a dairy does), received at dawn with that day's batch. A day is one transaction
    // (the verbs join it): a commit per verb made this the slowest part of the demo.
    const at = new Date(`${addDays(d, -1)}T18:00:00+05:30`);
    await transaction(manager, async (day) => {
    const dayManager = { ...day, actor: manager.actor };
    const dayAdmin = { ...day, actor: admin.actor };
    for (const [key, lines] of need) {
      const [depotId, supplierId] = key.split('|');
      if (supplierId === 'undefined') continue;
      const pack = [...lines.keys()].map((p) => supplierOf.get(p)!.pack)[0];
      const po = await createPurchaseOrder({ ...dayManager, now: () => at }, {
        supplier_id: supplierId, depot_id: depotId, expected_date: d, note: '',
        lines: [...lines].map(([product_id, q]) => ({ product_id, quantity: Math.ceil((q * 1.06 + 1) / pack) * pack })),
      });
      await approvePurchaseOrder({ ...dayAdmin, now: () => at }, String(po.id));
      await sendPurchaseOrder({ ...dayManager, now: () => at }, String(po.id));
      const poLines = po.lines as { product_id: string; quantity: number }[];
      await receivePurchaseOrder({ ...dayManager, now: () => new Date(`${d}T04:30:00+05:30`) }, String(po.id), {
        lines: poLines.map((l) => {
          const rejected = rnd.next() < 0.04 ? 1 : 0;
          return { product_id: l.product_id, quantity_accepted: l.quantity - rejected, quantity_rejected: rejected, batch_code: `B${d.replace(/-/g, '')}-${po.number}`, expiry_date: addDays(d, shelfLife[categoryOf.get(l.product_id)!] ?? 3) };
        }),
      });
      orders++;
    }
    // The runs: dispatched first-expiry-first, undelivered goods back; now and then a spoilt crate at the depot.
    // Dated like the day they happened: the runs at dawn, returns by noon, a spoilt crate in the afternoon.
    const at2 = (time: string) => ({ now: () => new Date(`${d}T${time}:00+05:30`) });
    await transaction({ ...dayManager, ...at2('05:00') }, async (tx) => {
      // Every run leaves before any comes back: a return written between two dispatches, but dated after both,
      // made the ledger's running balance dip below zero in time order.
      const back: (() => Promise<unknown>)[] = [];
      for (const r of runs) {
        const run = { date: d, shift: r.shift, staff_id: r.staff_id };
        const taken = await takeFefo(tx, r.product_id, r.depot_id, r.ordered, d, 'dispatched');
        await insertLines(tx, r.product_id, '', taken.map((t) => ({ kind: 'dispatch' as const, batch_id: t.batch_id, depot_id: r.depot_id, quantity: -t.quantity, run })));
        if (r.delivered < r.ordered) {
          back.push(() => insertLines({ ...tx, ...at2('11:00') }, r.product_id, 'Undelivered', [{ kind: 'return', batch_id: taken[taken.length - 1].batch_id, depot_id: r.depot_id, quantity: r.ordered - r.delivered, run }]));
        }
      }
      for (const r of back) await r();
      const [spoilt] = rowsOf<{ id: string; product_id: string; depot_id: string; quantity: number }>(
        await tx.db.execute(sql`select id, product_id, depot_id, quantity from stock_batches where quantity > 0 and expiry_date >= ${d}::date order by md5(id::text || ${d}) limit 1`),
      );
      if (spoilt && rnd.next() < 0.5) {
        await insertLines({ ...tx, ...at2('14:00') }, spoilt.product_id, rnd.pick(['Packets burst in the crate', 'Cold chain broke overnight', 'Soured before dispatch', 'Crate dropped while unloading']), [
          { kind: rnd.next() < 0.5 ? 'spoilage' : 'wastage', batch_id: spoilt.id, depot_id: spoilt.depot_id, quantity: -Math.min(spoilt.quantity, rnd.int(1, 4)) },
        ]);
      }
    });
    await writeOffExpired({ ...dayAdmin, now: () => new Date(`${addDays(d, 1)}T00:05:00+05:30`) }, addDays(d, 1));
    });
  }
  // Tomorrow's buying in progress, so the pages open on work to do: the bakery's order drafted by the manager (for
  // the admin to approve), the wholesaler's approved and sent (to receive when it comes).
  const [depot] = rowsOf<{ id: string }>(await db.execute(sql`select id from depots where is_active order by name limit 1`));
  const open = [
    { supplier: supplierData[1], then: 'draft' as const },
    { supplier: supplierData[2], then: 'sent' as const },
  ];
  for (const o of open) {
    const [supplier] = rowsOf<{ id: string }>(await db.execute(sql`select id from suppliers where name = ${o.supplier.name}`));
    const sold = catalogue.filter((p) => o.supplier.categories.includes(p.category)).slice(0, 3);
    if (!depot || !supplier || !sold.length) continue;
    const po = await createPurchaseOrder(manager, {
      supplier_id: supplier.id, depot_id: depot.id, expected_date: addDays(today, 1), note: 'Tomorrow morning',
      lines: sold.map((p) => ({ product_id: p.id, quantity: o.supplier.pack * 2 })),
    });
    if (o.then === 'sent') {
      await approvePurchaseOrder(admin, String(po.id));
      await sendPurchaseOrder(manager, String(po.id));
    }
  }
  opts.log?.(`inventory: ${supplierData.length} suppliers, ${orders} purchase orders received, one drafted and one sent for tomorrow`);
}
