// A delivery staff member as GET /api/staff returns it, inferred from the API's response schema.
export type { Staff } from '../../../../api/modules/staff/staff.schemas';
