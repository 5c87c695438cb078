import { depots } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { Depot, DepotCreate, DepotUpdate } from './depots.schemas.js';
import { createDepot, depotResource, updateDepot } from './depots.service.js';

export function mountDepots(app: Router) {
  mountResource(app, {
    resource: depotResource,
    row: Depot,
    list: {
      fields: {
        id: { column: depots.id, type: 'uuid' },
        name: { column: depots.name, type: 'text', sortable: true },
        city: { column: depots.city, type: 'text', sortable: true },
        is_active: { column: depots.is_active, type: 'bool' },
        created_at: { column: depots.created_at, type: 'timestamp', sortable: true },
      },
      search: [depots.name, depots.city],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: DepotCreate, run: createDepot },
    update: { body: DepotUpdate, run: updateDepot },
  });
}
