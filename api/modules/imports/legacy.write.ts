// Pass 2: stream the collections again and write them in batches, one transaction per batch (or, in a dry run,
// one savepoint per batch inside a transaction that is rolled back at the end, so the report is the same).
// Every document is claimed in legacy_ids first (INSERT ... ON CONFLICT DO NOTHING RETURNING): a document claimed
// by an earlier or concurrent run is not written again.
import { randomUUID } from 'node:crypto';
import { getTableName, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  addresses,
  billingRecords,
  customers,
  deliveries,
  deliveryItems,
  importAnomalies,
  legacyIds,
  orderItems,
  orders,
  products,
  staff,
  subscriptionPauses,
  subscriptions,
  zones,
} from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import type { Ctx } from '../../lib/context.js';
import { billingRecordsCreated } from '../../lib/metrics.js';
import { addDays } from '../../lib/dates.js';
import { lineAmounts } from '../../../shared/money.js';
import { allowLongStatements, rowsOf } from '../../lib/sql.js';
import { skuFromName, uniqueSku } from './legacy.catalog.js';
import { customerDoc, legacyLabel, orderDoc, subscriptionDoc, type CustomerDoc, type LegacyIds, type OrderDoc, type SubscriptionDoc } from './legacy.docs.js';
import { uint8 } from './legacy.index.js';
import { CUSTOMER, LINK, ORDER, STATUS, type LegacyPlan, type Progress } from './legacy.plan.js';
import { readCollection } from './legacy.read.js';
import { dayFromNumber } from './legacy.values.js';

export interface WriteOptions {
  runId: string;
  dryRun: boolean;
  actorId: string | null;
  batchSize?: number;
  progress?: Progress;
}

export interface Backfill {
  billing_records_created: number;
  amount_paise: number;
  orders: number;
  tax_paise: number;
  total_paise: number;
}

type AnomalyRow = typeof importAnomalies.$inferInsert;

const STATUS_NAME = ['pending', 'delivered', 'failed', 'cancelled'] as const;

/**
 * Multi-row inserts as ONE JSON parameter expanded by json_populate_recordset: much cheaper than binding
 * thousands of parameters (drizzle spends ~0.5 ms a row building such a statement). Every row must have the
 * keys are column names; a column no row names takes its default, one some rows omit is null in those.
 */
async function insertMany(ctx: Ctx, table: PgTable, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  const name = getTableName(table);
  const keys = new Set<string>();
  for (const r of rows) for (const k in r) keys.add(k);
  const cols = sql.raw([...keys].map((c) => `"${c}"`).join(', '));
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = JSON.stringify(rows.slice(i, i + 2000));
    await ctx.db.execute(sql`insert into ${sql.identifier(name)} (${cols}) select ${cols} from json_populate_recordset(null::${sql.identifier(name)}, ${chunk}::json)`);
  }
}

/** The database's reason for refusing a write, for the report. */
function dbReason(err: unknown): string {
  type PgError = { message?: string; constraint_name?: string; constraint?: string; cause?: PgError };
  const e = err as PgError;
  const cause: PgError = e.cause ?? e;
  const constraint = cause.constraint_name ?? cause.constraint;
  return `refused by the database: ${cause.message ?? String(err)}${constraint ? ` (${constraint})` : ''}`;
}

export class LegacyWriter {
  readonly zoneIds = new Map<string, string>();
  readonly zonesCreated: string[] = [];
  readonly productRecord: (string | undefined)[] = [];
  readonly productTax: { hsn_code: string; gst_rate_bp: number }[] = [];
  readonly productsUnclassified: string[] = [];
  readonly staffRecord: (string | undefined)[] = [];
  readonly customerRecord: (string | undefined)[] = [];
  readonly customerAddress: (string | undefined)[] = [];
  readonly subscriptionRecord: (string | undefined)[] = [];
  private readonly rowState = uint8(); // 1: became a delivery this run, 2: its delivery was imported earlier
  readonly backfill: Backfill = { billing_records_created: 0, amount_paise: 0, orders: 0, tax_paise: 0, total_paise: 0 };
  readonly legacyBilled = { billing_records: 0, amount_paise: 0 };
  private readonly batchSize: number;
  private written = 0;
  private started = Date.now();

  constructor(
    private readonly ctx: Ctx,
    private readonly plan: LegacyPlan,
    private readonly opts: WriteOptions,
  ) {
    this.batchSize = opts.batchSize ?? 1000;
  }

  async run() {
    await this.writeZones();
    await this.writeProducts();
    await this.writeStaff();
    await this.writeCustomers();
    await this.writeSubscriptions();
    await this.writeOrders();
    this.countRows();
    await this.writeAnomalies();
  }

  // ---- batches ----

  /** One batch in its own transaction (a savepoint in a dry run); effects on memory are applied only once it is committed. */
  private async inTx<T>(fn: (tx: Ctx) => Promise<T>): Promise<T> {
    return this.ctx.db.transaction(async (db) => {
      const tx: Ctx = { ...this.ctx, db: db as unknown as Ctx['db'], inTx: true };
      await allowLongStatements(tx.db); // a long job: not bound by the API's per-request statement timeout
      if (!this.opts.dryRun) return fn(tx);
      await tx.db.execute(sql`set constraints all deferred`);
      const result = await fn(tx);
      // Fire the chain's deferred checks now, as a commit would, so a broken batch fails here and not at the end.
      await tx.db.execute(sql`set constraints all immediate`);
      await tx.db.execute(sql`set constraints all deferred`);
      return result;
    });
  }

  /**
   * Writes a batch; if the database refuses it, retries its documents one by one so that only the
   * documents it refuses are rejected (with its reason) and the rest still import.
   */
  private async batch<T>(items: T[], write: (tx: Ctx, items: T[]) => Promise<() => void>, reject: (item: T, reason: string) => void) {
    if (!items.length) return;
    try {
      const apply = await this.inTx((tx) => write(tx, items));
      apply();
    } catch (err) {
      if (items.length === 1) {
        reject(items[0], dbReason(err));
        return;
      }
      this.opts.progress?.(`a batch of ${items.length} was refused (${dbReason(err)}); retrying its documents one by one`);
      for (const item of items) await this.batch([item], write, reject);
    }
  }

  /** Claims legacy ids for new records; returns, per document, the record it resolves to and whether this run claimed it. */
  private async claim(tx: Ctx, collection: string, docs: (LegacyIds & { recordId: string })[]): Promise<{ recordId: string; claimed: boolean }[]> {
    if (!docs.length) return [];
    const claimed = new Set<string>();
    for (let i = 0; i < docs.length; i += 2000) {
      const json = JSON.stringify(docs.slice(i, i + 2000).map((d) => ({ collection, legacy_oid: d.oid, legacy_uuid: d.uuid, record_id: d.recordId, run_id: this.opts.runId })));
      // Race: two runs claiming the same document; the unique indexes on (collection, legacy_oid|legacy_uuid) let one win.
      const rows = rowsOf<{ legacy_oid: string | null; legacy_uuid: string | null }>(
        await tx.db.execute(sql`insert into legacy_ids (collection, legacy_oid, legacy_uuid, record_id, run_id)
          select collection, legacy_oid, legacy_uuid, record_id, run_id from json_populate_recordset(null::legacy_ids, ${json}::json)
          on conflict do nothing returning legacy_oid, legacy_uuid`),
      );
      for (const r of rows) claimed.add(r.legacy_oid ?? r.legacy_uuid!);
    }
    const taken = docs.filter((d) => !claimed.has(d.oid ?? d.uuid!));
    const existing = await this.lookup(tx, collection, taken);
    return docs.map((d) => (claimed.has(d.oid ?? d.uuid!) ? { recordId: d.recordId, claimed: true } : { recordId: existing.get(d.oid ?? d.uuid!)!, claimed: false }));
  }

  /** Records of documents imported earlier, by either id form. */
  private async lookup(tx: Ctx, collection: string, docs: LegacyIds[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (!docs.length) return found;
    const oids = JSON.stringify(docs.map((d) => d.oid).filter(Boolean));
    const uuids = JSON.stringify(docs.map((d) => d.uuid).filter(Boolean));
    const rows = rowsOf<{ legacy_oid: string | null; legacy_uuid: string | null; record_id: string }>(
      await tx.db.execute(sql`select legacy_oid, legacy_uuid, record_id from legacy_ids where collection = ${collection}
        and (legacy_oid in (select json_array_elements_text(${oids}::json)) or legacy_uuid in (select json_array_elements_text(${uuids}::json)::uuid))`),
    );
    const byOid = new Map(rows.filter((r) => r.legacy_oid).map((r) => [r.legacy_oid!, r.record_id]));
    const byUuid = new Map(rows.filter((r) => r.legacy_uuid).map((r) => [r.legacy_uuid!, r.record_id]));
    for (const d of docs) {
      const rec = (d.oid && byOid.get(d.oid)) || (d.uuid && byUuid.get(d.uuid));
      if (rec) found.set(d.oid ?? d.uuid!, rec);
    }
    return found;
  }

  private note(tx: Ctx, table: string, after: Record<string, unknown>) {
    return audit(tx, { action: 'legacy_import', table, recordId: this.opts.runId, after });
  }

  private tick(collection: string, n: number, total: number) {
    this.written += n;
    const p = this.opts.progress;
    if (!p) return;
    const secs = (Date.now() - this.started) / 1000;
    p(`${collection}: ${this.written.toLocaleString('en-IN')} / ${total.toLocaleString('en-IN')} written (${Math.round(this.written / Math.max(secs, 0.001)).toLocaleString('en-IN')}/s)`);
  }

  private resetTick() {
    this.written = 0;
    this.started = Date.now();
  }

  // ---- zones, products, staff ----

  private async writeZones() {
    const names = [...this.plan.zoneNames.values()];
    await this.inTx(async (tx) => {
      const created = names.length ? await tx.db.insert(zones).values(names.map((name) => ({ name }))).onConflictDoNothing().returning({ id: zones.id, name: zones.name }) : [];
      const all = await tx.db.select({ id: zones.id, name: zones.name }).from(zones);
      for (const z of all) this.zoneIds.set(z.name.toLowerCase(), z.id);
      this.zonesCreated.push(...created.map((z) => z.name));
      if (created.length) await this.note(tx, 'zones', { created: created.map((z) => z.name) });
    });
    const area = this.plan.counts.areas;
    for (const name of this.plan.areaNames) {
      if (this.zonesCreated.some((z) => z.toLowerCase() === name.toLowerCase())) area.imported++;
      else area.linked_existing++;
    }
  }

  private async writeProducts() {
    const docs = this.plan.productDocs.map((doc, i) => ({ i, doc }));
    const count = this.plan.counts.products;
    for (let s = 0; s < docs.length; s += this.batchSize) {
      await this.batch(
        docs.slice(s, s + this.batchSize),
        async (tx, batch) => {
          const existing = await tx.db.select({ id: products.id, name: products.name, sku: products.sku }).from(products);
          const byName = new Map(existing.map((p) => [p.name.toLowerCase(), p.id]));
          const skus = new Set(existing.map((p) => p.sku));
          const fresh = new Map<string, Record<string, unknown>>();
          const plans = batch.map(({ doc }) => {
            const same = byName.get(doc.name.toLowerCase());
            if (same) return { ...doc, recordId: same, create: false };
            const recordId = randomUUID();
            byName.set(doc.name.toLowerCase(), recordId);
            fresh.set(recordId, {
              id: recordId,
              name: doc.name,
              sku: uniqueSku(skuFromName(doc.name), skus),
              category: doc.category,
              unit: doc.unit,
              unit_size: doc.unit_size,
              price_paise: doc.price_paise,
              hsn_code: doc.hsn_code,
              gst_rate_bp: doc.gst_rate_bp,
              is_active: doc.is_active,
            });
            return { ...doc, recordId, create: true };
          });
          const claims = await this.claim(tx, 'products', plans);
          const toInsert = plans.filter((p, k) => p.create && claims[k].claimed).map((p) => fresh.get(p.recordId)!);
          await insertMany(tx, products, toInsert);
          const ids = [...new Set(claims.map((c) => c.recordId))];
          const tax = new Map((await tx.db.select({ id: products.id, hsn_code: products.hsn_code, gst_rate_bp: products.gst_rate_bp }).from(products).where(inArray(products.id, ids))).map((p) => [p.id, p]));
          if (toInsert.length) await this.note(tx, 'products', { created: toInsert.length, skus: toInsert.map((p) => p.sku) });
          return () => {
            batch.forEach(({ i, doc }, k) => {
              const c = claims[k];
              this.productRecord[i] = c.recordId;
              this.productTax[i] = tax.get(c.recordId)!;
              if (!c.claimed) count.already_imported++;
              else if (plans[k].create) count.imported++;
              else count.linked_existing++;
              if (c.claimed && plans[k].create && !doc.classified) this.productsUnclassified.push(doc.name);
            });
          };
        },
        ({ doc }, reason) => this.plan.reject('products', legacyLabel(doc), null, reason),
      );
    }
  }

  private async writeStaff() {
    const docs = this.plan.staffDocs.map((doc, i) => ({ i, doc })).filter((d) => d.doc !== null) as { i: number; doc: NonNullable<LegacyPlan['staffDocs'][number]> }[];
    const count = this.plan.counts.delivery_boys_v2;
    for (let s = 0; s < docs.length; s += this.batchSize) {
      await this.batch(
        docs.slice(s, s + this.batchSize),
        async (tx, batch) => {
          const phones = batch.map((b) => b.doc.phone);
          const existing = new Map((await tx.db.select({ id: staff.id, phone: staff.phone }).from(staff).where(inArray(staff.phone, phones))).map((r) => [r.phone, r.id]));
          const plans = batch.map(({ doc }) => {
            const same = existing.get(doc.phone);
            if (same) return { ...doc, recordId: same, create: false };
            const recordId = randomUUID();
            existing.set(doc.phone, recordId);
            return { ...doc, recordId, create: true };
          });
          const claims = await this.claim(tx, 'delivery_boys_v2', plans);
          const rows = plans
            .filter((p, k) => p.create && claims[k].claimed)
            .map((p) => ({ id: p.recordId, name: p.name, phone: p.phone, zone_id: this.zoneIds.get(p.area.toLowerCase()) ?? null, is_active: p.is_active }));
          await insertMany(tx, staff, rows);
          if (rows.length) await this.note(tx, 'staff', { created: rows.length });
          return () =>
            batch.forEach(({ i }, k) => {
              this.staffRecord[i] = claims[k].recordId;
              if (!claims[k].claimed) count.already_imported++;
              else if (plans[k].create) count.imported++;
              else count.linked_existing++;
            });
        },
        ({ doc }, reason) => this.plan.reject('delivery_boys_v2', legacyLabel(doc), null, reason),
      );
    }
  }

  // ---- customers and their addresses ----

  private async writeCustomers() {
    const plan = this.plan;
    const count = plan.counts.customers_v2;
    const total = count.read;
    this.resetTick();
    let batch: { i: number; doc: CustomerDoc; line: number }[] = [];
    const flush = async () => {
      await this.batch(batch, (tx, b) => this.writeCustomerBatch(tx, b), ({ i, doc, line }, reason) => {
        plan.reject('customers_v2', legacyLabel(doc), line, reason);
        plan.customerState.set(i, CUSTOMER.rejected);
        plan.customerRejectReason.set(i, reason);
      });
      this.tick('customers', batch.length, total);
      batch = [];
    };
    for await (const l of readCollection(plan.dir, 'customers_v2')) {
      if (l.error !== undefined) continue;
      let doc: CustomerDoc;
      try {
        doc = customerDoc(l.doc);
      } catch {
        continue; // rejected by the planning pass
      }
      const i = plan.customers.find(doc.oid ?? doc.uuid);
      if (i < 0 || plan.customerLine.get(i) !== l.line || !plan.customerImportable(i)) continue;
      batch.push({ i, doc, line: l.line });
      if (batch.length >= this.batchSize) await flush();
    }
    await flush();
  }

  private async writeCustomerBatch(tx: Ctx, batch: { i: number; doc: CustomerDoc }[]) {
    const plan = this.plan;
    const own = batch.filter((b) => plan.customerState.get(b.i) === CUSTOMER.ok).map((b) => b.doc.phone);
    // A Milkrun customer with the same number already exists: the legacy customer becomes that customer.
    const byPhone = new Map(own.length ? (await tx.db.select({ id: customers.id, phone: customers.phone }).from(customers).where(inArray(customers.phone, own))).map((r) => [r.phone, r.id]) : []);
    const local = new Map<number, string>();
    const plans = batch.map(({ i, doc }) => {
      const addressId = randomUUID();
      if (plan.customerState.get(i) === CUSTOMER.merged) {
        const target = plan.customerMergeTarget.get(i);
        const recordId = local.get(target) ?? this.customerRecord[target];
        if (!recordId) throw new Error(`customer ${plan.customers.label(target)} with the same phone was not imported`);
        return { ...doc, recordId, addressId, create: false, mergedWith: plan.customers.label(target) };
      }
      const same = byPhone.get(doc.phone);
      const recordId = same ?? randomUUID();
      local.set(i, recordId);
      return { ...doc, recordId, addressId, create: !same, mergedWith: same ? `existing customer ${same}` : null };
    });
    const claims = await this.claim(tx, 'customers_v2', plans);
    const already = plans.filter((_, k) => !claims[k].claimed);
    const earlierAddresses = await this.lookup(tx, 'customers_v2.address', already);
    const fresh = plans.filter((_, k) => claims[k].claimed);
    await insertMany(
      tx,
      customers,
      fresh
        .filter((p) => p.create)
        .map((p) => {
          const u = p.user_ref ? plan.users.find(p.user_ref) : -1;
          return {
            id: p.recordId,
            name: p.name,
            phone: p.phone,
            email: u >= 0 ? plan.userEmails[u] : null,
            zone_id: this.zoneIds.get((p.area || 'Unassigned').toLowerCase())!,
            notes: `Imported from the old system (customer ${legacyLabel(p)}).`,
            created_at: p.created_at ?? new Date(),
          };
        }),
    );
    await insertMany(
      tx,
      addresses,
      fresh.map((p) => ({
        id: p.addressId,
        customer_id: p.recordId,
        label: p.create ? 'Home' : 'Imported',
        line1: p.line1,
        city: p.city ?? 'Bengaluru',
        pin_code: p.pin_code,
        lat: p.lat,
        lng: p.lng,
        is_default: p.create,
      })),
    );
    await insertMany(tx, legacyIds, fresh.map((p) => ({ collection: 'customers_v2.address', legacy_oid: p.oid, legacy_uuid: p.uuid, record_id: p.addressId, run_id: this.opts.runId })));
    const merged = fresh.filter((p) => p.mergedWith);
    await insertMany(
      tx,
      importAnomalies,
      merged.map((p) => ({ run_id: this.opts.runId, kind: 'merged_record' as const, collection: 'customers_v2', legacy_id: legacyLabel(p), record_id: p.recordId, detail: { reason: 'same phone number', phone: p.phone, merged_with: p.mergedWith, name: p.name } })),
    );
    if (fresh.length) await this.note(tx, 'customers', { created: fresh.filter((p) => p.create).length, merged: merged.length });
    return () =>
      batch.forEach(({ i }, k) => {
        const count = plan.counts.customers_v2;
        this.customerRecord[i] = claims[k].recordId;
        this.customerAddress[i] = claims[k].claimed ? plans[k].addressId : earlierAddresses.get(plans[k].oid ?? plans[k].uuid!);
        if (!claims[k].claimed) count.already_imported++;
        else if (plans[k].create) count.imported++;
        else count.linked_existing++;
      });
  }

  // ---- subscriptions ----

  private async writeSubscriptions() {
    const plan = this.plan;
    const total = plan.counts.subscriptions_v2.read;
    this.resetTick();
    let batch: { s: number; doc: SubscriptionDoc; line: number }[] = [];
    const flush = async () => {
      await this.batch(batch, (tx, b) => this.writeSubscriptionBatch(tx, b), ({ doc, line }, reason) => plan.reject('subscriptions_v2', legacyLabel(doc), line, reason));
      this.tick('subscriptions', batch.length, total);
      batch = [];
    };
    for await (const l of readCollection(plan.dir, 'subscriptions_v2')) {
      if (l.error !== undefined) continue;
      let doc: SubscriptionDoc;
      try {
        doc = subscriptionDoc(l.doc);
      } catch {
        continue;
      }
      const s = plan.subscriptions.find(doc.oid ?? doc.uuid);
      if (s < 0 || plan.subscriptionLine.get(s) !== l.line || !plan.subscriptionOk.get(s)) continue;
      const c = plan.subscriptionCustomer.get(s);
      if (!this.customerAddress[c]) {
        plan.reject('subscriptions_v2', legacyLabel(doc), l.line, `customer ${plan.customers.label(c)} was not imported: ${plan.customerRejectReason.get(c) ?? 'see its rejection'}`);
        continue;
      }
      batch.push({ s, doc, line: l.line });
      if (batch.length >= this.batchSize) await flush();
    }
    await flush();
  }

  private async writeSubscriptionBatch(tx: Ctx, batch: { s: number; doc: SubscriptionDoc }[]) {
    const plan = this.plan;
    const plans = batch.map(({ doc }) => ({ ...doc, recordId: randomUUID() }));
    const claims = await this.claim(tx, 'subscriptions_v2', plans);
    const fresh = batch.map((b, k) => ({ ...b, recordId: plans[k].recordId })).filter((_, k) => claims[k].claimed);
    const today = plan.today;
    await insertMany(
      tx,
      subscriptions,
      fresh.map(({ s, doc, recordId }) => {
        const c = plan.subscriptionCustomer.get(s);
        const cancelled = doc.status === 'cancelled';
        return {
          id: recordId,
          customer_id: this.customerRecord[c]!,
          address_id: this.customerAddress[c]!,
          product_id: this.productRecord[plan.products.find(doc.product_ref)]!,
          quantity: doc.quantity,
          schedule: doc.schedule,
          weekdays: 0,
          shift: 'morning' as const,
          start_date: doc.start_date,
          status: cancelled ? ('cancelled' as const) : ('active' as const),
          cancelled_at: cancelled ? (doc.updated_at ?? doc.created_at ?? new Date()) : null,
          created_at: doc.created_at ?? new Date(),
        };
      }),
    );
    // Paused in the old system, with no end date there: paused here for a year from the import, to be reviewed.
    const paused = fresh.filter((b) => b.doc.status === 'paused');
    await insertMany(
      tx,
      subscriptionPauses,
      paused.map(({ recordId }) => ({ subscription_id: recordId, from_date: today, to_date: addDays(today, 364), reason: 'Paused in the old system (imported)' })),
    );
    if (fresh.length) await this.note(tx, 'subscriptions', { created: fresh.length, paused: paused.length });
    return () =>
      batch.forEach(({ s }, k) => {
        this.subscriptionRecord[s] = claims[k].recordId;
        if (claims[k].claimed) plan.counts.subscriptions_v2.imported++;
        else plan.counts.subscriptions_v2.already_imported++;
      });
  }

  // ---- orders, their items, deliveries, delivered items and billing records ----

  private async writeOrders() {
    const plan = this.plan;
    const total = plan.counts.orders.read;
    this.resetTick();
    let batch: { o: number; doc: OrderDoc; line: number }[] = [];
    const flush = async () => {
      await this.batch(batch, (tx, b) => this.writeOrderBatch(tx, b), ({ doc, line }, reason) => plan.reject('orders', legacyLabel(doc), line, reason));
      this.tick('orders', batch.length, total);
      batch = [];
    };
    for await (const l of readCollection(plan.dir, 'orders')) {
      if (l.error !== undefined) continue;
      let doc: OrderDoc;
      try {
        doc = orderDoc(l.doc);
      } catch {
        continue;
      }
      const o = plan.orders.find(doc.oid ?? doc.uuid);
      if (o < 0 || plan.orderLine.get(o) !== l.line || plan.orderState.get(o) !== ORDER.ok) continue;
      const c = plan.orderCustomer.get(o);
      if (!this.customerAddress[c]) {
        plan.reject('orders', legacyLabel(doc), l.line, `customer ${plan.customers.label(c)} was not imported: ${plan.customerRejectReason.get(c) ?? 'see its rejection'}`);
        continue;
      }
      const missing = doc.items.find((it) => !this.productRecord[plan.products.find(it.product_ref)]);
      if (missing) {
        plan.reject('orders', legacyLabel(doc), l.line, `product ${missing.product_ref} was not imported`);
        continue;
      }
      batch.push({ o, doc, line: l.line });
      if (batch.length >= this.batchSize) await flush();
    }
    await flush();
    plan.counts.orders.skipped += plan.orphans.length;
  }

  private async writeOrderBatch(tx: Ctx, batch: { o: number; doc: OrderDoc }[]) {
    const plan = this.plan;
    const actor = this.opts.actorId;
    const plans = batch.map(({ doc }) => ({ oid: doc.oid, uuid: doc.uuid, recordId: randomUUID() }));
    const claims = await this.claim(tx, 'orders', plans);
    const orderRows: Record<string, unknown>[] = [];
    const itemRows: Record<string, unknown>[] = [];
    const deliveryRows: Record<string, unknown>[] = [];
    const deliveredRows: Record<string, unknown>[] = [];
    const billingRows: Record<string, unknown>[] = [];
    const anomalyRows: AnomalyRow[] = [];
    const backfill: Backfill = { billing_records_created: 0, amount_paise: 0, orders: 0, tax_paise: 0, total_paise: 0 };
    const billed = { billing_records: 0, amount_paise: 0 };

    batch.forEach(({ o, doc }, k) => {
      if (!claims[k].claimed) return;
      const orderId = plans[k].recordId;
      const c = plan.orderCustomer.get(o);
      const customerId = this.customerRecord[c]!;
      const s = plan.orderSubscription.get(o);
      const subscriptionId = s >= 0 ? (this.subscriptionRecord[s] ?? null) : null;
      const outcome = plan.outcome(o);
      const day = doc.day;
      const notes = [`Imported from the old system (order ${legacyLabel(doc)}).`];
      if (doc.kind === 'subscription' && !subscriptionId) notes.push('A subscription order there; its subscription could not be linked.');
      orderRows.push({
        id: orderId,
        customer_id: customerId,
        address_id: this.customerAddress[c]!,
        kind: subscriptionId ? 'subscription' : 'one_time',
        subscription_id: subscriptionId,
        delivery_date: day,
        shift: 'morning',
        status: STATUS_NAME[outcome],
        payment_method: doc.payment_method,
        total_paise: doc.value_paise,
        note: notes.join(' '),
        created_by: actor,
        created_at: doc.created_at ?? new Date(),
      });
      const items = doc.items.map((it) => {
        const p = plan.products.find(it.product_ref);
        const row = { id: randomUUID(), order_id: orderId, product_id: this.productRecord[p]!, quantity: it.quantity, unit_price_paise: it.unit_price_paise };
        itemRows.push(row);
        return { row, tax: this.productTax[p] };
      });
      if (outcome === STATUS.cancelled) return;
      const deliveryId = randomUUID();
      const row = plan.orderPrimaryRow.get(o);
      const at = plan.orderPrimaryAt.get(o);
      const staffIdx = plan.orderStaff.get(o);
      const final = outcome === STATUS.delivered || outcome === STATUS.failed;
      // The legacy delivery day is the order's day (deliveries_not_before_order); the row's time is kept when it has one.
      const deliveredAt = Number.isFinite(at) ? new Date(at) : new Date(`${day}T07:00:00+05:30`);
      const rowOid = row >= 0 ? plan.rows.oid(row) : null;
      deliveryRows.push({
        id: deliveryId,
        order_id: orderId,
        order_date: day,
        staff_id: staffIdx >= 0 ? (this.staffRecord[staffIdx] ?? null) : null,
        status: STATUS_NAME[outcome],
        delivered_at: final ? deliveredAt : null,
        delivered_on: final ? day : null,
        failure_reason: outcome === STATUS.failed ? `Not delivered (old system: ${doc.raw_status || 'failed'})` : null,
        proof_note: row >= 0 ? `Old system delivery row ${rowOid ?? '#' + row} (${plan.orderLink.get(o) === LINK.order_id ? 'by order id' : 'by customer and date'})` : final ? 'No delivery row in the old system' : '',
        confirmed_by: final ? actor : null,
      });
      if (outcome !== STATUS.delivered) return;
      const legacyBilled = plan.legacyBilled(o);
      let tax = 0;
      for (const { row: item, tax: t } of items) {
        const deliveredItemId = randomUUID();
        deliveredRows.push({ id: deliveredItemId, delivery_id: deliveryId, order_id: orderId, order_item_id: item.id, ordered_quantity: item.quantity, quantity: item.quantity });
        const amounts = lineAmounts(item.quantity, item.unit_price_paise, t.gst_rate_bp);
        billingRows.push({
          delivery_item_id: deliveredItemId,
          quantity: item.quantity,
          customer_id: customerId,
          order_id: orderId,
          product_id: item.product_id,
          service_date: day,
          unit_price_paise: item.unit_price_paise,
          hsn_code: t.hsn_code,
          gst_rate_bp: t.gst_rate_bp,
          ...amounts,
          source: 'legacy_import',
          legacy_billed: legacyBilled,
        });
        tax += amounts.cgst_paise + amounts.sgst_paise;
      }
      if (legacyBilled) {
        billed.billing_records += items.length;
        billed.amount_paise += doc.value_paise;
        return;
      }
      // Delivered and never billed by the old system: the next invoice run bills it (the recovered revenue).
      backfill.billing_records_created += items.length;
      backfill.orders++;
      backfill.amount_paise += doc.value_paise;
      backfill.tax_paise += tax;
      backfill.total_paise += doc.value_paise + tax;
      anomalyRows.push({
        run_id: this.opts.runId,
        kind: 'unbilled_delivery',
        collection: 'orders',
        legacy_id: legacyLabel(doc),
        record_id: orderId,
        detail: { customer_id: plan.customers.label(c), date: day, order_type: doc.kind, amount_paise: doc.value_paise, tax_paise: tax, items: items.length },
      });
    });

    await insertMany(tx, orders, orderRows);
    await insertMany(tx, orderItems, itemRows);
    await insertMany(tx, deliveries, deliveryRows);
    await insertMany(tx, deliveryItems, deliveredRows);
    await insertMany(tx, billingRecords, billingRows);
    await insertMany(tx, importAnomalies, anomalyRows);
    if (orderRows.length) await this.note(tx, 'orders', { created: orderRows.length, deliveries: deliveryRows.length, billing_records: billingRows.length, backfilled: backfill.billing_records_created });
    return () => {
      billingRecordsCreated.inc(billingRows.length);
      const count = plan.counts.orders;
      batch.forEach(({ o }, k) => {
        const row = plan.orderPrimaryRow.get(o);
        if (claims[k].claimed) count.imported++;
        else count.already_imported++;
        if (row < 0 || plan.outcome(o) === STATUS.cancelled) return;
        if (claims[k].claimed) this.rowState.set(row, 1);
        else if (this.rowState.get(row) === 0) this.rowState.set(row, 2);
      });
      for (const key of Object.keys(backfill) as (keyof Backfill)[]) this.backfill[key] += backfill[key];
      this.legacyBilled.billing_records += billed.billing_records;
      this.legacyBilled.amount_paise += billed.amount_paise;
    };
  }

  /** A delivery row is imported when it became the delivery of an imported order; the rest are set aside. */
  private countRows() {
    const count = this.plan.counts.delivery_statuses;
    for (let r = 0; r < this.plan.rows.size; r++) {
      const st = this.rowState.get(r);
      if (st === 1) count.imported++;
      else if (st === 2) count.already_imported++;
      else count.skipped++;
    }
  }

  // ---- what a person should review ----

  private async writeAnomalies() {
    const plan = this.plan;
    const runId = this.opts.runId;
    const rows: AnomalyRow[] = [];
    for (const r of plan.rejections) rows.push({ run_id: runId, kind: 'rejected_document', collection: r.collection, legacy_id: r.legacy_id, detail: { line: r.line, reason: r.reason } });
    for (const o of plan.orphans) {
      rows.push({
        run_id: runId,
        kind: 'orphan_order',
        collection: 'orders',
        legacy_id: plan.orders.label(o.order),
        detail: { customer_id: o.customer_id, date: o.date, status: o.status, order_type: o.kind, value_paise: o.value_paise, delivery_rows: plan.orderMarks.get(o.order), billed: plan.orderBilled.get(o.order) === 1 },
      });
    }
    for (const p of plan.phantoms) {
      rows.push({ run_id: runId, kind: 'phantom_delivery', collection: 'delivery_statuses', legacy_id: p.oid, detail: { customer_id: p.customer_id, order_id: p.order_id, date: p.date, status: p.status, reason: p.reason } });
    }
    for (let k = 0; k < plan.duplicates.length; k += 2) {
      const row = plan.duplicates.at(k);
      const o = plan.duplicates.at(k + 1);
      if (!plan.counted(o)) continue;
      const primary = plan.orderPrimaryRow.get(o);
      rows.push({
        run_id: runId,
        kind: 'duplicate_delivery_mark',
        collection: 'delivery_statuses',
        legacy_id: plan.rows.oid(row),
        detail: { order_id: plan.orders.label(o), kept_row: plan.rows.oid(primary), date: dayFromNumber(plan.orderDay.get(o)) },
      });
    }
    for (let k = 0; k < plan.customersWithoutUser.length; k++) {
      const c = plan.customersWithoutUser.at(k);
      rows.push({ run_id: runId, kind: 'customer_without_user', collection: 'customers_v2', legacy_id: plan.customers.label(c), record_id: this.customerRecord[c] ?? null, detail: {} });
    }
    for (const b of plan.unmatchedBilling) {
      rows.push({ run_id: runId, kind: 'unmatched_billing_record', collection: 'billing_records', legacy_id: b.oid, detail: { customer_id: b.customer_id, order_id: b.order_id, month: b.month, amount_paise: b.amount_paise, reason: b.reason } });
    }
    for (let s = 0; s < rows.length; s += 1000) {
      const chunk = rows.slice(s, s + 1000);
      await this.inTx((tx) => insertMany(tx, importAnomalies, chunk));
    }
  }
}
