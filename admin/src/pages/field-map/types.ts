// Types inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
export type { MapAnswer, MapDelivery, MapStaff, MapDepot, Position, RunOrder } from '../../../../api/modules/field/field.schemas';
