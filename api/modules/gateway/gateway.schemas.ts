import { z } from '@hono/zod-openapi';
import { gatewayPayments } from '../../../db/schema/index.js';
import { DateTime, tableRow } from '../../lib/schemas.js';

export const gatewayPaymentStatuses = ['created', 'authorized', 'captured', 'refunded', 'failed'] as const;
export const gatewayEventOutcomes = ['received', 'applied', 'stale', 'unmatched', 'ignored'] as const;

export const GatewayPayment = tableRow(gatewayPayments)
  .extend({
    customer_name: z.string().nullable(),
    assigned_by_name: z.string().nullable(),
    matched: z.boolean(),
    utr: z.string().nullable(),
    settlement_id: z.string().nullable(),
    settled_at: DateTime.nullable(),
  })
  .openapi('GatewayPayment');

export const GatewayEventSummary = z
  .object({ id: z.string(), event_id: z.string(), event: z.string(), outcome: z.enum(gatewayEventOutcomes), detail: z.string(), received_at: DateTime })
  .openapi('GatewayEventSummary');

export const GatewayPaymentDetail = GatewayPayment.extend({ events: z.array(GatewayEventSummary) }).openapi('GatewayPaymentDetail');

export const AssignBody = z
  .object({ customer_id: z.uuid({ message: 'customer_id must be a customer id (UUID).' }) })
  .strict()
  .openapi('GatewayPaymentAssign');

export const WebhookAnswer = z
  .object({
    event_id: z.string(),
    event: z.string(),
    outcome: z.enum(gatewayEventOutcomes),
    duplicate: z.boolean().openapi({ description: 'The event was received before: nothing was done again' }),
    detail: z.string(),
  })
  .openapi('RazorpayWebhookAnswer');

export type GatewayPayment = z.infer<typeof GatewayPayment>;
export type GatewayPaymentDetail = z.infer<typeof GatewayPaymentDetail>;
