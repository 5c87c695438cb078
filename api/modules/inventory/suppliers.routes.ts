import { sql } from 'drizzle-orm';
import { supplierProducts, suppliers } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { Supplier, SupplierCreate, SupplierUpdate } from './suppliers.schemas.js';
import { createSupplier, supplierResource, updateSupplier } from './suppliers.service.js';

export function mountSuppliers(app: Router) {
  mountResource(app, {
    resource: supplierResource,
    row: Supplier,
    list: {
      fields: {
        id: { column: suppliers.id, type: 'uuid' },
        name: { column: suppliers.name, type: 'text', sortable: true },
        gstin: { column: suppliers.gstin, type: 'text' },
        is_active: { column: suppliers.is_active, type: 'bool' },
        created_at: { column: suppliers.created_at, type: 'timestamp', sortable: true },
        // Suppliers of one product: what a purchase order for it may be placed with.
        product_id: { column: suppliers.id, type: 'uuid', via: { column: supplierProducts.product_id, where: (cond) => sql`${suppliers.id} in (select ${supplierProducts.supplier_id} from ${supplierProducts} where ${cond})` } },
      },
      search: [suppliers.name, suppliers.gstin, suppliers.contact_name],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: SupplierCreate, run: createSupplier },
    update: { body: SupplierUpdate, run: updateSupplier },
  });
}
