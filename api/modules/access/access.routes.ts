import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { roles, users } from '../../../db/schema/index.js';
import { mountResource, ok, permit, type Router } from '../../lib/http.js';
import { CatalogEntry, permissionCatalog } from '../../lib/permission-catalog.js';
import { createRole, deleteRole, roleColumns, roleResource, updateRole, userResource } from './access.service.js';
import { Role, RoleCreate, RoleUpdate, User } from './access.schemas.js';
import { mountUsers } from './users.routes.js';

export function mountAccess(app: Router) {
  mountResource(app, {
    resource: userResource,
    row: User,
    list: {
      fields: {
        id: { column: users.id, type: 'uuid' },
        email: { column: users.email, type: 'text', sortable: true },
        name: { column: users.name, type: 'text', sortable: true },
        is_active: { column: users.is_active, type: 'bool', sortable: true },
        // ?role=finance: users holding that role (through user_roles' role index).
        role: { column: roles.name, type: 'text', via: { column: roles.name, where: (cond) => sql`${users.id} in (select ur.user_id from user_roles ur join ${roles} on ${roles.id} = ur.role_id where ${cond})` } },
        created_at: { column: users.created_at, type: 'timestamp', sortable: true },
      },
      search: [users.email, users.name],
      defaultSort: { field: 'email', order: 'asc' },
    },
  });
  mountUsers(app);
  // What a role may be granted: the admin's permission matrix is drawn from this (rows, columns, conditions per cell).
  app.openapi(
    createRoute({
      ...permit('roles', 'show'),
      method: 'get',
      path: '/api/permissions/catalog',
      tags: ['roles'],
      summary: 'Every resource and action the API checks, with the conditions each may carry (own, zones, max_amount_paise, step_up)',
      responses: ok(z.array(CatalogEntry), 'The catalog, by resource'),
    }),
    (c) => c.json(permissionCatalog(), 200),
  );
  mountResource(app, {
    resource: roleResource,
    row: Role,
    list: {
      fields: {
        id: { column: roles.id, type: 'uuid' },
        name: { column: roles.name, type: 'text', sortable: true },
        requires_totp: { column: roles.requires_totp, type: 'bool' },
        member_count: { column: roleColumns.member_count, type: 'int', sortable: true, filterable: false },
      },
      search: [roles.name, roles.description],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: RoleCreate, run: createRole },
    update: { body: RoleUpdate, run: updateRole },
    remove: deleteRole,
  });
}
