import { staff } from '../../../db/schema/index.js';
import { phoneMatch } from '../../lib/search.js';
import { mountResource, type Router } from '../../lib/http.js';
import { Staff, StaffCreate, StaffUpdate } from './staff.schemas.js';
import { createStaff, presentStaff, staffColumns, staffResource, updateStaff } from './staff.service.js';

export function mountStaff(app: Router) {
  mountResource(app, {
    resource: staffResource,
    row: Staff,
    list: {
      fields: {
        id: { column: staff.id, type: 'uuid' },
        name: { column: staff.name, type: 'text', sortable: true },
        phone: { column: staff.phone, type: 'text', sortable: true },
        zone_id: { column: staff.zone_id, type: 'uuid' },
        zone_name: { column: staffColumns.zone_name, type: 'text', sortable: true },
        user_id: { column: staff.user_id, type: 'uuid' },
        is_active: { column: staff.is_active, type: 'bool', sortable: true },
        created_at: { column: staff.created_at, type: 'timestamp', sortable: true },
      },
      search: [staff.name, (w) => phoneMatch(staff.phone, w)],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: StaffCreate, run: createStaff },
    update: { body: StaffUpdate, run: updateStaff },
    present: presentStaff,
  });
}
