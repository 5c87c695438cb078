import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { addresses, customers, zones } from '../../../db/schema/index.js';
import { inZoneScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { createRow, customerInZones, getRow, updateRow, type Resource, type Row } from '../../lib/crud.js';
import { forbidden, unprocessable } from '../../lib/errors.js';
import type { AddressCreate, AddressUpdate, CustomerCreate, CustomerUpdate } from './customers.schemas.js';

const zoneName = sql<string>`(select ${zones.name} from ${zones} where ${zones.id} = ${customers.zone_id})`;
const addressCount = sql<number>`(select count(*)::int from ${addresses} where ${addresses.customer_id} = ${customers.id})`;

export const customerColumns = { zone_name: zoneName, address_count: addressCount };

export const customerResource: Resource = {
  name: 'customers',
  label: 'Customer',
  table: customers,
  selection: {
    id: customers.id,
    name: customers.name,
    phone: customers.phone,
    email: customers.email,
    zone_id: customers.zone_id,
    zone_name: zoneName.as('zone_name'),
    status: customers.status,
    language: customers.language,
    notes: customers.notes,
    address_count: addressCount.as('address_count'),
    created_at: customers.created_at,
    updated_at: customers.updated_at,
  },
  inZones: (zoneIds) => (zoneIds.length ? inArray(customers.zone_id, zoneIds) : sql`false`),
};

export const addressResource: Resource = { name: 'addresses', label: 'Address', table: addresses, inZones: (zoneIds) => customerInZones(addresses.customer_id, zoneIds) };

/** A customer placed (or moved) in a zone must be in one of the actor's zones when the grant is limited to them. */
function assertZoneReachable(ctx: Ctx, zoneId: string | undefined) {
  if (zoneId && !inZoneScope(ctx, zoneId)) throw forbidden('You work in your own zones only; choose one of them.');
}

/** A customer outside the actor's zones is, to a zone-limited request, one that does not exist. */
async function assertCustomerReachable(ctx: Ctx, customerId: string) {
  const [customer] = await ctx.db.select({ zone_id: customers.zone_id }).from(customers).where(eq(customers.id, customerId));
  if (customer && !inZoneScope(ctx, customer.zone_id)) throw unprocessable('The customer of this address does not exist.', 'unknown_customer');
}

/** A customer and, when given, their first address, in one transaction. */
export async function createCustomer(ctx: Ctx, input: z.infer<typeof CustomerCreate>): Promise<Row> {
  const { address, ...customer } = input;
  assertZoneReachable(ctx, customer.zone_id);
  return transaction(ctx, async (tx) => {
    const created = await createRow(tx, customerResource, customer);
    if (address) await createRow(tx, addressResource, { ...address, customer_id: created.id, is_default: true });
    return getRow(tx, customerResource, created.id as string);
  });
}

/** Making an address the default clears the previous default first, so the partial unique index holds. */
async function clearOtherDefaults(ctx: Ctx, customerId: string, keepId: string | null) {
  const others = await ctx.db
    .select({ id: addresses.id })
    .from(addresses)
    .where(and(eq(addresses.customer_id, customerId), eq(addresses.is_default, true), keepId ? ne(addresses.id, keepId) : undefined));
  for (const o of others) {
    const before = await getRow(ctx, addressResource, o.id, { lock: true });
    await ctx.db.update(addresses).set({ is_default: false }).where(eq(addresses.id, o.id));
    await audit(ctx, { action: 'update', table: 'addresses', recordId: o.id, before, after: { ...before, is_default: false } });
  }
}

export async function updateCustomer(ctx: Ctx, id: string, input: z.infer<typeof CustomerUpdate>): Promise<Row> {
  assertZoneReachable(ctx, input.zone_id);
  return updateRow(ctx, customerResource, id, input);
}

export async function createAddress(ctx: Ctx, input: z.infer<typeof AddressCreate>): Promise<Row> {
  return transaction(ctx, async (tx) => {
    await assertCustomerReachable(tx, input.customer_id);
    if (input.is_default) await clearOtherDefaults(tx, input.customer_id, null);
    return createRow(tx, addressResource, input);
  });
}

export async function updateAddress(ctx: Ctx, id: string, input: z.infer<typeof AddressUpdate>): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const current = await getRow(tx, addressResource, id, { lock: true });
    if (input.is_default) await clearOtherDefaults(tx, current.customer_id as string, id);
    return updateRow(tx, addressResource, id, input);
  });
}
