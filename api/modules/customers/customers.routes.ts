import { sql } from 'drizzle-orm';
import { addresses, customers } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { phoneMatch } from '../../lib/search.js';
import { Address, AddressCreate, AddressUpdate, Customer, CustomerCreate, CustomerUpdate } from './customers.schemas.js';
import { addressResource, createAddress, createCustomer, customerColumns, customerResource, updateAddress, updateCustomer } from './customers.service.js';

export function mountCustomers(app: Router) {
  mountResource(app, {
    resource: customerResource,
    exportable: true,
    row: Customer,
    list: {
      fields: {
        id: { column: customers.id, type: 'uuid' },
        name: { column: customers.name, type: 'text', sortable: true },
        phone: { column: customers.phone, type: 'text', sortable: true },
        email: { column: customers.email, type: 'text', sortable: true },
        zone_id: { column: customers.zone_id, type: 'uuid' },
        zone_name: { column: customerColumns.zone_name, type: 'text', sortable: true },
        status: { column: customers.status, type: 'enum', values: ['active', 'paused', 'inactive'], sortable: true },
        created_at: { column: customers.created_at, type: 'timestamp', sortable: true },
        updated_at: { column: customers.updated_at, type: 'timestamp', sortable: true },
      },
      // Trigram indexes on all three; a phone is found by its digits in any form (98765, +91 98765 43210, 098765...).
      search: [customers.name, (w) => phoneMatch(customers.phone, w), customers.email],
      defaultSort: { field: 'created_at', order: 'desc' },
    },
    create: { body: CustomerCreate, run: createCustomer },
    update: { body: CustomerUpdate, run: updateCustomer },
  });
  mountResource(app, {
    resource: addressResource,
    row: Address,
    list: {
      fields: {
        id: { column: addresses.id, type: 'uuid' },
        customer_id: { column: addresses.customer_id, type: 'uuid' },
        label: { column: addresses.label, type: 'text', sortable: true },
        city: { column: addresses.city, type: 'text', sortable: true },
        pin_code: { column: addresses.pin_code, type: 'text', sortable: true },
        is_default: { column: addresses.is_default, type: 'bool', sortable: true },
        created_at: { column: addresses.created_at, type: 'timestamp', sortable: true },
      },
      // The address as one line (line, second line, landmark) or its pin code, each trigram-indexed.
      search: [sql`address_line(${addresses.line1}, ${addresses.line2}, ${addresses.landmark})`, addresses.pin_code],
      defaultSort: { field: 'created_at', order: 'asc' },
    },
    create: { body: AddressCreate, run: createAddress },
    update: { body: AddressUpdate, run: updateAddress },
    remove: true,
  });
}
