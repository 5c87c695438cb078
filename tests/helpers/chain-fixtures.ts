import { randomBytes } from 'node:crypto';
import { eq, type SQL } from 'drizzle-orm';
import type { App } from '../../api/app.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import type { Db } from '../../db/client.js';
import { addresses, customers, deliveries, orderItems, orders, products, staff, zones } from '../../db/schema/index.js';
import { createUser } from '../../seeds/users.js';

// Rows of the order -> delivery -> billing chain made with direct inserts, for tests that need the chain's data
// without going through the order and subscription endpoints. Every helper takes the drizzle handle and optional
// overrides, and returns the rows it made.

let seq = 0;
const run = randomBytes(2).toString('hex');
/** A name unique within a test database (names of zones and products are unique). */
export const fixtureName = (prefix: string) => `${prefix} ${run}-${++seq}`;
/** A valid Indian mobile number, unique within a test run (the +9188 block is kept for fixtures). */
export function fixturePhone(): string {
  seq += 1;
  return `+9188${String(parseInt(run, 16) % 100).padStart(2, '0')}${String(seq).padStart(6, '0')}`;
}

/** A date relative to today in IST: daysFromToday(-1) is yesterday. */
export const daysFromToday = (days: number) => addDays(todayIST(), days);

export async function makeZone(db: Db, name = fixtureName('Zone')) {
  const [zone] = await db.insert(zones).values({ name }).returning();
  return zone;
}

export interface CustomerFixture {
  customer: typeof customers.$inferSelect;
  address: typeof addresses.$inferSelect;
}

export async function makeCustomer(
  db: Db,
  opts: { zone_id?: string; name?: string; phone?: string; address?: Partial<typeof addresses.$inferInsert> } = {},
): Promise<CustomerFixture> {
  const zoneId = opts.zone_id ?? (await makeZone(db)).id;
  const [customer] = await db
    .insert(customers)
    .values({ name: opts.name ?? fixtureName('Customer'), phone: opts.phone ?? fixturePhone(), zone_id: zoneId })
    .returning();
  const [address] = await db
    .insert(addresses)
    .values({ customer_id: customer.id, line1: `${seq} MG Road`, pin_code: '560001', is_default: true, ...opts.address })
    .returning();
  return { customer, address };
}

export interface StaffFixture {
  staff: typeof staff.$inferSelect;
  /** Set when the staff member was given a login (role delivery_staff). */
  user?: { id: string; email: string; password: string };
}

export async function makeStaff(
  db: Db,
  opts: { zone_id?: string | null; name?: string; is_active?: boolean; login?: boolean | { email?: string; password?: string; roles?: string[] } } = {},
): Promise<StaffFixture> {
  let user: StaffFixture['user'];
  if (opts.login) {
    const wanted = typeof opts.login === 'object' ? opts.login : {};
    const email = wanted.email ?? `staff-${run}-${++seq}@milkrun.test`;
    const password = wanted.password ?? 'milkrun-staff';
    const id = await createUser(db, { email, name: opts.name ?? email, password, roles: wanted.roles ?? ['delivery_staff'] });
    user = { id, email, password };
  }
  const [member] = await db
    .insert(staff)
    .values({ name: opts.name ?? fixtureName('Staff'), phone: fixturePhone(), zone_id: opts.zone_id ?? null, user_id: user?.id ?? null, is_active: opts.is_active ?? true })
    .returning();
  return { staff: member, user };
}

export async function makeProduct(db: Db, opts: Partial<typeof products.$inferInsert> = {}) {
  const name = opts.name ?? fixtureName('Milk');
  const [product] = await db
    .insert(products)
    .values({
      sku: `FX-${run}-${++seq}`.toUpperCase(),
      unit: 'packet',
      unit_size: '500 ml',
      price_paise: 2800,
      hsn_code: '0401',
      gst_rate_bp: 0,
      ...opts,
      name,
    })
    .returning();
  return product;
}

export interface OrderFixture {
  order: typeof orders.$inferSelect;
  items: (typeof orderItems.$inferSelect)[];
  /** The order's pending delivery (every order gets one when it is created). */
  delivery: typeof deliveries.$inferSelect;
}

/**
 * A one-time (or subscription, with subscription_id) order with its items, and its pending delivery dated the
 * order's delivery date, as the order service makes them. Unit prices default to the product's price.
 */
export async function makeOrder(
  db: Db,
  opts: {
    customer: CustomerFixture;
    items: { product: typeof products.$inferSelect; quantity: number; unit_price_paise?: number }[];
    delivery_date?: string;
    shift?: 'morning' | 'evening';
    staff_id?: string | null;
    kind?: 'one_time' | 'subscription';
    subscription_id?: string | null;
  },
): Promise<OrderFixture> {
  const lines = opts.items.map((i) => ({ product_id: i.product.id, quantity: i.quantity, unit_price_paise: i.unit_price_paise ?? i.product.price_paise }));
  return db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({
        customer_id: opts.customer.customer.id,
        address_id: opts.customer.address.id,
        kind: opts.kind ?? (opts.subscription_id ? 'subscription' : 'one_time'),
        subscription_id: opts.subscription_id ?? null,
        delivery_date: opts.delivery_date ?? todayIST(),
        shift: opts.shift ?? 'morning',
        total_paise: lines.reduce((s, l) => s + l.quantity * l.unit_price_paise, 0),
      })
      .returning();
    const items = await tx
      .insert(orderItems)
      .values(lines.map((l) => ({ ...l, order_id: order.id })))
      .returning();
    const [delivery] = await tx
      .insert(deliveries)
      .values({ order_id: order.id, order_date: order.delivery_date, staff_id: opts.staff_id ?? null })
      .returning();
    return { order, items, delivery };
  });
}

/** The order item of a product in an order fixture. */
export const itemOf = (o: OrderFixture, product: { id: string }) => {
  const item = o.items.find((i) => i.product_id === product.id);
  if (!item) throw new Error('no such product in the order');
  return item;
};

/** Logs a user in through the API and returns the Cookie header value. */
export async function loginCookie(app: App, email: string, password: string): Promise<string> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0];
}

/** app.request with a cookie and a JSON body. */
export function callAs(app: App, cookie: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { cookie, 'x-requested-with': 'XMLHttpRequest', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  return app.request(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function staffOfUser(db: Db, userId: string) {
  const [row] = await db.select().from(staff).where(eq(staff.user_id, userId));
  return row;
}

/** The JSON body of a response after checking its status (the body is in the failure message). */
export async function bodyOf<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The problem+json body of an error response after checking its status and, when given, its code. */
export async function problemOf(res: Response, status: number, code?: string): Promise<{ code: string; message: string; [k: string]: unknown }> {
  const body = await bodyOf<{ code: string; message: string }>(res, status);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) throw new Error(`not problem+json: ${res.headers.get('content-type')}`);
  if (typeof body.message !== 'string' || !body.message) throw new Error('problem without a message');
  if (code && body.code !== code) throw new Error(`expected code ${code}, got ${body.code}: ${body.message}`);
  return body;
}

/** Rows of a raw query, whichever driver runs it (PGlite answers {rows}, postgres.js an array). */
export async function sqlRows<T = Record<string, any>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
