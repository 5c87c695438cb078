// Types inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
export type { BillingRecord } from '../../../../api/modules/billing/billing.schemas';
export type { ConfirmResult, Delivery } from '../../../../api/modules/deliveries/deliveries.schemas';
