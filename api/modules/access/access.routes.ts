import { roles, users } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { roleColumns, roleResource, userResource } from './access.service.js';
import { Role, User } from './access.schemas.js';

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
        created_at: { column: users.created_at, type: 'timestamp', sortable: true },
      },
      search: [users.email, users.name],
      defaultSort: { field: 'email', order: 'asc' },
    },
  });
  mountResource(app, {
    resource: roleResource,
    row: Role,
    list: {
      fields: {
        id: { column: roles.id, type: 'uuid' },
        name: { column: roles.name, type: 'text', sortable: true },
        member_count: { column: roleColumns.member_count, type: 'int', sortable: true, filterable: false },
      },
      search: [roles.name, roles.description],
      defaultSort: { field: 'name', order: 'asc' },
    },
  });
}
