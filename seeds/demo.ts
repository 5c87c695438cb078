import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { addresses, customers, productRequests, products, zones } from '../db/schema/index.js';
import { firstNames, landmarks, lastNames, productCatalogue, requestedProducts, streets, zoneData } from './catalog-data.js';
import { Random } from './random.js';
import { breathe, seedHistory, systemCtx } from './history.js';
import { seedGatewayRefunds, seedRefunds } from './refunds.js';
import { seedGateway } from './gateway.js';
import { seedDisputes } from './disputes.js';
import { seedNotifications } from './notifications.js';
import { ensureDemoUsers } from './users.js';
import { seedDepots } from './depots.js';
import { seedInventory } from './inventory.js';
import { seedAlerts } from './alerts.js';
import { seedField } from './field.js';
import { seedPayouts, seedRateCards } from './payouts.js';

export interface SeedOptions {
  scale: number;
  seed: number;
  /** Days of order, delivery and billing history before today; 0 for catalogue and customers only. */
  historyDays?: number;
  log?: (line: string) => void;
  /** Called with 0-100 as the demo loads (the admin shows it while `npm start` prepares the demo). */
  progress?: (percent: number) => void;
}

const CUSTOMERS_PER_SCALE = 300;

/** Inserts in chunks: PostgreSQL caps a statement at 65,535 parameters. */
async function insertChunks<T extends Record<string, unknown>>(db: Db, table: Parameters<Db['insert']>[0], rows: T[], returning = false) {
  const out: { id: string }[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    await breathe();
    const chunk = rows.slice(i, i + 1000);
    if (returning) out.push(...((await db.insert(table).values(chunk as never).returning({ id: (table as typeof zones).id })) as { id: string }[]));
    else await db.insert(table).values(chunk as never);
  }
  return out;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(customers);
  return Number(n) === 0;
}

/** The demo business: same seed, same data. Scale multiplies customers (300 per unit). */
export async function seedDemo(db: Db, opts: SeedOptions): Promise<void> {
  const rnd = new Random(opts.seed);
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? (() => {});
  progress(0);
  const userIds = await ensureDemoUsers(db);

  const zoneRows = await db.insert(zones).values(zoneData.map((z) => ({ name: z.name }))).returning({ id: zones.id, name: zones.name });
  await db.insert(products).values(productCatalogue.map((p) => ({ ...p })));
  // Depots before anything runs: each zone's runs start at its depot.
  await seedDepots(db);

  const total = CUSTOMERS_PER_SCALE * opts.scale;
  const customerRows = [];
  const addressSpecs: { zone: (typeof zoneData)[number]; flat: string; street: string; landmark: string; pin: string; lat: number; lng: number; second: boolean }[] = [];
  const usedPhones = new Set<string>();
  for (let i = 0; i < total; i++) {
    const zoneIndex = rnd.int(0, zoneData.length - 1);
    const zone = zoneData[zoneIndex];
    const first = rnd.pick(firstNames);
    const last = rnd.pick(lastNames);
    let phone: string;
    do phone = `+91${rnd.pick(['6', '7', '8', '9'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`;
    while (usedPhones.has(phone));
    usedPhones.add(phone);
    customerRows.push({
      name: `${first} ${last}`,
      phone,
      email: rnd.chance(0.6) ? `${first}.${last}${i}@example.in`.toLowerCase() : null,
      zone_id: zoneRows[zoneIndex].id,
      status: rnd.chance(0.9) ? 'active' : rnd.chance(0.5) ? 'paused' : 'inactive',
      notes: rnd.chance(0.1) ? 'Ring the bell twice; leave at the door if no answer.' : '',
      created_at: new Date(Date.UTC(2026, 0, 1) + rnd.int(0, 300) * 86_400_000 + rnd.int(0, 86_000) * 1000),
    });
    addressSpecs.push({
      zone,
      flat: `${rnd.int(1, 999)}${rnd.chance(0.3) ? `, Flat ${rnd.int(101, 1204)}` : ''}`,
      street: rnd.pick(streets),
      landmark: rnd.pick(landmarks),
      pin: rnd.pick(zone.pins),
      lat: Number((zone.lat + (rnd.next() - 0.5) * 0.02).toFixed(6)),
      lng: Number((zone.lng + (rnd.next() - 0.5) * 0.02).toFixed(6)),
      second: rnd.chance(0.08),
    });
  }
  const ids = await insertChunks(db, customers, customerRows as never[], true);
  const addressRows = ids.flatMap(({ id }, i) => {
    const a = addressSpecs[i];
    const home = { customer_id: id, label: 'Home', line1: `${a.flat}, ${a.street}, ${a.zone.name}`, landmark: a.landmark, city: 'Bengaluru', pin_code: a.pin, lat: a.lat, lng: a.lng, is_default: true };
    return a.second ? [home, { ...home, label: 'Office', line1: `Tower B, ${a.street}, ${a.zone.name}`, is_default: false }] : [home];
  });
  await insertChunks(db, addresses, addressRows);
  log(`customers: ${ids.length}, addresses: ${addressRows.length}`);

  // Product requests: most still pending, a few decided, so every tab of the queue has rows.
  for (const [i, r] of requestedProducts.entries()) {
    await breathe();
    const requester = i % 2 === 0 ? userIds.support : userIds.manager;
    const createdAt = new Date(Date.UTC(2026, 10, 1 + i, 5, 30));
    if (i < 8) {
      await db.insert(productRequests).values({ ...r, requested_by: requester, created_at: createdAt });
    } else if (i < 10) {
      await db.transaction(async (tx) => {
        const [p] = await tx.insert(products).values({ ...r, sku: `REQ-${i}-${r.unit.toUpperCase()}` }).returning({ id: products.id });
        await tx.insert(productRequests).values({ ...r, requested_by: requester, created_at: createdAt, status: 'approved', decided_by: userIds.admin, decided_at: new Date(createdAt.getTime() + 86_400_000), product_id: p.id });
      });
    } else {
      await db.insert(productRequests).values({ ...r, requested_by: requester, created_at: createdAt, status: 'rejected', decided_by: userIds.manager, decided_at: new Date(createdAt.getTime() + 86_400_000), reject_reason: 'Supplier cannot deliver before 7 am.' });
    }
  }
  const [{ n }] = await db.select({ n: count() }).from(products).where(eq(products.is_active, true));
  log(`products: ${n}, product requests: ${requestedProducts.length}`);
  // The history (orders, deliveries, invoices) is nearly all of the time: it reports 2-100.
  progress(2);
  // Each zone's rate card before the history: its deliveries earn at them as they are confirmed.
  await seedRateCards(db, userIds.manager);
  if (opts.historyDays) await seedHistory(db, userIds.admin, { seed: opts.seed + 1, days: opts.historyDays, log, progress: (p) => progress(2 + Math.round(p * 0.98)) });
  // Money going back: refunds in the approval queue and a credit note (after the payments they refund).
  if (opts.historyDays) await seedRefunds(db, userIds, { log });
  // Payments online: Razorpay events through the webhook's verb, two left for finance to assign.
  if (opts.historyDays) await seedGateway(db, { log, finance: await systemCtx(db, userIds.finance) });
  // Refunds of those online payments through a fake gateway: processed, failed (kept as credit), still at the gateway.
  if (opts.historyDays) await seedGatewayRefunds(db, userIds, { log });
  // Support's disputes, in every state, with threads (after the deliveries and invoices they are about).
  if (opts.historyDays) await seedDisputes(db, userIds, { log });
  // Suppliers, purchase orders and the stock ledger of the last weeks' runs (after the deliveries they dispatch).
  // Three months for the demo; the small businesses tests seed keep two weeks (each day's purchase orders go through
  // the API's verbs, which is most of a small seed's time).
  if (opts.historyDays) await seedInventory(db, userIds, { days: Math.min(opts.historyDays, opts.scale >= 1 ? 90 : 14), seed: opts.seed + 16, log });
  // Past alert incidents for the Alerts page.
  if (opts.historyDays) await seedAlerts(db, { log });
  // Today's runs in order, the vans' GPS trails and this morning's deliveries so far (the live map's day).
  if (opts.historyDays) await seedField(db, userIds, { seed: opts.seed + 15, log });
  // The outbox those disputes wrote, sent by the local fake (some dead, some retrying), and the WhatsApp inbox.
  if (opts.historyDays) await seedNotifications(db, await systemCtx(db, userIds.support), { log });
  // Staff pay: payout details, a paid batch and a draft waiting for a second person.
  if (opts.historyDays) await seedPayouts(db, userIds, { log });
  progress(100);
}
