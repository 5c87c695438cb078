// Types inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
export type { RunSheet, RunSheetItem, RunSheetStop } from '../../../../api/modules/deliveries/deliveries.schemas';
