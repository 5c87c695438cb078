// Types inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { Order } from '../../../../api/modules/orders/orders.schemas';

export type { GenerateResult, Order, OrderItem, OrderWithItems } from '../../../../api/modules/orders/orders.schemas';
export type OrderStatus = Order['status'];
export type OrderKind = Order['kind'];
export type PaymentMethod = Order['payment_method'];
export type DeliveryStatus = NonNullable<Order['delivery_status']>;
