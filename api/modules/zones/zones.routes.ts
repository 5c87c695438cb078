import { zones } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { Zone, ZoneCreate, ZoneUpdate } from './zones.schemas.js';
import { zoneColumns, zoneResource } from './zones.service.js';

export function mountZones(app: Router) {
  mountResource(app, {
    resource: zoneResource,
    row: Zone,
    list: {
      fields: {
        id: { column: zones.id, type: 'uuid' },
        name: { column: zones.name, type: 'text', sortable: true },
        created_at: { column: zones.created_at, type: 'timestamp', sortable: true },
        customer_count: { column: zoneColumns.customer_count, type: 'int', sortable: true, filterable: false },
      },
      search: [zones.name],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: ZoneCreate },
    update: { body: ZoneUpdate },
    // customers_zone_id_fk (ON DELETE RESTRICT) refuses the delete while a customer is in the zone.
    remove: true,
  });
}
