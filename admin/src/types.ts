// Records as the API returns them: types inferred from the API's own response schemas (api/modules/*/X.schemas.ts),
// the same ones the OpenAPI document is built from. Type-only imports: nothing of the server reaches the bundle.
import type { Customer } from '../../api/modules/customers/customers.schemas';
import type { ProductRequest } from '../../api/modules/catalog/catalog.schemas';

export type { Actor, Role, RolePermission, User } from '../../api/modules/access/access.schemas';
export type { AuditLog } from '../../api/modules/audit/audit.schemas';
export type { BulkResult, Product, ProductRequest } from '../../api/modules/catalog/catalog.schemas';
export type { Address, Customer } from '../../api/modules/customers/customers.schemas';
export type { Zone } from '../../api/modules/zones/zones.schemas';

export type CustomerStatus = Customer['status'];
export type RequestStatus = ProductRequest['status'];
