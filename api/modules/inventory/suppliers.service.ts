import { eq, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { supplierProducts, suppliers } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import type { SupplierCreate, SupplierUpdate } from './suppliers.schemas.js';

const productsOf = sql`(select coalesce(json_agg(json_build_object('product_id', sp.product_id, 'product_name', p.name, 'price_paise', sp.price_paise,
  'lead_time_days', sp.lead_time_days, 'pack_size', sp.pack_size, 'pack_label', sp.pack_label, 'is_preferred', sp.is_preferred) order by p.name), '[]')
  from supplier_products sp join products p on p.id = sp.product_id where sp.supplier_id = ${suppliers.id})`;

export const supplierResource: Resource = {
  name: 'suppliers',
  label: 'Supplier',
  table: suppliers,
  selection: {
    id: suppliers.id, name: suppliers.name, gstin: suppliers.gstin, contact_name: suppliers.contact_name, phone: suppliers.phone, email: suppliers.email,
    address: suppliers.address, is_active: suppliers.is_active, created_at: suppliers.created_at, updated_at: suppliers.updated_at, products: productsOf.as('products'),
  },
};

type Offer = z.infer<typeof SupplierCreate>['products'][number];

/** Replaces what the supplier sells (supplier_products_one_preferred refuses a second preferred supplier of a product). */
async function replaceProducts(ctx: Ctx, supplierId: string, offers: Offer[]) {
  await ctx.db.delete(supplierProducts).where(eq(supplierProducts.supplier_id, supplierId));
  if (offers.length) await ctx.db.insert(supplierProducts).values(offers.map((o) => ({ ...o, supplier_id: supplierId })));
}

export async function createSupplier(ctx: Ctx, input: z.infer<typeof SupplierCreate>): Promise<Row> {
  const { products, ...values } = input;
  return transaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(suppliers).values(values).returning({ id: suppliers.id });
    await replaceProducts(tx, row.id, products);
    const after = await getRow(tx, supplierResource, row.id);
    await audit(tx, { action: 'create', table: 'suppliers', recordId: row.id, after });
    return after;
  });
}

export async function updateSupplier(ctx: Ctx, id: string, input: z.infer<typeof SupplierUpdate>): Promise<Row> {
  const { products, ...values } = input;
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, supplierResource, id, { lock: true });
    if (Object.keys(values).length) await tx.db.update(suppliers).set(values).where(eq(suppliers.id, id));
    if (products) await replaceProducts(tx, id, products);
    const after = await getRow(tx, supplierResource, id);
    await audit(tx, { action: 'update', table: 'suppliers', recordId: id, before, after });
    return after;
  });
}
